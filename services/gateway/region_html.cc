// The region page (templates/region.tpl).
#include "absl/strings/str_cat.h"
#include "services/gateway/display_format.h"
#include "services/gateway/public_html.h"
#include "services/gateway/public_html_parts.h"

namespace c1tally {
namespace {

const std::string& RaceOf(const RegionView& view) {
  return view.form_kind.name();
}

bool IsPresidential(const RegionView& view) { return RaceOf(view) == "ppwp"; }

// What the region's voters chose between: pairs, parties, or (below the
// nation) the DPD candidates of its province.
std::vector<Choice> ChoicesOf(const RegionView& view) {
  if (IsPresidential(view)) return PairChoices(view.form_kind);
  if (RaceOf(view) == "pdpd") return BallotChoices(view.dpd_ballot, {});
  return PartyChoices(view.parties, view.region.aggregate().sums());
}

std::string Heading(const RegionView& view) {
  const v1::Region& region = view.region;
  if (!region.code().empty()) {
    return absl::StrCat(LevelName(region.level()), " ", region.name());
  }
  return IsPresidential(view)
             ? "Hasil Pilpres 2024: Indonesia"
             : absl::StrCat("Hasil Pemilu ", RaceLabel(RaceOf(view)),
                            " 2024: Indonesia");
}

void AddChildren(const RegionView& view, const std::vector<Choice>& choices,
                 TemplateValues* values) {
  TemplateValues* table = values->AddSectionDictionary("CHILDREN");
  table->SetValue("LEVEL", LevelName(static_cast<v1::RegionLevel>(
                               view.region.level() == v1::REGION_LEVEL_NATIONAL
                                   ? v1::REGION_LEVEL_PROVINCE
                                   : view.region.level() + 1)));
  AddCandidateHeads(choices, table);
  for (const v1::Region& child : view.children) {
    const v1::Aggregate& aggregate = child.aggregate();
    TemplateValues* row = table->AddSectionDictionary("CHILD");
    row->SetValue("NAME", child.name());
    row->SetValue("HREF", RaceHref(PlaceHref(child.code()), RaceOf(view)));
    int64_t total = 0;
    for (const Choice& choice : choices) {
      total += ValueOf(aggregate.sums(), choice.field);
    }
    for (const Choice& choice : choices) {
      const int64_t votes = ValueOf(aggregate.sums(), choice.field);
      TemplateValues* vote = row->AddSectionDictionary("VOTE");
      vote->SetValue("VOTES_KEY", absl::StrCat(votes));
      vote->SetValue("VOTES", FormatCount(votes));
      vote->SetValue("PERCENT", FormatPercent(Share(votes, total)));
    }
    AddCoverageCells(aggregate, row);
  }
}

void AddTpsList(const RegionView& view, const std::vector<Choice>& choices,
                TemplateValues* values) {
  TemplateValues* table = values->AddSectionDictionary("TPS_LIST");
  AddCandidateHeads(choices, table);
  for (const v1::Tps& tps : view.tps) {
    const v1::TpsResult* result = nullptr;
    for (const v1::TpsResult& r : tps.results()) {
      if (r.form_kind() == RaceOf(view)) result = &r;
    }
    TemplateValues* row = table->AddSectionDictionary("TPS");
    row->SetValue("CODE", tps.code());
    row->SetValue("HREF", RaceHref(PlaceHref(tps.code()), RaceOf(view)));
    row->SetValue("NAME", tps.name());
    for (const Choice& choice : choices) {
      TemplateValues* vote = row->AddSectionDictionary("VOTE");
      if (result == nullptr) {
        vote->SetValue("VOTES_KEY", "-1");
        vote->SetValue("VOTES", "–");
      } else {
        const int64_t votes = ValueOf(result->values(), choice.field);
        vote->SetValue("VOTES_KEY", absl::StrCat(votes));
        vote->SetValue("VOTES", FormatCount(votes));
      }
    }
    row->SetValue("STATUS",
                  result == nullptr ? "belum ada hasil"
                  : result->flags().empty()
                      ? "terverifikasi"
                      : absl::StrCat("ditandai: ", FlagText(result->flags(0))));
  }
}

// The dapil a region lies in; the nation links to the race's list.
void AddDapil(const RegionView& view, TemplateValues* values) {
  const std::string& race = RaceOf(view);
  if (view.region.code().empty()) {
    TemplateValues* all = values->AddSectionDictionary("ALL_DAPIL");
    all->SetValue("HREF", DapilListHref(race));
    all->SetValue("RACE", RaceLabel(race));
    return;
  }
  if (view.dapil.empty()) {
    values->ShowSection("NO_DAPIL");
    return;
  }
  TemplateValues* list = values->AddSectionDictionary("DAPIL");
  for (const v1::Dapil& dapil : view.dapil) {
    TemplateValues* item = list->AddSectionDictionary("ITEM");
    item->SetValue("HREF", DapilHref(race, dapil.code()));
    item->SetValue("NAME", dapil.name());
    item->SetValue("CODE", dapil.code());
    item->SetValue("TPS", FormatCount(dapil.aggregate().tps_total()));
  }
}

}  // namespace

HttpResponse RegionHtml(const RegionView& view) {
  const v1::Region& region = view.region;
  HtmlPage page("region.tpl",
                region.code().empty() ? "Nasional" : region.name());
  page.AddScript("sort.js");
  TemplateValues* body = page.body();
  AddCrumbs(view.ancestors, body, RaceOf(view));
  body->SetValue("HEADING", Heading(view));
  body->SetValue("FORM_LABEL", view.form_kind.label());
  if (!region.code().empty()) {
    body->AddSectionDictionary("HAS_CODE")->SetValue("CODE", region.code());
  }
  AddRaceSwitch(PlaceHref(region.code()), RaceOf(view), body);
  const std::vector<Choice> choices = ChoicesOf(view);
  // The presidential page shows its (zero) pairs from the start; another
  // race says plainly that nothing is counted yet.
  if (!IsPresidential(view) && region.aggregate().tps_with_result() == 0) {
    body->ShowSection("NO_RESULTS");
  } else if (choices.empty()) {
    body->ShowSection("PICK_PROVINCE");
  } else {
    AddVotes(choices, ChoiceHeading(RaceOf(view)), region.aggregate().sums(),
             body->AddSectionDictionary("HAS_VOTES"));
  }
  AddCoverage(region.aggregate(), body);
  if (!IsPresidential(view)) AddDapil(view, body);
  if (region.level() == v1::REGION_LEVEL_KELURAHAN) {
    AddTpsList(view, choices, body);
  } else {
    AddChildren(view, choices, body);
  }
  if (!view.next_page_token.empty()) {
    body->AddSectionDictionary("NEXT_PAGE")
        ->SetValue("HREF", RaceHref(PlaceHref(region.code()), RaceOf(view),
                                    {{"page_token", view.next_page_token}}));
  }
  return page.Response();
}

}  // namespace c1tally
