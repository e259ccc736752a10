#include "storage/source_records.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/region_code.h"

namespace c1tally {

namespace problem = import_problem;

uint32_t SourceRecords::AddName(absl::string_view name, bool json) {
  names.push_back({std::string(name), json});
  return static_cast<uint32_t>(names.size() - 1);
}

uint32_t SourceRecords::LastOrNewName(absl::string_view name) {
  if (!names.empty() && names.back().name == name && !names.back().json) {
    return static_cast<uint32_t>(names.size() - 1);
  }
  return AddName(name, /*json=*/false);
}

std::string SourceRecords::Origin(uint32_t source, uint32_t position) const {
  const Name& name = names[source];
  if (position == 0) return name.name;
  if (name.json) return absl::StrCat(name.name, ": element ", position);
  return absl::StrCat(name.name, ":", position);
}

void SourceRecords::Problem(absl::string_view kind, uint32_t source,
                            uint32_t position, absl::string_view reason) {
  report.Add(kind, absl::StrCat(Origin(source, position), ": ", reason));
}

void SourceRecords::Admit(SourceRecord record) {
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

void SourceRecords::Append(SourceRecords&& other) {
  const uint32_t offset = static_cast<uint32_t>(names.size());
  for (Name& name : other.names) names.push_back(std::move(name));
  records.reserve(records.size() + other.records.size());
  for (SourceRecord& record : other.records) {
    record.source += offset;
    records.push_back(std::move(record));
  }
  report.records_read += other.report.records_read;
  report.MergeProblems(other.report);
}

}  // namespace c1tally
