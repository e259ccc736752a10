#include "storage/region_import.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/region_code.h"

namespace c1tally {

namespace problem = import_problem;

// One record as a source gave it.
struct RegionImporter::Record {
  std::string code;
  std::string name;
  int64_t kpu_id = 0;
  // Index into Source::names, and the CSV line or JSON element (1-based; 0
  // for none).
  uint32_t source = 0;
  uint32_t position = 0;
  // The level the source claims; 0 when it claims none.
  int tingkat = 0;
  // A kelurahan named by the TPS CSV: checks the name of the kelurahan
  // defined elsewhere in the import; defines nothing.
  bool reference_only = false;
};

// What a source (or the whole import) collected: valid-looking records in
// the order added, and the problems found while parsing.
struct RegionImporter::Source {
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

  // "file:line", "file: element N" or "origin".
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
  // keeps it, or reports why not.
  void Admit(Record record);
};

namespace {

constexpr size_t kBatchRecords = 10000;
// Sirekap's TPS numbers are 3 digits.
constexpr int kMaxTpsPerKelurahan = 999;
// Domestic TPS from 900 up are special-location TPS, not part of the 1..N
// numbering.
constexpr int kFirstSpecialTpsNumber = 900;

constexpr char kWilayahHeader[] = "kode,nama,tingkat,kpu_id";
constexpr char kTpsHeader[] =
    "kode_kelurahan,nama_kelurahan,jumlah_tps,tps_suffixes_if_noncontiguous";

// Order of the kinds in ImportReport::ToString().
constexpr const char* kErrorKinds[] = {problem::kBadRow, problem::kBadCode,
                                       problem::kLevelMismatch,
                                       problem::kNameConflict,
                                       problem::kOrphan};
constexpr const char* kNoteKinds[] = {
    problem::kKelurahanWithoutTps, problem::kTpsNumberingGaps,
    problem::kSpecialTps, problem::kOverseas};

bool EndsWith(const std::string& path, absl::string_view suffix) {
  return absl::EndsWithIgnoreCase(path, suffix);
}

bool IsJsonPath(const std::string& path) {
  return EndsWith(path, ".json") || EndsWith(path, ".json.gz");
}

// Reads a whole file. zlib reads plain files unchanged, so this serves both
// .csv and .csv.gz.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path, "\" is a directory, not a file"));
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot open \"", path,
                                            "\": ", std::strerror(errno)));
  }
  gzbuffer(file, 1 << 18);
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const int read = gzread(file, buffer, sizeof(buffer));
    if (read < 0) {
      int code = Z_OK;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      return absl::DataLossError(
          absl::StrCat("cannot read \"", path, "\": ", message));
    }
    if (read == 0) break;
    text.append(buffer, static_cast<size_t>(read));
  }
  // gzclose reports a gzip stream cut short (Z_BUF_ERROR).
  const int closed = gzclose(file);
  if (closed != Z_OK) {
    return absl::DataLossError(absl::StrCat(
        "\"", path, "\" is truncated or not valid gzip (zlib error ", closed,
        ")"));
  }
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  return text;
}

// The first line of `text`, without its line break.
absl::string_view FirstLine(absl::string_view text) {
  absl::string_view line = text.substr(0, text.find('\n'));
  if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
  return line;
}

// Splits RFC 4180 text into rows: fields separated by commas, optionally
// quoted with '"' (a quoted field may hold commas, line breaks and "" for a
// quote), rows ended by LF or CRLF. Empty lines are skipped.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text) : text_(text) {}

  // Reads the next row into `fields` and the line it starts on into `line`.
  // Returns false at the end of the text. On a syntax error sets `error`
  // and skips the rest of the faulty line, so that reading can go on.
  bool Next(std::vector<std::string>* fields, uint32_t* line,
            std::string* error) {
    fields->clear();
    error->clear();
    while (pos_ < text_.size() && (Peek() == '\n' || Peek() == '\r')) {
      if (Peek() == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= text_.size()) return false;
    *line = line_;
    for (;;) {
      std::string field;
      if (!ReadField(&field, error)) return true;
      fields->push_back(std::move(field));
      if (pos_ >= text_.size()) return true;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '\r') ++pos_;
      if (pos_ < text_.size() && Peek() == '\n') {
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
  char Peek() const { return text_[pos_]; }

  // Reads one field up to (not including) the comma or line break after
  // it.
  bool ReadField(std::string* field, std::string* error) {
    if (pos_ < text_.size() && Peek() == '"') return ReadQuoted(field, error);
    while (pos_ < text_.size() && Peek() != ',' && Peek() != '\n' &&
           Peek() != '\r') {
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
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && Peek() == '"') {
          field->push_back('"');
          ++pos_;
          continue;
        }
        return true;
      }
      if (c == '\n') ++line_;
      field->push_back(c);
    }
    *error = "a quoted field is never closed";
    return false;
  }

  void SkipLine() {
    while (pos_ < text_.size() && Peek() != '\n') ++pos_;
    if (pos_ < text_.size()) {
      ++pos_;
      ++line_;
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
};

std::string Trimmed(absl::string_view text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

// "TPS 001" for TPS number 1.
std::string TpsName(absl::string_view number) {
  return absl::StrCat("TPS ", number);
}

// The 3-digit TPS numbers of one TPS CSV row, or why there are none.
absl::StatusOr<std::vector<std::string>> TpsNumbers(absl::string_view jumlah,
                                                    absl::string_view listed) {
  int count = 0;
  if (!absl::SimpleAtoi(jumlah, &count) || count < 0 ||
      count > kMaxTpsPerKelurahan) {
    return absl::InvalidArgumentError(absl::StrCat(
        "jumlah_tps \"", jumlah, "\" is not a number from 0 to ",
        kMaxTpsPerKelurahan));
  }
  std::vector<std::string> numbers;
  if (listed.empty()) {
    for (int i = 1; i <= count; ++i) {
      std::string number = absl::StrCat(i);
      numbers.push_back(std::string(3 - number.size(), '0') + number);
    }
    return numbers;
  }
  for (absl::string_view token :
       absl::StrSplit(listed, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
    if (token.size() != 3 ||
        !std::all_of(token.begin(), token.end(), [](char c) {
          return absl::ascii_isdigit(static_cast<unsigned char>(c));
        })) {
      return absl::InvalidArgumentError(
          absl::StrCat("TPS number \"", token, "\" is not 3 digits"));
    }
    numbers.emplace_back(token);
  }
  if (static_cast<int>(numbers.size()) != count) {
    return absl::InvalidArgumentError(
        absl::StrCat("jumlah_tps is ", count, " but ", numbers.size(),
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

// Reads a non-negative integer JSON value; `missing_ok` accepts absence and
// null as 0.
bool JsonInt(const nlohmann::json& object, const char* key, bool missing_ok,
             int64_t* value) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    *value = 0;
    return missing_ok;
  }
  if (it->is_number_unsigned()) {
    const uint64_t number = it->get<uint64_t>();
    if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    *value = static_cast<int64_t>(number);
    return true;
  }
  if (it->is_number_integer()) {
    *value = it->get<int64_t>();
    return *value >= 0;
  }
  return false;
}

const std::string* JsonString(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
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

namespace {

std::string PadLeft(const std::string& text, size_t width) {
  return text.size() >= width ? text
                              : std::string(width - text.size(), ' ') + text;
}

std::string PadRight(absl::string_view text, size_t width) {
  std::string padded(text);
  if (padded.size() < width) padded.append(width - padded.size(), ' ');
  return padded;
}

// Appends the problems of `kinds` (in that order), then any other kind for
// which `select` holds.
void AppendProblems(const std::map<std::string, ImportReport::Problem>& all,
                    bool errors, std::string* out) {
  std::vector<std::string> order;
  for (const char* kind : errors ? absl::MakeConstSpan(kErrorKinds)
                                 : absl::MakeConstSpan(kNoteKinds)) {
    if (all.count(kind) > 0) order.push_back(kind);
  }
  for (const auto& [kind, problem] : all) {
    if (ImportReport::IsErrorKind(kind) == errors &&
        std::find(order.begin(), order.end(), kind) == order.end()) {
      order.push_back(kind);
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

std::string ImportReport::ToString() const {
  std::string out;
  const int64_t errors = ErrorCount();
  if (errors > 0) {
    absl::StrAppend(&out, "PROBLEMS: ", errors,
                    " records not written (fix the source and import "
                    "again):\n");
    AppendProblems(problems, /*errors=*/true, &out);
  } else {
    absl::StrAppend(&out, "No problems: every record read was placed.\n");
  }
  if (static_cast<int64_t>(problems.size()) > 0 &&
      errors < [this] {
        int64_t total = 0;
        for (const auto& entry : problems) total += entry.second.count;
        return total;
      }()) {
    absl::StrAppend(&out, "Notes (records written):\n");
    AppendProblems(problems, /*errors=*/false, &out);
  }
  absl::StrAppend(&out, "Records read: ", records_read, "\n");
  absl::StrAppend(&out, PadRight("level", 16), PadLeft("added", 10),
                  PadLeft("updated", 10), PadLeft("unchanged", 10), "\n");
  const v1::RegionLevel order[] = {
      v1::REGION_LEVEL_NATIONAL,  v1::REGION_LEVEL_PROVINCE,
      v1::REGION_LEVEL_KABUPATEN, v1::REGION_LEVEL_KECAMATAN,
      v1::REGION_LEVEL_KELURAHAN, v1::REGION_LEVEL_TPS};
  for (v1::RegionLevel level : order) {
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
// Parsing

void RegionImporter::Source::Admit(Record record) {
  ++report.records_read;
  record.name = Trimmed(record.name);
  absl::StatusOr<RegionCode> code = RegionCode::Parse(Trimmed(record.code));
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

namespace {

// Parsers fill a Source; they never fail on content, only report it.

void ParseKpuJson(const std::string& text, uint32_t source,
                  RegionImporter::Source* out);

}  // namespace

RegionImporter::RegionImporter(Database* db)
    : db_(db), collected_(std::make_unique<Source>()) {}

RegionImporter::~RegionImporter() = default;

void RegionImporter::Append(Source&& source) {
  const uint32_t offset = static_cast<uint32_t>(collected_->names.size());
  for (Source::Name& name : source.names) {
    collected_->names.push_back(std::move(name));
  }
  collected_->records.reserve(collected_->records.size() +
                              source.records.size());
  for (Record& record : source.records) {
    record.source += offset;
    collected_->records.push_back(std::move(record));
  }
  collected_->report.records_read += source.report.records_read;
  collected_->report.MergeProblems(source.report);
}
