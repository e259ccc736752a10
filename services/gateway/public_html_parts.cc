#include "services/gateway/public_html_parts.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/gateway/display_format.h"

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

std::vector<const v1::FormKind::Field*> CandidateFields(
    const v1::FormKind& kind) {
  std::vector<const v1::FormKind::Field*> fields;
  for (const v1::FormKind::Rule& rule : kind.rules()) {
    if (rule.right_size() != 1 || rule.right(0) != "suara_sah") continue;
    for (const std::string& name : rule.left()) {
      for (const v1::FormKind::Field& field : kind.fields()) {
        if (field.name() == name) fields.push_back(&field);
      }
    }
  }
  return fields;
}

std::string CandidateLabel(const v1::FormKind::Field& field) {
  std::string label(absl::StripPrefix(field.label(), "Suara "));
  if (!label.empty()) label[0] = absl::ascii_toupper(label[0]);
  return label;
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

void AddCrumbs(const std::vector<v1::Region>& ancestors,
               TemplateValues* values) {
  TemplateValues* crumbs = IncludeTemplate(values, "CRUMBS", "crumbs.tpl");
  for (const v1::Region& region : ancestors) {
    TemplateValues* crumb = crumbs->AddSectionDictionary("CRUMB");
    crumb->SetValue("HREF", PlaceHref(region.code()));
    crumb->SetValue("NAME", region.name());
  }
}

void AddVotes(const v1::FormKind& kind,
              const google::protobuf::Map<std::string, int64_t>& sums,
              TemplateValues* values) {
  TemplateValues* votes = IncludeTemplate(values, "VOTES", "votes.tpl");
  const auto candidates = CandidateFields(kind);
  int64_t total = 0;
  for (const auto* field : candidates) total += ValueOf(sums, field->name());
  votes->SetIntValue("CHART_HEIGHT", static_cast<long>(candidates.size()) * 12);
  int row = 0;
  for (const auto* field : candidates) {
    const int64_t count = ValueOf(sums, field->name());
    const double share = Share(count, total);
    TemplateValues* candidate = votes->AddSectionDictionary("CANDIDATE");
    candidate->SetValue("LABEL", CandidateLabel(*field));
    candidate->SetValue("VOTES", FormatCount(count));
    candidate->SetValue("PERCENT", FormatPercent(share));
    candidate->SetIntValue("BAR_CLASS", row % 3);
    candidate->SetIntValue("BAR_Y", row * 12 + 1);
    candidate->SetValue("BAR_WIDTH",
                        absl::StrCat(static_cast<int>(share * 1000) / 10.0));
    ++row;
  }
}

void AddCandidateHeads(const v1::FormKind& kind, TemplateValues* values) {
  for (const auto* field : CandidateFields(kind)) {
    values->AddSectionDictionary("CANDIDATE")
        ->SetValue("LABEL", CandidateLabel(*field));
  }
}

}  // namespace c1tally
