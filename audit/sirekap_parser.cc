#include "audit/sirekap_parser.h"

#include <algorithm>
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

// Sirekap's names of a party block's two counts.
constexpr char kPartyTotal[] = "jml_suara_total";
constexpr char kPartyOnly[] = "jml_suara_partai";

// What one party's object may hold: its two counts (a per-TPS chart entry),
// its candidates' votes (a per-TPS caleg block), or both (a row of a dapil
// aggregate's table).
struct PartyMembers {
  bool counts = false;
  bool candidates = false;
  int64_t max = kMaxTpsValue;
};
constexpr PartyMembers kTpsChartEntry{true, false, kMaxTpsValue};
constexpr PartyMembers kTpsCalegBlock{false, true, kMaxTpsValue};
constexpr PartyMembers kDapilTableRow{true, true, kMaxAggregateValue};

absl::Status ReadPartyMembers(const Json& object, const PartyMembers& allowed,
                              absl::string_view what,
                              v1::SirekapRecord::PartyVotes* out) {
  if (!object.is_object()) {
    return Bad(what, absl::StrCat("is ", Shown(object), ": not an object"));
  }
  bool every_candidate = allowed.candidates;
  int listed = 0;
  for (const auto& [key, value] : object.items()) {
    const std::string where = absl::StrCat(what, "[\"", key, "\"]");
    std::optional<int64_t> count;
    if (allowed.counts && (key == kPartyTotal || key == kPartyOnly)) {
      RETURN_IF_ERROR(ReadCount(value, allowed.max, where, &count));
      if (count && key == kPartyTotal) out->set_total(*count);
      if (count && key == kPartyOnly) out->set_party_only(*count);
      continue;
    }
    if (key == "null" && value.is_null()) continue;
    if (!allowed.candidates || !IsSirekapId(key)) {
      return Bad(what, absl::StrCat("has unknown key \"", key, "\""));
    }
    RETURN_IF_ERROR(ReadCount(value, allowed.max, where, &count));
    ++listed;
    if (count) {
      (*out->mutable_candidates())[key] = *count;
    } else {
      every_candidate = false;  // not published: the block's sum is unknown
    }
  }
  if (allowed.candidates) {
    out->set_candidates_complete(every_candidate && listed > 0);
  }
  return absl::OkStatus();
}

// Blocks keyed by party id ("chart" and "caleg" of a per-TPS record, the
// "table" of a dapil aggregate) into `out`. A null party is listed with
// nothing published; blocks of one party from two places fill one entry.
absl::Status ReadParties(
    const Json& blocks, const PartyMembers& allowed, absl::string_view what,
    google::protobuf::Map<int32_t, v1::SirekapRecord::PartyVotes>* out) {
  if (blocks.is_null()) return absl::OkStatus();
  if (!blocks.is_object()) {
    return Bad(what, absl::StrCat("is ", Shown(blocks), ": not an object"));
  }
  for (const auto& [key, block] : blocks.items()) {
    if (key == "null" && block.is_null()) continue;
    const std::optional<int32_t> party = ParseSirekapPartyId(key);
    if (!party) {
      return Bad(what, absl::StrCat("has \"", key, "\", which is no party id"));
    }
    v1::SirekapRecord::PartyVotes& votes = (*out)[*party];
    if (block.is_null()) continue;
    RETURN_IF_ERROR(ReadPartyMembers(
        block, allowed, absl::StrCat(what, "[\"", key, "\"]"), &votes));
  }
  return absl::OkStatus();
}

// "kode_dapil": digits, or null.
absl::Status ReadDapilCode(const Json& value, v1::SirekapRecord* record) {
  RETURN_IF_ERROR(
      ReadString(value, "kode_dapil", record->mutable_kode_dapil()));
  const std::string& code = record->kode_dapil();
  if (!code.empty() && !IsSirekapId(code)) {
    return Bad("kode_dapil",
               absl::StrCat("is \"", code, "\": not a dapil code"));
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

// A per-TPS record's votes: "chart" keyed by candidate (ppwp, pdpd) or by
// party, each with its two counts; a race with parties adds "caleg", each
// party's candidates. Legislative records name their dapil.
absl::Status ReadTpsVotes(const Json& document, const SirekapRace& race,
                          v1::SirekapRecord* record) {
  const Json null;
  auto member = [&](const char* name) -> const Json& {
    auto it = document.find(name);
    return it == document.end() ? null : *it;
  };
  const Json& chart = member("chart");
  if (race.has_parties()) {
    RETURN_IF_ERROR(
        ReadParties(chart, kTpsChartEntry, "chart", record->mutable_parties()));
    RETURN_IF_ERROR(ReadParties(member("caleg"), kTpsCalegBlock, "caleg",
                                record->mutable_parties()));
  } else {
    if (!chart.is_null() && !chart.is_object()) {
      return Bad("chart", absl::StrCat("is ", Shown(chart), ": not an object"));
    }
    if (chart.is_object()) {
      RETURN_IF_ERROR(ReadCandidates(chart, race, kMaxTpsValue, "chart", {},
                                     record->mutable_chart()));
    }
  }
  if (race.ballot == SirekapRace::Ballot::kPairs) return absl::OkStatus();
  if (race.ballot == SirekapRace::Ballot::kCandidates &&
      !member("caleg").is_null()) {
    return Bad("caleg", absl::StrCat("is ", Shown(member("caleg")),
                                     ": DPD candidates stand without parties, "
                                     "their votes are in the chart"));
  }
  return ReadDapilCode(member("kode_dapil"), record);
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
  RETURN_IF_ERROR(ReadTpsVotes(document, race, record));
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

// A dapil aggregate (pemilu/hhcd/{race}/{kode_dapil}.json): ts, mode,
// psu, "table" keyed by party (each row its candidates' votes and the two
// counts) and "progres".
absl::Status ParseDapilAggregate(const Json& document,
                                 v1::SirekapRecord* record) {
  for (const char* name : {"administrasi", "images", "caleg", "chart"}) {
    if (document.contains(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "not a dapil aggregate (it has \"", name, "\"; a dapil's votes ",
          "are in its \"table\", keyed by party)"));
    }
  }
  RETURN_IF_ERROR(ReadCommon(document, record));
  if (auto it = document.find("table"); it != document.end()) {
    RETURN_IF_ERROR(
        ReadParties(*it, kDapilTableRow, "table", record->mutable_parties()));
  }
  if (auto it = document.find("progres"); it != document.end()) {
    return ParseProgress(*it, record);
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// Sirekap's folder of the aggregates per dapil (hhcw: per region).
constexpr char kDapilFolder[] = "hhcd";

absl::StatusOr<SirekapLocation> LocateDapilAggregate(absl::string_view stem,
                                                     SirekapLocation location) {
  const SirekapRace* race = FindSirekapRace(location.race);
  if (race == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown Sirekap race \"", location.race, "\""));
  }
  if (!race->has_parties()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no dapil aggregates in race ", race->name,
        ": its dapil is the province, whose aggregate is in hhcw"));
  }
  if (!IsSirekapId(stem)) {
    return absl::InvalidArgumentError(
        absl::StrCat("file name \"", stem, "\" is not a kode_dapil"));
  }
  location.dapil = std::string(stem);
  return location;
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
  bool dapil = false;
  for (absl::string_view folder : parts) {
    if (FindSirekapRace(folder) != nullptr) location.race = std::string(folder);
    dapil |= folder == kDapilFolder;
  }
  if (dapil) return LocateDapilAggregate(stem, std::move(location));
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
  if (!where.dapil.empty()) {
    record.set_kode_dapil(where.dapil);
    record.set_dapil_aggregate(true);
    RETURN_IF_ERROR(ParseDapilAggregate(document, &record));
    return record;
  }
  record.set_code(code.str());
  RETURN_IF_ERROR(code.is_tps()
                      ? ParseTps(document, *race, &record)
                      : ParseAggregate(document, code, *race, &record));
  return record;
}

}  // namespace c1tally
