#include "storage/import_report.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "storage/region_code.h"

namespace c1tally {
namespace {

namespace problem = import_problem;

// Order of the kinds in ImportReport::ToString().
constexpr const char* kErrorKinds[] = {
    problem::kBadRow, problem::kBadCode, problem::kLevelMismatch,
    problem::kNameConflict, problem::kOrphan};
constexpr const char* kNoteKinds[] = {problem::kKelurahanWithoutTps,
                                      problem::kTpsNumberingGaps,
                                      problem::kSpecialTps, problem::kOverseas};

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

std::vector<std::string> ImportReport::Samples(absl::string_view kind) const {
  auto it = problems.find(std::string(kind));
  return it == problems.end() ? std::vector<std::string>() : it->second.samples;
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

}  // namespace c1tally
