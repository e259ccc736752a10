#include "audit/sirekap_parser.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "audit/sirekap_race.h"
#include "nlohmann/json.hpp"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using Json = nlohmann::json;

// Sirekap's "ts" format (local time, WIB).
constexpr char kSirekapTimeFormat[] = "%Y-%m-%d %H:%M:%S";

absl::Status Bad(absl::string_view what, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(what, " ", reason));
}

// A short rendering of a JSON value for messages.
std::string Shown(const Json& value) {
  std::string text =
      value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 40) text = absl::StrCat(text.substr(0, 37), "...");
  return text;
}

// A count in [0, max]; null gives nullopt. Sirekap publishes counts as JSON
// integers; a fraction or a string is a wrong type, not a rounding matter.
absl::Status ReadCount(const Json& value, int64_t max, absl::string_view what,
                       std::optional<int64_t>* out) {
  out->reset();
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_number_integer()) {
    return Bad(what, absl::StrCat("is ", Shown(value), ": not a whole number"));
  }
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Bad(what, absl::StrCat("is ", Shown(value), ": absurdly large"));
  }
  const int64_t count = value.get<int64_t>();
  if (count < 0) return Bad(what, absl::StrCat("is ", count, ": negative"));
  if (count > max) {
    return Bad(what, absl::StrCat("is ", count, ": above ", max,
                                  ", more than the form can hold"));
  }
  *out = count;
  return absl::OkStatus();
}

// A percentage 0..100 ("persen"); null gives 0.
absl::Status ReadPercent(const Json& value, absl::string_view what,
                         double* out) {
  *out = 0;
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_number()) {
    return Bad(what, absl::StrCat("is ", Shown(value), ": not a number"));
  }
  const double percent = value.get<double>();
  if (!(percent >= 0 && percent <= 100)) {
    return Bad(what, absl::StrCat("is ", percent, ": not within 0..100"));
  }
  *out = percent;
  return absl::OkStatus();
}

absl::Status ReadString(const Json& value, absl::string_view what,
                        std::string* out) {
  out->clear();
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_string()) {
    return Bad(what, absl::StrCat("is ", Shown(value), ": not a string"));
  }
  *out = value.get<std::string>();
  return absl::OkStatus();
}

// Passes a bool to `setter`; null is left unset.
template <typename Setter>
absl::Status ReadBool(const Json& value, absl::string_view what,
                      Setter setter) {
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_boolean()) {
    return Bad(what, absl::StrCat("is ", Shown(value), ": not true or false"));
  }
  setter(value.get<bool>());
  return absl::OkStatus();
}

absl::Status ReadTime(const Json& value, std::string* out) {
  RETURN_IF_ERROR(ReadString(value, "ts", out));
  absl::Time parsed;
  std::string error;
  if (!out->empty() &&
      !absl::ParseTime(kSirekapTimeFormat, *out, &parsed, &error)) {
    return Bad("ts", absl::StrCat("is \"", *out,
                                  "\": not a time like 2024-02-16 16:25:10"));
  }
  return absl::OkStatus();
}

// Reads candidate votes from the members of `object` that are not in
// `others` (names the caller reads itself). The key "null" must be null:
// Sirekap's charts carry {"null": null} beside the candidates.
absl::Status ReadCandidates(const Json& object, const SirekapRace& race,
                            int64_t max, absl::string_view what,
                            const std::vector<absl::string_view>& others,
                            google::protobuf::Map<std::string, int64_t>* out) {
  for (const auto& [key, value] : object.items()) {
    bool other = false;
    for (absl::string_view name : others) other |= (key == name);
    if (other) continue;
    const std::string where = absl::StrCat(what, "[\"", key, "\"]");
    if (key == "null") {
      if (!value.is_null()) {
        return Bad(where, absl::StrCat("is ", Shown(value), ": expected null"));
      }
      continue;
    }
    if (!race.AcceptsCandidate(key)) {
      return Bad(what, absl::StrCat("has unknown candidate id \"", key,
                                    "\" for race ", race.name));
    }
    std::optional<int64_t> count;
    RETURN_IF_ERROR(ReadCount(value, max, where, &count));
    if (count.has_value()) (*out)[key] = *count;
  }
  return absl::OkStatus();
}

absl::Status ReadAdministrasi(const Json& value, v1::SirekapRecord* record) {
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_object()) {
    return Bad("administrasi",
               absl::StrCat("is ", Shown(value), ": not an object"));
  }
  for (const auto& [key, number] : value.items()) {
    if (!IsSirekapAdministrasiKey(key)) {
      return Bad("administrasi", absl::StrCat("has unknown key \"", key, "\""));
    }
    std::optional<int64_t> count;
    RETURN_IF_ERROR(ReadCount(number, kMaxTpsValue,
                              absl::StrCat("administrasi.", key), &count));
    if (count.has_value()) (*record->mutable_administrasi())[key] = *count;
  }
  return absl::OkStatus();
}

absl::Status ReadImages(const Json& value, v1::SirekapRecord* record) {
  if (value.is_null()) return absl::OkStatus();
  if (!value.is_array()) {
    return Bad("images", absl::StrCat("is ", Shown(value), ": not an array"));
  }
  for (size_t i = 0; i < value.size(); ++i) {
    std::string url;
    RETURN_IF_ERROR(
        ReadString(value[i], absl::StrCat("images[", i, "]"), &url));
    record->add_image_urls(url);
  }
  return absl::OkStatus();
}

// The members both kinds of file share: ts, mode, psu.
absl::Status ReadCommon(const Json& document, v1::SirekapRecord* record) {
  if (auto it = document.find("ts"); it != document.end()) {
    RETURN_IF_ERROR(ReadTime(*it, record->mutable_sirekap_time()));
  }
  for (const char* name : {"mode", "psu"}) {
    auto it = document.find(name);
    if (it == document.end()) continue;
    std::string text;
    RETURN_IF_ERROR(ReadString(*it, name, &text));
    if (absl::string_view(name) == "mode") {
      record->set_mode(text);
    } else {
      record->set_psu(text);
    }
  }
  return absl::OkStatus();
}

absl::Status ParseTps(const Json& document, const SirekapRace& race,
                      v1::SirekapRecord* record) {
  for (const char* name : {"table", "progres"}) {
    if (document.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("a region aggregate (it has \"", name,
                       "\") under TPS code ", record->code()));
    }
  }
  RETURN_IF_ERROR(ReadCommon(document, record));
  if (auto it = document.find("chart"); it != document.end()) {
    if (!it->is_null() && !it->is_object()) {
      return Bad("chart", absl::StrCat("is ", Shown(*it), ": not an object"));
    }
    if (it->is_object()) {
      RETURN_IF_ERROR(ReadCandidates(*it, race, kMaxTpsValue, "chart", {},
                                     record->mutable_chart()));
    }
  }
  if (auto it = document.find("administrasi"); it != document.end()) {
    RETURN_IF_ERROR(ReadAdministrasi(*it, record));
  }
  if (auto it = document.find("images"); it != document.end()) {
    RETURN_IF_ERROR(ReadImages(*it, record));
  }
  if (auto it = document.find("status_suara"); it != document.end()) {
    if (absl::Status read =
            ReadBool(*it, "status_suara",
                     [&](bool value) { record->set_status_suara(value); });
        !read.ok()) {
      return read;
    }
  }
  if (auto it = document.find("status_adm"); it != document.end()) {
    return ReadBool(*it, "status_adm",
                    [&](bool value) { record->set_status_adm(value); });
  }
  return absl::OkStatus();
}

absl::Status ParseRow(const std::string& child, const Json& row,
                      const SirekapRace& race,
                      v1::SirekapRecord::ChildRow* out) {
  const std::string what = absl::StrCat("table[\"", child, "\"]");
  if (!row.is_object()) {
    return Bad(what, absl::StrCat("is ", Shown(row), ": not an object"));
  }
  const int64_t max =
      child.size() == RegionCode::kTpsWidth ? kMaxTpsValue : kMaxAggregateValue;
  RETURN_IF_ERROR(ReadCandidates(row, race, max, what,
                                 {"persen", "psu", "status_progress"},
                                 out->mutable_chart()));
  if (auto it = row.find("persen"); it != row.end()) {
    double percent = 0;
    RETURN_IF_ERROR(ReadPercent(*it, absl::StrCat(what, ".persen"), &percent));
    out->set_percent(percent);
  }
  if (auto it = row.find("psu"); it != row.end()) {
    RETURN_IF_ERROR(
        ReadString(*it, absl::StrCat(what, ".psu"), out->mutable_psu()));
  }
  if (auto it = row.find("status_progress"); it != row.end()) {
    return ReadBool(*it, absl::StrCat(what, ".status_progress"),
                    [&](bool value) { out->set_status_progress(value); });
  }
  return absl::OkStatus();
}

absl::Status ParseTable(const Json& table, const RegionCode& region,
                        const SirekapRace& race, v1::SirekapRecord* record) {
  if (table.is_null()) return absl::OkStatus();
  if (!table.is_object()) {
    return Bad("table", absl::StrCat("is ", Shown(table), ": not an object"));
  }
  for (const auto& [child, row] : table.items()) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(child);
    if (!code.ok() || code->is_national() || !(code->parent() == region)) {
      return Bad("table", absl::StrCat("has a row for \"", child,
                                       "\", which is not a child of \"",
                                       region.str(), "\""));
    }
    v1::SirekapRecord::ChildRow parsed;
    RETURN_IF_ERROR(ParseRow(child, row, race, &parsed));
    (*record->mutable_table())[child] = std::move(parsed);
  }
  return absl::OkStatus();
}

absl::Status ParseProgress(const Json& progress, v1::SirekapRecord* record) {
  if (progress.is_null()) return absl::OkStatus();
  if (!progress.is_object()) {
    return Bad("progres",
               absl::StrCat("is ", Shown(progress), ": not an object"));
  }
  for (const char* name : {"total", "progres"}) {
    auto it = progress.find(name);
    if (it == progress.end()) continue;
    std::optional<int64_t> count;
    RETURN_IF_ERROR(ReadCount(*it, kMaxAggregateValue,
                              absl::StrCat("progres.", name), &count));
    if (absl::string_view(name) == "total") {
      record->set_progress_total(count.value_or(0));
    } else {
      record->set_progress_done(count.value_or(0));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseAggregate(const Json& document, const RegionCode& region,
                            const SirekapRace& race,
                            v1::SirekapRecord* record) {
  for (const char* name : {"administrasi", "images"}) {
    if (document.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("a per-TPS record (it has \"", name, "\") under \"",
                       region.str(), "\", which is a ",
                       RegionCode::LevelName(region.level()), ", not a TPS"));
    }
  }
  RETURN_IF_ERROR(ReadCommon(document, record));
  if (auto it = document.find("chart");
      it != document.end() && !it->is_null()) {
    if (!it->is_object()) {
      return Bad("chart", absl::StrCat("is ", Shown(*it), ": not an object"));
    }
    RETURN_IF_ERROR(ReadCandidates(*it, race, kMaxAggregateValue, "chart",
                                   {"persen"}, record->mutable_chart()));
    if (auto percent = it->find("persen"); percent != it->end()) {
      double value = 0;
      RETURN_IF_ERROR(ReadPercent(*percent, "chart.persen", &value));
      record->set_percent(value);
    }
  }
  if (auto it = document.find("table"); it != document.end()) {
    RETURN_IF_ERROR(ParseTable(*it, region, race, record));
  }
  if (auto it = document.find("progres"); it != document.end()) {
    return ParseProgress(*it, record);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SirekapLocation> LocateSirekapFile(
    absl::string_view path, absl::string_view default_race) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(path, '/', absl::SkipEmpty());
  if (parts.empty()) return absl::InvalidArgumentError("empty path");
  absl::string_view stem = parts.back();
  for (absl::string_view suffix : {".gz", ".json"}) {
    if (absl::EndsWithIgnoreCase(stem, suffix)) {
      stem.remove_suffix(suffix.size());
    }
  }
  parts.pop_back();
  SirekapLocation location;
  location.race = std::string(default_race);
  for (absl::string_view folder : parts) {
    if (FindSirekapRace(folder) != nullptr) location.race = std::string(folder);
  }
  if (FindSirekapRace(stem) != nullptr) {
    location.race = std::string(stem);
    return location;  // the race's national aggregate
  }
  if (FindSirekapRace(location.race) == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown Sirekap race \"", location.race, "\""));
  }
  absl::StatusOr<RegionCode> code = RegionCode::Parse(stem);
  if (!code.ok() || code->is_national()) {
    return absl::InvalidArgumentError(
        absl::StrCat("file name \"", stem, "\" is not a region or TPS code"));
  }
  // A folder named by a region code must be an ancestor: a record in the
  // wrong folder means the fetcher mixed something up.
  if (!parts.empty()) {
    absl::StatusOr<RegionCode> folder = RegionCode::Parse(parts.back());
    if (folder.ok() && !folder->is_national() &&
        !(folder->contains(*code) && !(folder.value() == *code))) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", stem, "\" is in the folder of region \"",
                       parts.back(), "\", which does not contain it"));
    }
  }
  location.code = code->str();
  return location;
}

absl::StatusOr<v1::SirekapRecord> ParseSirekapRecord(
    absl::string_view json, const SirekapLocation& where) {
  const SirekapRace* race = FindSirekapRace(where.race);
  if (race == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown Sirekap race \"", where.race, "\""));
  }
  ASSIGN_OR_RETURN(RegionCode code, RegionCode::Parse(where.code));
  Json document;
  try {
    document = Json::parse(json.begin(), json.end());
  } catch (const Json::exception& error) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed JSON: ", error.what()));
  }
  if (!document.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a Sirekap record: the top level is ",
                     document.type_name(), ", not an object"));
  }
  v1::SirekapRecord record;
  record.set_race(race->name);
  record.set_code(code.str());
  RETURN_IF_ERROR(code.is_tps()
                      ? ParseTps(document, *race, &record)
                      : ParseAggregate(document, code, *race, &record));
  return record;
}

}  // namespace c1tally
