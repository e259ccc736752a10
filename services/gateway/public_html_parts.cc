#include "services/gateway/public_html_parts.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/gateway/display_format.h"
#include "storage/reference/ballot_form.h"

namespace c1tally {

std::string LevelName(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_NATIONAL:
      return "Nasional";
    case v1::REGION_LEVEL_PROVINCE:
      return "Provinsi";
    case v1::REGION_LEVEL_KABUPATEN:
      return "Kabupaten/Kota";
    case v1::REGION_LEVEL_KECAMATAN:
      return "Kecamatan";
    case v1::REGION_LEVEL_KELURAHAN:
      return "Kelurahan/Desa";
    case v1::REGION_LEVEL_TPS:
      return "TPS";
    default:
      return "Wilayah";
  }
}

std::string PlaceHref(const std::string& code) {
  if (code.empty()) return "/";
  return absl::StrCat(code.size() == 13 ? "/tps/" : "/wilayah/", code);
}

const std::vector<Race>& Races() {
  static const std::vector<Race> races = {{"ppwp", "Presiden"},
                                          {"pdpr", "DPR"},
                                          {"pdprdp", "DPRD Provinsi"},
                                          {"pdprdk", "DPRD Kab/Kota"},
                                          {"pdpd", "DPD"}};
  return races;
}

std::string RaceLabel(const std::string& race) {
  for (const Race& each : Races()) {
    if (race == each.name) return each.label;
  }
  return race;
}

std::string RaceHref(
    const std::string& path, const std::string& race,
    const std::vector<std::pair<std::string, std::string>>& more) {
  std::vector<std::string> query;
  if (!race.empty() && race != "ppwp") {
    query.push_back(absl::StrCat("form_kind=", race));
  }
  for (const auto& [name, value] : more) {
    if (!value.empty()) query.push_back(absl::StrCat(name, "=", value));
  }
  return query.empty() ? path
                       : absl::StrCat(path, "?", absl::StrJoin(query, "&"));
}

std::string DapilHref(const std::string& race, const std::string& code) {
  return absl::StrCat("/dapil/", race, "/", code);
}

std::string DapilListHref(const std::string& race) {
  return absl::StrCat("/dapil/", race);
}

void AddRaceSwitch(const std::string& path, const std::string& race,
                   TemplateValues* values) {
  TemplateValues* races = IncludeTemplate(values, "RACES", "races.tpl");
  for (const Race& each : Races()) {
    TemplateValues* item = races->AddSectionDictionary("RACE");
    item->SetValue("LABEL", each.label);
    item->SetValue("HREF", RaceHref(path, each.name));
    item->ShowSection(race == each.name ? "CURRENT" : "OTHER");
  }
}

std::vector<Choice> PairChoices(const v1::FormKind& kind) {
  std::vector<Choice> choices;
  for (const v1::FormKind::Rule& rule : kind.rules()) {
    if (rule.right_size() != 1 || rule.right(0) != "suara_sah") continue;
    for (const std::string& name : rule.left()) {
      std::string label(absl::StripPrefix(FieldLabel(kind, name), "Suara "));
      if (!label.empty()) label[0] = absl::ascii_toupper(label[0]);
      choices.push_back({name, std::move(label)});
    }
  }
  return choices;
}

std::vector<Choice> PartyChoices(
    const std::vector<v1::Party>& parties,
    const google::protobuf::Map<std::string, int64_t>& sums) {
  std::vector<const v1::Party*> shown;
  for (const v1::Party& party : parties) {
    if (!party.aceh_only() || sums.contains(PartyTotalField(party.id()))) {
      shown.push_back(&party);
    }
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](const auto* a, const auto* b) {
                     return a->ballot_number() < b->ballot_number();
                   });
  std::vector<Choice> choices;
  for (const v1::Party* party : shown) {
    choices.push_back({PartyTotalField(party->id()), party->name()});
  }
  return choices;
}

std::string PartyName(
    const google::protobuf::RepeatedPtrField<v1::Party>& parties, int32_t id) {
  for (const v1::Party& party : parties) {
    if (party.id() == id) return party.name();
  }
  return absl::StrCat("Partai ", id);
}

std::vector<Choice> BallotChoices(
    const v1::Ballot& ballot,
    const google::protobuf::RepeatedPtrField<v1::Party>& parties) {
  std::vector<Choice> choices;
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    if (list.party_id() != 0) {
      choices.push_back({PartyTotalField(list.party_id()),
                         PartyName(parties, list.party_id())});
      continue;
    }
    for (const v1::Candidate& candidate : list.candidates()) {
      choices.push_back(
          {CandidateField(candidate.id()),
           absl::StrCat(candidate.ballot_number(), ". ", candidate.name())});
    }
  }
  return choices;
}

std::string ChoiceHeading(const std::string& race) {
  if (race.empty() || race == "ppwp") return "Pasangan calon";
  return race == "pdpd" ? "Calon" : "Partai";
}

std::string FieldLabel(const v1::FormKind& kind, const std::string& name) {
  for (const v1::FormKind::Field& field : kind.fields()) {
    if (field.name() == name) return field.label();
  }
  return name;
}

int64_t ValueOf(const google::protobuf::Map<std::string, int64_t>& values,
                const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? 0 : it->second;
}

double Share(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / whole : 0.0;
}

std::string FlagText(const std::string& flag) {
  if (absl::StartsWith(flag, "arithmetic:")) {
    return absl::StrCat("Hitungan tidak cocok (",
                        flag.substr(sizeof("arithmetic:") - 1), ")");
  }
  if (flag == "conflicting_photos") return "Foto-foto TPS ini berbeda angka";
  if (flag == "photo_also_for_other_tps") {
    return "Foto yang sama juga diunggah untuk TPS lain";
  }
  if (flag == "duplicate_other_tps") return "Foto juga diunggah untuk TPS lain";
  return flag;
}

std::string SourceText(v1::Provenance::Source source) {
  switch (source) {
    case v1::Provenance::SOURCE_MACHINE:
      return "mesin (yakin dan konsisten)";
    case v1::Provenance::SOURCE_PEOPLE:
      return "dua relawan (entri ganda buta)";
    case v1::Provenance::SOURCE_MODERATOR:
      return "moderator";
    case v1::Provenance::SOURCE_OPERATOR:
      return "operator (impor data)";
    default:
      return "–";
  }
}

std::string SettledByText(const std::string& by) {
  if (by == "machine") return SourceText(v1::Provenance::SOURCE_MACHINE);
  if (by == "people") return SourceText(v1::Provenance::SOURCE_PEOPLE);
  if (by == "moderator") return SourceText(v1::Provenance::SOURCE_MODERATOR);
  return "menunggu relawan";
}

void AddCrumbs(const std::vector<v1::Region>& ancestors, TemplateValues* values,
               const std::string& race) {
  TemplateValues* crumbs = IncludeTemplate(values, "CRUMBS", "crumbs.tpl");
  for (const v1::Region& region : ancestors) {
    TemplateValues* crumb = crumbs->AddSectionDictionary("CRUMB");
    crumb->SetValue("HREF", RaceHref(PlaceHref(region.code()), race));
    crumb->SetValue("NAME", region.name());
  }
}

void AddVotes(const std::vector<Choice>& choices, const std::string& heading,
              const google::protobuf::Map<std::string, int64_t>& sums,
              TemplateValues* values) {
  TemplateValues* votes = IncludeTemplate(values, "VOTES", "votes.tpl");
  votes->SetValue("HEADING", heading);
  int64_t total = 0;
  for (const Choice& choice : choices) total += ValueOf(sums, choice.field);
  votes->SetIntValue("CHART_HEIGHT", static_cast<long>(choices.size()) * 12);
  int row = 0;
  for (const Choice& choice : choices) {
    const int64_t count = ValueOf(sums, choice.field);
    const double share = Share(count, total);
    TemplateValues* candidate = votes->AddSectionDictionary("CANDIDATE");
    candidate->SetValue("LABEL", choice.label);
    candidate->SetValue("VOTES", FormatCount(count));
    candidate->SetValue("PERCENT", FormatPercent(share));
    candidate->SetIntValue("BAR_CLASS", row % 3);
    candidate->SetIntValue("BAR_Y", row * 12 + 1);
    candidate->SetValue("BAR_WIDTH",
                        absl::StrCat(static_cast<int>(share * 1000) / 10.0));
    ++row;
  }
}

void AddCandidateHeads(const std::vector<Choice>& choices,
                       TemplateValues* values) {
  for (const Choice& choice : choices) {
    values->AddSectionDictionary("CANDIDATE")->SetValue("LABEL", choice.label);
  }
}

void AddCoverage(const v1::Aggregate& aggregate, TemplateValues* values) {
  TemplateValues* coverage =
      IncludeTemplate(values, "COVERAGE", "coverage.tpl");
  coverage->SetValue("WITH_RESULT", FormatCount(aggregate.tps_with_result()));
  coverage->SetValue("TOTAL", FormatCount(aggregate.tps_total()));
  coverage->SetValue("SHARE", FormatPercent(Share(aggregate.tps_with_result(),
                                                  aggregate.tps_total())));
  coverage->SetValue("FLAGGED", FormatCount(aggregate.tps_flagged()));
  coverage->SetValue(
      "WITHOUT_RESULT",
      FormatCount(aggregate.tps_total() - aggregate.tps_with_result()));
  coverage->SetValue("UPDATE_TIME", FormatTime(aggregate.update_time()));
}

void AddCoverageCells(const v1::Aggregate& aggregate, TemplateValues* row) {
  const double coverage =
      Share(aggregate.tps_with_result(), aggregate.tps_total());
  row->SetValue("COVERAGE_KEY",
                absl::StrCat(static_cast<int64_t>(coverage * 1e6)));
  row->SetValue("WITH_RESULT", FormatCount(aggregate.tps_with_result()));
  row->SetValue("TOTAL", FormatCount(aggregate.tps_total()));
  row->SetValue("COVERAGE", FormatPercent(coverage));
  row->SetValue("FLAGGED_KEY", absl::StrCat(aggregate.tps_flagged()));
  row->SetValue("FLAGGED", FormatCount(aggregate.tps_flagged()));
}

}  // namespace c1tally
