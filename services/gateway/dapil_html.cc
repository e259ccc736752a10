// The dapil page and the list of a race's dapil (templates/dapil.tpl,
// dapil_list.tpl).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/gateway/display_format.h"
#include "services/gateway/public_html.h"
#include "services/gateway/public_html_parts.h"
#include "storage/reference/ballot_form.h"

namespace c1tally {
namespace {

struct SortLink {
  DapilSort sort;
  const char* value;
  const char* label;
};
constexpr SortLink kSortLinks[] = {
    {DapilSort::kBallot, "ballot", "nomor urut"},
    {DapilSort::kVotes, "votes", "perolehan suara"},
};

// The ballot's parties (each with its candidates) in the order asked for:
// as printed, or by votes (parties by their totals, candidates within
// each party by theirs: the order seats go in), ties in ballot order.
v1::Ballot Sorted(const v1::Ballot& ballot,
                  const google::protobuf::Map<std::string, int64_t>& sums,
                  DapilSort sort) {
  v1::Ballot sorted = ballot;
  if (sort == DapilSort::kBallot) return sorted;
  auto votes_of = [&](const v1::Ballot::PartyList& list) {
    return ValueOf(sums, PartyTotalField(list.party_id()));
  };
  std::stable_sort(
      sorted.mutable_parties()->begin(), sorted.mutable_parties()->end(),
      [&](const auto& a, const auto& b) { return votes_of(a) > votes_of(b); });
  for (v1::Ballot::PartyList& list : *sorted.mutable_parties()) {
    std::stable_sort(list.mutable_candidates()->begin(),
                     list.mutable_candidates()->end(),
                     [&](const v1::Candidate& a, const v1::Candidate& b) {
                       return ValueOf(sums, CandidateField(a.id())) >
                              ValueOf(sums, CandidateField(b.id()));
                     });
  }
  return sorted;
}

int32_t BallotNumber(const v1::Dapil& dapil, int32_t party) {
  for (const v1::Party& each : dapil.parties()) {
    if (each.id() == party) return each.ballot_number();
  }
  return party;
}

void AddParty(const v1::Dapil& dapil, const v1::Ballot::PartyList& list,
              TemplateValues* values) {
  const auto& sums = dapil.aggregate().sums();
  TemplateValues* party = values->AddSectionDictionary("PARTY");
  int64_t whole = 0;  // what a candidate's share is of
  if (list.party_id() != 0) {
    TemplateValues* named = party->AddSectionDictionary("HAS_PARTY");
    named->SetIntValue("NUMBER", BallotNumber(dapil, list.party_id()));
    named->SetValue("NAME", PartyName(dapil.parties(), list.party_id()));
    named->SetValue("PARTY_ONLY", FormatCount(ValueOf(
                                      sums, PartyOnlyField(list.party_id()))));
    whole = ValueOf(sums, PartyTotalField(list.party_id()));
    named->SetValue("TOTAL", FormatCount(whole));
  } else {
    party->ShowSection("NO_PARTY");
    whole = ValueOf(sums, "suara_sah");
  }
  for (const v1::Candidate& candidate : list.candidates()) {
    const int64_t votes = ValueOf(sums, CandidateField(candidate.id()));
    TemplateValues* row = party->AddSectionDictionary("CANDIDATE");
    row->SetIntValue("NUMBER", candidate.ballot_number());
    row->SetValue("NAME", candidate.name());
    row->SetValue("VOTES_KEY", absl::StrCat(votes));
    row->SetValue("VOTES", FormatCount(votes));
    row->SetValue("PERCENT", FormatPercent(Share(votes, whole)));
  }
}

void AddSortLinks(const v1::Dapil& dapil, DapilSort sort,
                  TemplateValues* values) {
  for (const SortLink& link : kSortLinks) {
    TemplateValues* item = values->AddSectionDictionary("SORT");
    item->SetValue("LABEL", link.label);
    item->SetValue("HREF", absl::StrCat(DapilHref(dapil.race(), dapil.code()),
                                        "?sort=", link.value));
    item->ShowSection(link.sort == sort ? "CURRENT" : "OTHER");
  }
}

}  // namespace

absl::StatusOr<DapilSort> ParseDapilSort(const std::string& value) {
  if (value.empty()) return DapilSort::kBallot;
  for (const SortLink& link : kSortLinks) {
    if (value == link.value) return link.sort;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "urutan \"", value, "\" tidak dikenal: sort=ballot atau sort=votes"));
}

HttpResponse DapilHtml(const v1::Dapil& dapil, const v1::FormKind& kind,
                       DapilSort sort) {
  HtmlPage page("dapil.tpl", absl::StrCat("Dapil ", dapil.name()));
  page.AddScript("sort.js");
  TemplateValues* body = page.body();
  const std::string& race = dapil.race();
  body->SetValue("NATION_HREF", RaceHref("/", race));
  body->SetValue("LIST_HREF", DapilListHref(race));
  body->SetValue("RACE", RaceLabel(race));
  body->SetValue("NAME", dapil.name());
  body->SetValue("CODE", dapil.code());
  body->SetValue("FORM_LABEL", kind.label());
  if (!dapil.regions().empty()) {
    TemplateValues* regions = body->AddSectionDictionary("REGIONS");
    for (const v1::Region& region : dapil.regions()) {
      TemplateValues* item = regions->AddSectionDictionary("REGION");
      item->SetValue("HREF", RaceHref(PlaceHref(region.code()), race));
      item->SetValue("NAME", region.name());
    }
  }
  const v1::Aggregate& aggregate = dapil.aggregate();
  if (!dapil.has_ballot()) {
    body->ShowSection("NO_BALLOT");
  } else if (aggregate.tps_with_result() == 0) {
    body->ShowSection("NO_RESULTS");
  } else {
    AddVotes(BallotChoices(dapil.ballot(), dapil.parties()),
             ChoiceHeading(race), aggregate.sums(),
             body->AddSectionDictionary("HAS_VOTES"));
  }
  AddCoverage(aggregate, body);
  if (dapil.has_ballot()) {
    TemplateValues* ballot = body->AddSectionDictionary("BALLOT");
    AddSortLinks(dapil, sort, ballot);
    const v1::Ballot sorted = Sorted(dapil.ballot(), aggregate.sums(), sort);
    for (const v1::Ballot::PartyList& list : sorted.parties()) {
      AddParty(dapil, list, ballot);
    }
  }
  return page.Response();
}

HttpResponse DapilListHtml(const std::string& race, const v1::FormKind& kind,
                           const v1::ListDapilResponse& listed) {
  HtmlPage page("dapil_list.tpl", absl::StrCat("Dapil ", RaceLabel(race)));
  page.AddScript("sort.js");
  TemplateValues* body = page.body();
  body->SetValue("NATION_HREF", RaceHref("/", race));
  body->SetValue("RACE", RaceLabel(race));
  body->SetValue("FORM_LABEL", kind.label());
  if (listed.dapil().empty()) body->ShowSection("NONE");
  TemplateValues* list =
      listed.dapil().empty() ? nullptr : body->AddSectionDictionary("LIST");
  for (const v1::Dapil& dapil : listed.dapil()) {
    TemplateValues* row = list->AddSectionDictionary("DAPIL");
    row->SetValue("HREF", DapilHref(race, dapil.code()));
    row->SetValue("NAME", dapil.name());
    row->SetValue("CODE", dapil.code());
    AddCoverageCells(dapil.aggregate(), row);
  }
  if (!listed.next_page_token().empty()) {
    body->AddSectionDictionary("NEXT_PAGE")
        ->SetValue("HREF",
                   RaceHref(DapilListHref(race), "",
                            {{"page_token", listed.next_page_token()}}));
  }
  return page.Response();
}

}  // namespace c1tally
