#include "storage/region_import.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "nlohmann/json.hpp"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/region_code.h"
#include "storage/source_file.h"
#include "storage/status_macros.h"

namespace c1tally {

namespace problem = import_problem;

namespace region_import_internal {

// One record as a source gave it.
struct Record {
  std::string code;
  std::string name;
  int64_t kpu_id = 0;
  // Index into Source::names, and the CSV line or JSON element (1-based; 0
  // for none).
  uint32_t source = 0;
  uint32_t position = 0;
  // The level the source claims; 0 when it claims none.
  int tingkat = 0;
  // A kelurahan named by the TPS CSV: it checks the name of the kelurahan
  // defined elsewhere in the import and defines nothing itself.
  bool reference_only = false;
};

// What a source (or the whole import so far) collected: the records that
// passed the checks that need no other record, in the order added, and the
// problems found while parsing.
struct Source {
  struct Name {
    std::string name;
    // Positions are JSON array elements, not CSV lines.
    bool json = false;
  };

  std::vector<Record> records;
  std::vector<Name> names;
  ImportReport report;

  uint32_t AddName(absl::string_view name, bool json) {
    names.push_back({std::string(name), json});
    return static_cast<uint32_t>(names.size() - 1);
  }

  // "file:line", "file: element N" or just the name.
  std::string Origin(uint32_t source, uint32_t position) const {
    const Name& name = names[source];
    if (position == 0) return name.name;
    if (name.json) return absl::StrCat(name.name, ": element ", position);
    return absl::StrCat(name.name, ":", position);
  }
  std::string Origin(const Record& record) const {
    return Origin(record.source, record.position);
  }

  void Problem(absl::string_view kind, uint32_t source, uint32_t position,
               absl::string_view reason) {
    report.Add(kind, absl::StrCat(Origin(source, position), ": ", reason));
  }

  // Checks what can be checked of one record alone (code, level, name) and
  // keeps it, or reports why not. Does not count it as read.
  void Admit(Record record);

  // Adds `other` after the records of this source.
  void Append(Source&& other);
};

void Source::Admit(Record record) {
  record.name = std::string(absl::StripAsciiWhitespace(record.name));
  absl::StatusOr<RegionCode> code =
      RegionCode::Parse(absl::StripAsciiWhitespace(record.code));
  if (!code.ok()) {
    Problem(problem::kBadCode, record.source, record.position,
            code.status().message());
    return;
  }
  if (code->is_national()) {
    Problem(problem::kBadCode, record.source, record.position,
            absl::StrCat("code \"", record.code,
                         "\" is the nation's, which is not imported"));
    return;
  }
  if (record.tingkat != 0 && record.tingkat != code->level()) {
    Problem(problem::kLevelMismatch, record.source, record.position,
            absl::StrCat("code ", code->str(), " has ", code->str().size(),
                         " digits (", RegionCode::LevelName(code->level()),
                         ") but tingkat is ", record.tingkat));
    return;
  }
  if (record.name.empty()) {
    Problem(problem::kBadRow, record.source, record.position,
            absl::StrCat("code ", code->str(), " has an empty name"));
    return;
  }
  record.code = code->str();
  record.tingkat = code->level();
  records.push_back(std::move(record));
}

void Source::Append(Source&& other) {
  const uint32_t offset = static_cast<uint32_t>(names.size());
  for (Name& name : other.names) names.push_back(std::move(name));
  records.reserve(records.size() + other.records.size());
  for (Record& record : other.records) {
    record.source += offset;
    records.push_back(std::move(record));
  }
  report.records_read += other.report.records_read;
  report.MergeProblems(other.report);
}

}  // namespace region_import_internal

namespace {

using region_import_internal::Record;
using region_import_internal::Source;

// Records per WriteBatch: large enough that the per-batch WAL sync costs
// little, small enough to bound memory.
constexpr size_t kBatchRecords = 10000;
// Sirekap's TPS numbers are 3 digits.
constexpr int kMaxTpsPerKelurahan = 999;
// Domestic TPS from 900 up are special-location TPS, outside the 1..N
// numbering.
constexpr int kFirstSpecialTpsNumber = 900;

constexpr char kWilayahHeader[] = "kode,nama,tingkat,kpu_id";
constexpr char kTpsHeader[] =
    "kode_kelurahan,nama_kelurahan,jumlah_tps,tps_suffixes_if_noncontiguous";

// Order of the kinds in ImportReport::ToString().
constexpr const char* kErrorKinds[] = {
    problem::kBadRow, problem::kBadCode, problem::kLevelMismatch,
    problem::kNameConflict, problem::kOrphan};
constexpr const char* kNoteKinds[] = {problem::kKelurahanWithoutTps,
                                      problem::kTpsNumberingGaps,
                                      problem::kSpecialTps, problem::kOverseas};

// ---------------------------------------------------------------------------
// Reading sources

// Splits RFC 4180 text into rows: fields separated by commas, optionally
// quoted with '"' (a quoted field may hold commas, line breaks and "" for a
// quote), rows ended by LF or CRLF. Empty lines are skipped.
class CsvReader {
 public:
  // `text` must outlive the reader.
  explicit CsvReader(absl::string_view text) : text_(text) {}

  // Reads the next row into `fields` and the line it starts on into `line`.
  // Returns false at the end of the text. On a syntax error sets `error`
  // (else clears it) and skips the rest of the faulty line, so that reading
  // can go on.
  bool Next(std::vector<std::string>* fields, uint32_t* line,
            std::string* error) {
    fields->clear();
    error->clear();
    while (!AtEnd() && (Peek() == '\n' || Peek() == '\r')) {
      if (Peek() == '\n') ++line_;
      ++pos_;
    }
    if (AtEnd()) return false;
    *line = line_;
    for (;;) {
      std::string field;
      if (!ReadField(&field, error)) return true;
      fields->push_back(std::move(field));
      if (AtEnd()) return true;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '\r') ++pos_;
      if (AtEnd()) return true;
      if (Peek() == '\n') {
        ++pos_;
        ++line_;
        return true;
      }
      *error = "unexpected text after a closing quote";
      SkipLine();
      return true;
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  // Reads one field, up to the comma or line break after it.
  bool ReadField(std::string* field, std::string* error) {
    if (!AtEnd() && Peek() == '"') return ReadQuoted(field, error);
    while (!AtEnd() && Peek() != ',' && Peek() != '\n' && Peek() != '\r') {
      if (Peek() == '"') {
        *error = "a quote inside an unquoted field";
        SkipLine();
        return false;
      }
      field->push_back(text_[pos_++]);
    }
    return true;
  }

  bool ReadQuoted(std::string* field, std::string* error) {
    ++pos_;
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '"') {
        if (AtEnd() || Peek() != '"') return true;
        ++pos_;  // "" stands for one quote
      } else if (c == '\n') {
        ++line_;
      }
      field->push_back(c);
    }
    *error = "a quoted field is never closed";
    return false;
  }

  void SkipLine() {
    while (!AtEnd() && Peek() != '\n') ++pos_;
    if (!AtEnd()) {
      ++pos_;
      ++line_;
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
};

enum class CsvKind { kUnknown, kWilayah, kTps };

// The kind of CSV whose header row is `header`.
CsvKind CsvKindOf(const std::vector<std::string>& header) {
  std::vector<std::string> names;
  for (const std::string& field : header) {
    names.push_back(absl::AsciiStrToLower(absl::StripAsciiWhitespace(field)));
  }
  const std::string joined = absl::StrJoin(names, ",");
  if (joined == kWilayahHeader) return CsvKind::kWilayah;
  if (joined == kTpsHeader) return CsvKind::kTps;
  return CsvKind::kUnknown;
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
                     uint32_t line, Source* out) {
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
  Record record;
  record.code = fields[0];
  record.name = fields[1];
  record.kpu_id = kpu_id;
  record.source = source;
  record.position = line;
  record.tingkat = tingkat;
  out->Admit(std::move(record));
}

void ParseTpsRow(const std::vector<std::string>& fields, uint32_t source,
                 uint32_t line, Source* out) {
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
    Record reference;
    reference.code = code->str();
    reference.name = fields[1];
    reference.source = source;
    reference.position = line;
    reference.reference_only = true;
    out->Admit(std::move(reference));
  }
  for (const std::string& number : *numbers) {
    ++out->report.records_read;
    Record tps;
    tps.code = absl::StrCat(code->str(), number);
    tps.name = absl::StrCat("TPS ", number);
    tps.source = source;
    tps.position = line;
    tps.tingkat = v1::REGION_LEVEL_TPS;
    out->Admit(std::move(tps));
  }
}

// Parses a CSV of `wanted` kind (or either kind, for kUnknown). Fails only
// when the file cannot be read or its header is not the one wanted.
absl::StatusOr<Source> ParseCsvFile(const std::string& path, CsvKind wanted) {
  ASSIGN_OR_RETURN(std::string text, ReadSourceFile(path));
  CsvReader reader(text);
  std::vector<std::string> fields;
  uint32_t line = 0;
  std::string error;
  const bool has_header = reader.Next(&fields, &line, &error);
  const CsvKind kind =
      has_header && error.empty() ? CsvKindOf(fields) : CsvKind::kUnknown;
  if (kind == CsvKind::kUnknown ||
      (wanted != CsvKind::kUnknown && kind != wanted)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path,
                     "\" is neither KPU region JSON (*.json) nor a known CSV: "
                     "its first line is \"",
                     absl::StrJoin(fields, ","), "\"; expected \"",
                     kWilayahHeader, "\" or \"", kTpsHeader, "\""));
  }
  Source source;
  const uint32_t index = source.AddName(path, /*json=*/false);
  while (reader.Next(&fields, &line, &error)) {
    if (!error.empty()) {
      ++source.report.records_read;
      source.Problem(problem::kBadRow, index, line, error);
      continue;
    }
    if (kind == CsvKind::kWilayah) {
      ++source.report.records_read;
      ParseWilayahRow(fields, index, line, &source);
    } else {
      ParseTpsRow(fields, index, line, &source);
    }
  }
  return source;
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
                         uint32_t position, Source* out) {
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
  Record record;
  record.code = *kode;
  record.name = *nama;
  record.kpu_id = id;
  record.source = source;
  record.position = position;
  record.tingkat = static_cast<int>(tingkat);
  out->Admit(std::move(record));
}

void ParseKpuJsonText(const std::string& text, uint32_t source, Source* out) {
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

absl::StatusOr<Source> ParseKpuJsonPath(const std::string& path) {
  std::vector<std::string> files = {path};
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    ASSIGN_OR_RETURN(std::vector<std::string> listed, JsonFilesUnder(path));
    files = std::move(listed);
  }
  Source source;
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadSourceFile(file));
    ParseKpuJsonText(text, source.AddName(file, /*json=*/true), &source);
  }
  return source;
}

// ---------------------------------------------------------------------------
// Placing records

// Looks up keys of one family in increasing order by moving one iterator
// forward: cheaper than a point lookup per key when most keys are present.
class ForwardReader {
 public:
  // `db` must outlive the reader. The reader sees the family as it was when
  // the reader was made.
  ForwardReader(Database* db, Family family) : it_(db->NewIterator(family)) {}

  // Sets `value` and returns true if `key` exists. Keys must be passed in
  // increasing order.
  absl::StatusOr<bool> Find(const std::string& key, std::string* value) {
    // A few steps forward, then a seek: imports are usually dense.
    constexpr int kMaxSteps = 8;
    if (!positioned_) {
      it_->Seek(key);
      positioned_ = true;
    } else {
      for (int i = 0; i < kMaxSteps && Before(key); ++i) it_->Next();
      if (Before(key)) it_->Seek(key);
    }
    if (!it_->Valid()) {
      if (!it_->status().ok()) return FromRocksStatus(it_->status(), "read");
      return false;
    }
    if (it_->key() != rocksdb::Slice(key)) return false;
    value->assign(it_->value().data(), it_->value().size());
    return true;
  }

 private:
  bool Before(const std::string& key) const {
    return it_->Valid() && it_->key().compare(rocksdb::Slice(key)) < 0;
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  bool positioned_ = false;
};

// Writes puts in batches of kBatchRecords records.
class BatchWriter {
 public:
  // `db` must outlive the writer.
  explicit BatchWriter(Database* db) : db_(db) {}

  rocksdb::WriteBatch* batch() { return &batch_; }

  // Ends one record's puts; writes the batch when it is full.
  absl::Status EndRecord() {
    if (++records_ < kBatchRecords) return absl::OkStatus();
    return Flush();
  }

  absl::Status Flush() {
    if (records_ == 0) return absl::OkStatus();
    absl::Status written = db_->Write(&batch_);
    batch_.Clear();
    records_ = 0;
    return written;
  }

 private:
  Database* const db_;
  rocksdb::WriteBatch batch_;
  size_t records_ = 0;
};

absl::Status Put(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* cf,
                 const std::string& key, const std::string& value) {
  return FromRocksStatus(batch->Put(cf, key, value), "batch");
}

// Places records sorted by code: finds orphans and conflicts, compares with
// the stored records and writes what is new or changed.
//
// Sorted order puts every parent before its descendants and keeps the
// descendants of a code together, so a parent was placed by this import
// iff it is the last code placed at its level.
class Placer {
 public:
  // All pointers must outlive the placer; `source` names the origins of the
  // records.
  Placer(Database* db, const Source* source, ImportReport* report)
      : db_(db),
        source_(source),
        report_(report),
        regions_(db, Family::kRegions),
        tps_(db, Family::kTps),
        writer_(db) {}

  // Places the records [begin, end) of one code, in the order added. Codes
  // must come in increasing order.
  absl::Status PlaceGroup(const Record* begin, const Record* end) {
    const Record* winner = std::find_if(
        begin, end, [](const Record& r) { return !r.reference_only; });
    if (winner == end) return absl::OkStatus();  // only TPS CSV references
    const int64_t kpu_id = CheckConflicts(begin, end, *winner);
    absl::StatusOr<RegionCode> code = RegionCode::Parse(winner->code);
    if (!code.ok()) return code.status();  // checked by Admit
    absl::StatusOr<bool> placed = CheckParent(*code, *winner);
    if (!placed.ok() || !*placed) return placed.status();
    placed_[code->level()] = code->str();
    if (code->is_overseas()) {
      report_->Add(problem::kOverseas,
                   absl::StrCat(code->str(), ": ", winner->name));
    }
    if (code->is_tps() || code->level() == v1::REGION_LEVEL_KELURAHAN) {
      Touch(code->is_tps() ? code->parent().str() : code->str());
    }
    return code->is_tps() ? PlaceTps(*code, *winner)
                          : PlaceRegion(*code, *winner, kpu_id);
  }

  absl::Status Finish() { return writer_.Flush(); }

  // Kelurahan placed or given TPS by this import, sorted and unique.
  const std::vector<std::string>& touched_kelurahan() const { return touched_; }

 private:
  // Records that this import placed `kelurahan` or TPS in it. Codes come
  // in increasing order, so the list stays sorted.
  void Touch(const std::string& kelurahan) {
    if (touched_.empty() || touched_.back() != kelurahan) {
      touched_.push_back(kelurahan);
    }
  }

  // Reports the records that disagree with `winner`; returns the KPU id to
  // keep (the winner's, or the first one given with the same name).
  int64_t CheckConflicts(const Record* begin, const Record* end,
                         const Record& winner) {
    int64_t kpu_id = winner.kpu_id;
    for (const Record* other = begin; other != end; ++other) {
      if (other == &winner) continue;
      std::string what;
      if (other->name != winner.name) {
        what = absl::StrCat("is named \"", other->name, "\" here but \"",
                            winner.name, "\"");
      } else if (!other->reference_only && other->kpu_id != 0) {
        if (kpu_id == 0) kpu_id = other->kpu_id;
        if (other->kpu_id != kpu_id) {
          what =
              absl::StrCat("has kpu_id ", other->kpu_id, " here but ", kpu_id);
        }
      }
      if (what.empty()) continue;
      report_->Add(
          problem::kNameConflict,
          absl::StrCat(source_->Origin(*other), ": ", winner.code, " ", what,
                       " in ", source_->Origin(winner), ", which is kept"));
    }
    return kpu_id;
  }

  // True if the parent of `code` is known; else reports an orphan.
  absl::StatusOr<bool> CheckParent(const RegionCode& code,
                                   const Record& record) {
    const RegionCode parent = code.parent();
    if (parent.is_national()) return true;
    const int slot = parent.level();
    if (placed_[slot] == parent.str()) return true;
    if (checked_[slot] != parent.str()) {
      std::string ignored;
      absl::Status read =
          db_->Get(Family::kRegions, parent.str(), &ignored, "region");
      if (!read.ok() && !absl::IsNotFound(read)) return read;
      checked_[slot] = parent.str();
      stored_[slot] = read.ok();
    }
    if (stored_[slot]) return true;
    const bool orphan_parent = orphans_[slot] == parent.str();
    orphans_[code.level()] = code.str();
    report_->Add(
        problem::kOrphan,
        absl::StrCat(code.str(), ": parent ", parent.str(),
                     orphan_parent
                         ? " is an orphan too"
                         : " is neither in the database nor in this import",
                     " (", source_->Origin(record), ")"));
    return false;
  }

  absl::Status PlaceRegion(const RegionCode& code, const Record& record,
                           int64_t kpu_id) {
    ImportReport::LevelCounts& counts = report_->at(code.level());
    std::string stored;
    ASSIGN_OR_RETURN(bool found, regions_.Find(code.str(), &stored));
    v1::Region region;
    if (found) {
      if (!region.ParseFromString(stored)) {
        return absl::DataLossError(
            absl::StrCat("stored region ", code.str(), " is unreadable"));
      }
      if (region.name() == record.name &&
          (kpu_id == 0 || region.kpu_id() == kpu_id)) {
        ++counts.unchanged;
        return absl::OkStatus();
      }
      ++counts.updated;
    } else {
      ++counts.added;
      region.set_code(code.str());
      region.set_level(code.level());
      region.set_parent(code.parent().str());
      RETURN_IF_ERROR(Put(writer_.batch(), db_->handle(Family::kChildren),
                          keys::Child(code.parent().str(), code.str()), ""));
    }
    region.set_name(record.name);
    if (kpu_id != 0) region.set_kpu_id(kpu_id);
    RETURN_IF_ERROR(Put(writer_.batch(), db_->handle(Family::kRegions),
                        code.str(), region.SerializeAsString()));
    return writer_.EndRecord();
  }

  absl::Status PlaceTps(const RegionCode& code, const Record& record) {
    ImportReport::LevelCounts& counts = report_->at(v1::REGION_LEVEL_TPS);
    const v1::TpsKind kind = TpsKindOf(code, record.name);
    if (kind == v1::TPS_KIND_SPECIAL_LOCATION) {
      report_->Add(problem::kSpecialTps,
                   absl::StrCat(code.str(), ": ", record.name));
    }
    std::string stored;
    ASSIGN_OR_RETURN(bool found, tps_.Find(code.str(), &stored));
    v1::Tps tps;
    if (found) {
      if (!tps.ParseFromString(stored)) {
        return absl::DataLossError(
            absl::StrCat("stored TPS ", code.str(), " is unreadable"));
      }
      if (tps.name() == record.name && tps.kind() == kind) {
        ++counts.unchanged;
        return absl::OkStatus();
      }
      ++counts.updated;
    } else {
      ++counts.added;
      tps.set_code(code.str());
      tps.set_parent(code.parent().str());
      RETURN_IF_ERROR(Put(writer_.batch(), db_->handle(Family::kChildren),
                          keys::Child(code.parent().str(), code.str()), ""));
    }
    tps.set_name(record.name);
    tps.set_kind(kind);
    RETURN_IF_ERROR(Put(writer_.batch(), db_->handle(Family::kTps), code.str(),
                        tps.SerializeAsString()));
    return writer_.EndRecord();
  }

  Database* const db_;
  const Source* const source_;
  ImportReport* const report_;
  ForwardReader regions_;
  ForwardReader tps_;
  BatchWriter writer_;
  // Per level (indexed by v1::RegionLevel): the last code placed, the last
  // code reported as an orphan, and the last parent looked up in the
  // database with whether it was there.
  std::array<std::string, v1::RegionLevel_ARRAYSIZE> placed_;
  std::array<std::string, v1::RegionLevel_ARRAYSIZE> orphans_;
  std::array<std::string, v1::RegionLevel_ARRAYSIZE> checked_;
  std::array<bool, v1::RegionLevel_ARRAYSIZE> stored_ = {};
  std::vector<std::string> touched_;
};

// ---------------------------------------------------------------------------
// Counting

using Counts = absl::flat_hash_map<std::string, int64_t>;

bool Touched(const std::vector<std::string>& touched,
             absl::string_view kelurahan) {
  return std::binary_search(touched.begin(), touched.end(), kelurahan);
}

absl::Status EnsureNation(Database* db, ImportReport* report) {
  std::string ignored;
  absl::Status read = db->Get(Family::kRegions, "", &ignored, "nation");
  if (!absl::IsNotFound(read)) return read;
  v1::Region nation;
  nation.set_name("Indonesia");
  nation.set_level(v1::REGION_LEVEL_NATIONAL);
  rocksdb::WriteBatch batch;
  RETURN_IF_ERROR(Put(&batch, db->handle(Family::kRegions), "",
                      nation.SerializeAsString()));
  ++report->at(v1::REGION_LEVEL_NATIONAL).added;
  return db->Write(&batch);
}

// Direct children of every parent, from kChildren (whose keys of one parent
// are contiguous).
absl::Status CountChildren(Database* db, Counts* children) {
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kChildren);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    const size_t slash = key.find('/');
    if (slash != absl::string_view::npos) ++(*children)[key.substr(0, slash)];
  }
  return FromRocksStatus(it->status(), "counting children");
}

// The TPS of one kelurahan, as CountTps meets them in key order.
struct KelurahanRun {
  std::string kelurahan;
  int64_t tps = 0;
  // TPS that take part in the 1..N numbering, and the highest number.
  int regular = 0;
  int highest_regular = 0;
};

void EndRun(const KelurahanRun& run, const std::vector<std::string>& touched,
            Counts* below, ImportReport* report) {
  if (run.tps == 0) return;
  // The kelurahan and its ancestors, nation included.
  for (size_t width : {10, 6, 4, 2, 0}) {
    (*below)[absl::string_view(run.kelurahan).substr(0, width)] += run.tps;
  }
  if (run.regular != run.highest_regular && Touched(touched, run.kelurahan)) {
    report->Add(
        problem::kTpsNumberingGaps,
        absl::StrCat(run.kelurahan, ": ", run.regular,
                     " regular TPS numbered up to ", run.highest_regular));
  }
}

// TPS below every region, from kTps; notes numbering gaps of the touched
// kelurahan.
absl::Status CountTps(Database* db, const std::vector<std::string>& touched,
                      Counts* below, ImportReport* report) {
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kTps);
  KelurahanRun run;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (key.size() != RegionCode::kTpsWidth) continue;
    if (key.substr(0, 10) != run.kelurahan) {
      EndRun(run, touched, below, report);
      run = KelurahanRun{std::string(key.substr(0, 10))};
    }
    ++run.tps;
    int number = 0;
    absl::SimpleAtoi(key.substr(10), &number);
    // Abroad, 9xx numbers are ordinary.
    if (number < kFirstSpecialTpsNumber || absl::StartsWith(key, "99")) {
      ++run.regular;
      run.highest_regular = std::max(run.highest_regular, number);
    }
  }
  EndRun(run, touched, below, report);
  return FromRocksStatus(it->status(), "counting TPS");
}

int64_t CountOf(const Counts& counts, const std::string& code) {
  auto it = counts.find(code);
  return it == counts.end() ? 0 : it->second;
}

// Rewrites the regions whose counts differ from `children` and `tps`; notes
// the touched kelurahan without TPS.
absl::Status RewriteCounts(Database* db, const Counts& children,
                           const Counts& tps,
                           const std::vector<std::string>& touched,
                           ImportReport* report) {
  BatchWriter writer(db);
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kRegions);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string code = it->key().ToString();
    v1::Region region;
    if (!region.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("stored region \"", code, "\" is unreadable"));
    }
    const int64_t child_count = CountOf(children, code);
    const int64_t tps_count = CountOf(tps, code);
    if (region.level() == v1::REGION_LEVEL_KELURAHAN && tps_count == 0 &&
        Touched(touched, code)) {
      report->Add(problem::kKelurahanWithoutTps,
                  absl::StrCat(code, ": ", region.name()));
    }
    if (region.child_count() == child_count &&
        region.tps_count() == tps_count) {
      continue;
    }
    region.set_child_count(child_count);
    region.set_tps_count(tps_count);
    RETURN_IF_ERROR(Put(writer.batch(), db->handle(Family::kRegions), code,
                        region.SerializeAsString()));
    ++report->counts_updated;
    RETURN_IF_ERROR(writer.EndRecord());
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "recounting");
  return writer.Flush();
}

absl::Status Recount(Database* db, const std::vector<std::string>& touched,
                     ImportReport* report) {
  Counts children;
  Counts tps;
  RETURN_IF_ERROR(CountChildren(db, &children));
  RETURN_IF_ERROR(CountTps(db, touched, &tps, report));
  return RewriteCounts(db, children, tps, touched, report);
}

// ---------------------------------------------------------------------------
// Report text

std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text
                              : std::string(width - text.size(), ' ') + text;
}

std::string PadRight(absl::string_view text, size_t width) {
  std::string padded(text);
  if (padded.size() < width) padded.append(width - padded.size(), ' ');
  return padded;
}

// Appends the problems of the error kinds (or of the note kinds), the known
// kinds first in their fixed order.
void AppendProblems(const std::map<std::string, ImportReport::Problem>& all,
                    bool errors, std::string* out) {
  std::vector<std::string> order;
  for (const char* kind : errors ? absl::MakeConstSpan(kErrorKinds)
                                 : absl::MakeConstSpan(kNoteKinds)) {
    if (all.count(kind) > 0) order.push_back(kind);
  }
  for (const auto& entry : all) {
    if (ImportReport::IsErrorKind(entry.first) == errors &&
        std::find(order.begin(), order.end(), entry.first) == order.end()) {
      order.push_back(entry.first);
    }
  }
  for (const std::string& kind : order) {
    const ImportReport::Problem& problem = all.at(kind);
    absl::StrAppend(out, "  ", kind, ": ", problem.count, "\n");
    for (const std::string& sample : problem.samples) {
      absl::StrAppend(out, "      ", sample, "\n");
    }
    if (problem.count > static_cast<int64_t>(problem.samples.size())) {
      absl::StrAppend(out, "      ...\n");
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// ImportReport

void ImportReport::Add(absl::string_view kind, std::string sample) {
  Problem& problem = problems[std::string(kind)];
  ++problem.count;
  if (problem.samples.size() < kMaxSamples) {
    problem.samples.push_back(std::move(sample));
  }
}

void ImportReport::MergeProblems(const ImportReport& other) {
  for (const auto& [kind, theirs] : other.problems) {
    Problem& ours = problems[kind];
    ours.count += theirs.count;
    for (const std::string& sample : theirs.samples) {
      if (ours.samples.size() < kMaxSamples) ours.samples.push_back(sample);
    }
  }
}

int64_t ImportReport::Count(absl::string_view kind) const {
  auto it = problems.find(std::string(kind));
  return it == problems.end() ? 0 : it->second.count;
}

int64_t ImportReport::ErrorCount() const {
  int64_t count = 0;
  for (const auto& [kind, problem] : problems) {
    if (IsErrorKind(kind)) count += problem.count;
  }
  return count;
}

bool ImportReport::IsErrorKind(absl::string_view kind) {
  for (const char* error : kErrorKinds) {
    if (kind == error) return true;
  }
  return false;
}

std::string ImportReport::ToString() const {
  std::string out;
  const int64_t errors = ErrorCount();
  if (errors > 0) {
    absl::StrAppend(&out, "PROBLEMS: ", errors,
                    " records or rows were not written:\n");
    AppendProblems(problems, /*errors=*/true, &out);
  } else {
    absl::StrAppend(&out, "No problems: every record read was placed.\n");
  }
  const bool has_notes =
      std::any_of(problems.begin(), problems.end(),
                  [](const auto& entry) { return !IsErrorKind(entry.first); });
  if (has_notes) {
    absl::StrAppend(&out, "Notes (records written):\n");
    AppendProblems(problems, /*errors=*/false, &out);
  }
  absl::StrAppend(&out, "Records read: ", records_read, "\n");
  absl::StrAppend(&out, PadRight("level", 16), PadLeft("added", 10),
                  PadLeft("updated", 10), PadLeft("unchanged", 10), "\n");
  for (v1::RegionLevel level :
       {v1::REGION_LEVEL_NATIONAL, v1::REGION_LEVEL_PROVINCE,
        v1::REGION_LEVEL_KABUPATEN, v1::REGION_LEVEL_KECAMATAN,
        v1::REGION_LEVEL_KELURAHAN, v1::REGION_LEVEL_TPS}) {
    const LevelCounts& counts = at(level);
    absl::StrAppend(&out, PadRight(RegionCode::LevelName(level), 16),
                    PadLeft(absl::StrCat(counts.added), 10),
                    PadLeft(absl::StrCat(counts.updated), 10),
                    PadLeft(absl::StrCat(counts.unchanged), 10), "\n");
  }
  absl::StrAppend(&out, "Child and TPS counts rewritten for ", counts_updated,
                  " regions.\n");
  return out;
}

// ---------------------------------------------------------------------------
// RegionImporter

RegionImporter::RegionImporter(Database* db)
    : db_(db), collected_(std::make_unique<Source>()) {}

RegionImporter::~RegionImporter() = default;

absl::Status RegionImporter::AddPath(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(absl::StrCat("\"", path, "\" does not exist"));
  }
  if (std::filesystem::is_directory(path, error) || IsJsonPath(path)) {
    return AddKpuJson(path);
  }
  ASSIGN_OR_RETURN(Source source, ParseCsvFile(path, CsvKind::kUnknown));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

absl::Status RegionImporter::AddKpuJson(const std::string& path) {
  ASSIGN_OR_RETURN(Source source, ParseKpuJsonPath(path));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

absl::Status RegionImporter::AddWilayahCsv(const std::string& path) {
  ASSIGN_OR_RETURN(Source source, ParseCsvFile(path, CsvKind::kWilayah));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

absl::Status RegionImporter::AddTpsCsv(const std::string& path) {
  ASSIGN_OR_RETURN(Source source, ParseCsvFile(path, CsvKind::kTps));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

void RegionImporter::AddRegion(absl::string_view code, absl::string_view name,
                               int tingkat, int64_t kpu_id,
                               absl::string_view origin) {
  Source& source = *collected_;
  // Callers pass the same origin for many records; keep one copy.
  if (source.names.empty() || source.names.back().name != origin ||
      source.names.back().json) {
    source.AddName(origin, /*json=*/false);
  }
  ++source.report.records_read;
  Record record;
  record.code = std::string(code);
  record.name = std::string(name);
  record.kpu_id = kpu_id;
  record.source = static_cast<uint32_t>(source.names.size() - 1);
  record.tingkat = tingkat;
  source.Admit(std::move(record));
}

void RegionImporter::AddTps(absl::string_view code, absl::string_view name,
                            absl::string_view origin) {
  AddRegion(code, name, v1::REGION_LEVEL_TPS, 0, origin);
}

absl::StatusOr<ImportReport> RegionImporter::Commit() {
  if (committed_) {
    return absl::FailedPreconditionError("RegionImporter::Commit() twice");
  }
  committed_ = true;
  std::unique_ptr<Source> source = std::move(collected_);
  std::vector<Record>& records = source->records;
  std::stable_sort(
      records.begin(), records.end(),
      [](const Record& a, const Record& b) { return a.code < b.code; });
  ImportReport report;
  report.records_read = source->report.records_read;
  report.MergeProblems(source->report);

  Placer placer(db_, source.get(), &report);
  for (size_t begin = 0; begin < records.size();) {
    size_t end = begin + 1;
    while (end < records.size() && records[end].code == records[begin].code) {
      ++end;
    }
    RETURN_IF_ERROR(
        placer.PlaceGroup(records.data() + begin, records.data() + end));
    begin = end;
  }
  RETURN_IF_ERROR(placer.Finish());
  RETURN_IF_ERROR(EnsureNation(db_, &report));
  RETURN_IF_ERROR(Recount(db_, placer.touched_kelurahan(), &report));
  return report;
}

}  // namespace c1tally
