#include "storage/kpu_region_sources.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "storage/csv_reader.h"
#include "storage/region_code.h"
#include "storage/source_file.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

namespace problem = import_problem;

// Sirekap's TPS numbers are 3 digits.
constexpr int kMaxTpsPerKelurahan = 999;

constexpr char kWilayahHeader[] = "kode,nama,tingkat,kpu_id";
constexpr char kTpsHeader[] =
    "kode_kelurahan,nama_kelurahan,jumlah_tps,tps_suffixes_if_noncontiguous";

// The kind of CSV whose header row is `header`; nullopt for neither.
std::optional<RegionCsvKind> CsvKindOf(const std::vector<std::string>& header) {
  std::vector<std::string> names;
  for (const std::string& field : header) {
    names.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(field)));
  }
  const std::string joined = absl::StrJoin(names, ",");
  if (joined == kWilayahHeader) return RegionCsvKind::kWilayah;
  if (joined == kTpsHeader) return RegionCsvKind::kTps;
  return std::nullopt;
}

// The zero-padded 3-digit form of a TPS number.
std::string ThreeDigits(int number) {
  std::string digits = absl::StrCat(number);
  return std::string(3 - std::min<size_t>(3, digits.size()), '0') + digits;
}

// The 3-digit TPS numbers of one TPS CSV row, or why the row is faulty.
absl::StatusOr<std::vector<std::string>> TpsNumbers(absl::string_view jumlah,
                                                    absl::string_view listed) {
  int count = 0;
  if (!absl::SimpleAtoi(jumlah, &count) || count < 0 ||
      count > kMaxTpsPerKelurahan) {
    return absl::InvalidArgumentError(
        absl::StrCat("jumlah_tps \"", jumlah, "\" is not a number from 0 to ",
                     kMaxTpsPerKelurahan));
  }
  std::vector<std::string> numbers;
  if (listed.empty()) {
    for (int i = 1; i <= count; ++i) numbers.push_back(ThreeDigits(i));
    return numbers;
  }
  for (absl::string_view token :
       absl::StrSplit(listed, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
    const bool digits = std::all_of(token.begin(), token.end(), [](char c) {
      return absl::ascii_isdigit(static_cast<unsigned char>(c));
    });
    if (token.size() != 3 || !digits) {
      return absl::InvalidArgumentError(
          absl::StrCat("TPS number \"", token, "\" is not 3 digits"));
    }
    numbers.emplace_back(token);
  }
  if (static_cast<int>(numbers.size()) != count) {
    return absl::InvalidArgumentError(absl::StrCat("jumlah_tps is ", count,
                                                   " but ", numbers.size(),
                                                   " TPS numbers are listed"));
  }
  std::vector<std::string> sorted = numbers;
  std::sort(sorted.begin(), sorted.end());
  auto duplicate = std::adjacent_find(sorted.begin(), sorted.end());
  if (duplicate != sorted.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TPS number ", *duplicate, " is listed twice"));
  }
  return numbers;
}

void ParseWilayahRow(const std::vector<std::string>& fields, uint32_t source,
                     uint32_t line, SourceRecords* out) {
  if (fields.size() != 4) {
    out->Problem(problem::kBadRow, source, line,
                 absl::StrCat("expected 4 columns (", kWilayahHeader,
                              "), found ", fields.size()));
    return;
  }
  int tingkat = 0;
  if (!absl::SimpleAtoi(fields[2], &tingkat) || tingkat < 1 || tingkat > 5) {
    out->Problem(
        problem::kBadRow, source, line,
        absl::StrCat("tingkat \"", fields[2], "\" is not a level from 1 to 5"));
    return;
  }
  int64_t kpu_id = 0;
  const absl::string_view id = absl::StripAsciiWhitespace(fields[3]);
  if (!id.empty() && (!absl::SimpleAtoi(id, &kpu_id) || kpu_id < 0)) {
    out->Problem(problem::kBadRow, source, line,
                 absl::StrCat("kpu_id \"", id, "\" is not a number"));
    return;
  }
  SourceRecord record;
  record.code = fields[0];
  record.name = fields[1];
  record.kpu_id = kpu_id;
  record.source = source;
  record.position = line;
  record.tingkat = tingkat;
  out->Admit(std::move(record));
}

void ParseTpsRow(const std::vector<std::string>& fields, uint32_t source,
                 uint32_t line, SourceRecords* out) {
  if (fields.size() != 4) {
    ++out->report.records_read;
    out->Problem(problem::kBadRow, source, line,
                 absl::StrCat("expected 4 columns (", kTpsHeader, "), found ",
                              fields.size()));
    return;
  }
  const absl::string_view kelurahan = absl::StripAsciiWhitespace(fields[0]);
  absl::StatusOr<std::vector<std::string>> numbers =
      TpsNumbers(absl::StripAsciiWhitespace(fields[2]),
                 absl::StripAsciiWhitespace(fields[3]));
  if (!numbers.ok()) {
    ++out->report.records_read;
    out->Problem(problem::kBadRow, source, line,
                 absl::StrCat(numbers.status().message(), "; row skipped"));
    return;
  }
  // One report for a bad kelurahan code, not one per TPS.
  absl::StatusOr<RegionCode> code =
      RegionCode::ParseAt(kelurahan, v1::REGION_LEVEL_KELURAHAN);
  if (!code.ok()) {
    ++out->report.records_read;
    absl::StatusOr<RegionCode> any = RegionCode::Parse(kelurahan);
    const bool wrong_level = any.ok() && !any->is_national();
    out->Problem(wrong_level ? problem::kLevelMismatch : problem::kBadCode,
                 source, line,
                 absl::StrCat("kode_kelurahan: ", code.status().message()));
    return;
  }
  if (!absl::StripAsciiWhitespace(fields[1]).empty()) {
    SourceRecord reference;
    reference.code = code->str();
    reference.name = fields[1];
    reference.source = source;
    reference.position = line;
    reference.reference_only = true;
    out->Admit(std::move(reference));
  }
  for (const std::string& number : *numbers) {
    ++out->report.records_read;
    SourceRecord tps;
    tps.code = absl::StrCat(code->str(), number);
    tps.name = absl::StrCat("TPS ", number);
    tps.source = source;
    tps.position = line;
    tps.tingkat = v1::REGION_LEVEL_TPS;
    out->Admit(std::move(tps));
  }
}

// A non-negative integer member of a JSON object; absent or null is 0 when
// `optional`.
bool JsonInt(const nlohmann::json& object, const char* key, bool optional,
             int64_t* value) {
  *value = 0;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return optional;
  if (it->is_number_unsigned()) {
    const uint64_t number = it->get<uint64_t>();
    if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    *value = static_cast<int64_t>(number);
    return true;
  }
  if (!it->is_number_integer()) return false;
  *value = it->get<int64_t>();
  return *value >= 0;
}

const std::string* JsonString(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

void ParseKpuJsonElement(const nlohmann::json& element, uint32_t source,
                         uint32_t position, SourceRecords* out) {
  ++out->report.records_read;
  if (!element.is_object()) {
    out->Problem(problem::kBadRow, source, position, "not a JSON object");
    return;
  }
  const std::string* kode = JsonString(element, "kode");
  const std::string* nama = JsonString(element, "nama");
  int64_t tingkat = 0;
  int64_t id = 0;
  std::string error;
  if (kode == nullptr) {
    error = "\"kode\" is missing or not a string";
  } else if (nama == nullptr) {
    error = "\"nama\" is missing or not a string";
  } else if (!JsonInt(element, "tingkat", /*optional=*/false, &tingkat) ||
             tingkat < 1 || tingkat > 5) {
    error = "\"tingkat\" is missing or not a level from 1 to 5";
  } else if (!JsonInt(element, "id", /*optional=*/true, &id)) {
    error = "\"id\" is not a non-negative integer";
  }
  if (!error.empty()) {
    out->Problem(problem::kBadRow, source, position, error);
    return;
  }
  SourceRecord record;
  record.code = *kode;
  record.name = *nama;
  record.kpu_id = id;
  record.source = source;
  record.position = position;
  record.tingkat = static_cast<int>(tingkat);
  out->Admit(std::move(record));
}

void ParseKpuJsonText(const std::string& text, uint32_t source,
                      SourceRecords* out) {
  const nlohmann::json document =
      nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    ++out->report.records_read;
    out->Problem(problem::kBadRow, source, 0, "not valid JSON");
    return;
  }
  if (!document.is_array()) {
    ++out->report.records_read;
    out->Problem(problem::kBadRow, source, 0,
                 "not a JSON array of {nama, id, kode, tingkat}");
    return;
  }
  uint32_t position = 0;
  for (const nlohmann::json& element : document) {
    ParseKpuJsonElement(element, source, ++position, out);
  }
}

}  // namespace

absl::StatusOr<SourceRecords> ReadRegionCsv(const std::string& path,
                                            RegionCsvKind wanted) {
  ASSIGN_OR_RETURN(std::string text, ReadSourceFile(path));
  CsvReader reader(text);
  std::vector<std::string> fields;
  uint32_t line = 0;
  std::string error;
  const bool has_header = reader.Next(&fields, &line, &error);
  const std::optional<RegionCsvKind> kind =
      has_header && error.empty() ? CsvKindOf(fields) : std::nullopt;
  if (!kind.has_value() ||
      (wanted != RegionCsvKind::kEither && *kind != wanted)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path,
                     "\" is neither KPU region JSON (*.json) nor a known CSV: "
                     "its first line is \"",
                     absl::StrJoin(fields, ","), "\"; expected \"",
                     kWilayahHeader, "\" or \"", kTpsHeader, "\""));
  }
  SourceRecords source;
  const uint32_t index = source.AddName(path, /*json=*/false);
  while (reader.Next(&fields, &line, &error)) {
    if (!error.empty()) {
      ++source.report.records_read;
      source.Problem(problem::kBadRow, index, line, error);
      continue;
    }
    if (*kind == RegionCsvKind::kWilayah) {
      ++source.report.records_read;
      ParseWilayahRow(fields, index, line, &source);
    } else {
      ParseTpsRow(fields, index, line, &source);
    }
  }
  return source;
}

absl::StatusOr<SourceRecords> ReadKpuRegionJson(const std::string& path) {
  std::vector<std::string> files = {path};
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    ASSIGN_OR_RETURN(std::vector<std::string> listed, JsonFilesUnder(path));
    files = std::move(listed);
  }
  SourceRecords source;
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadSourceFile(file));
    ParseKpuJsonText(text, source.AddName(file, /*json=*/true), &source);
  }
  return source;
}

}  // namespace c1tally
