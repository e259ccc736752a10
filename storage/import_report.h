// ImportReport: what a region import did, and every record it did not
// write with the reason why (storage/region_import.h). The import_problem
// kinds name those reasons.
//
// Problems are counted in full; a few samples of each kind are kept, so a
// report stays small however bad the sources are. A report is plain data:
// copyable, not thread-safe.
#ifndef C1TALLY_STORAGE_IMPORT_REPORT_H_
#define C1TALLY_STORAGE_IMPORT_REPORT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "c1tally/v1/resources.pb.h"

namespace c1tally {

// Kinds of problem in an ImportReport. Records with an error are not
// written; notes describe records that were written.
namespace import_problem {
// Errors.
// A code with a non-digit, a width that is no level's, province 00 or TPS
// number 000.
inline constexpr char kBadCode[] = "bad_code";
// The source's level (tingkat) disagrees with the code's width.
inline constexpr char kLevelMismatch[] = "level_mismatch";
// The parent is neither in the database nor placed by this import (a child
// of an orphan is an orphan too).
inline constexpr char kOrphan[] = "orphan";
// The same code twice in one import with a different name or KPU id; the
// record added first is kept.
inline constexpr char kNameConflict[] = "name_conflict";
// CSV or JSON syntax or type errors, wrong column counts, a jumlah_tps that
// is not a number or disagrees with the listed TPS numbers.
inline constexpr char kBadRow[] = "bad_row";
// Notes.
// A kelurahan of this import that has no TPS after it.
inline constexpr char kKelurahanWithoutTps[] = "kelurahan_without_tps";
// A kelurahan of this import whose regular TPS (numbers below 900) are not
// numbered 1..N. Special 9xx TPS are no gap; they are counted as
// special_tps.
inline constexpr char kTpsNumberingGaps[] = "tps_numbering_gaps";
// A domestic TPS numbered 9xx (special location).
inline constexpr char kSpecialTps[] = "special_tps";
// A region or TPS under province 99.
inline constexpr char kOverseas[] = "overseas";
}  // namespace import_problem

// What an import did. Plain data; copyable.
struct ImportReport {
  struct LevelCounts {
    int64_t added = 0;
    // Existing records whose name or KPU id changed.
    int64_t updated = 0;
    int64_t unchanged = 0;
  };
  struct Problem {
    int64_t count = 0;
    // The first kMaxSamples, each "file:line: reason" or "code: reason".
    std::vector<std::string> samples;
  };
  static constexpr size_t kMaxSamples = 5;

  // Indexed by v1::RegionLevel (REGION_LEVEL_NATIONAL counts the national
  // record, created by the first import).
  std::array<LevelCounts, v1::RegionLevel_ARRAYSIZE> levels;
  // Keyed by kind (import_problem::k*).
  std::map<std::string, Problem> problems;
  // Records read from the sources (before validation).
  int64_t records_read = 0;
  // Regions whose child_count or tps_count was rewritten.
  int64_t counts_updated = 0;

  LevelCounts& at(v1::RegionLevel level) { return levels[level]; }
  const LevelCounts& at(v1::RegionLevel level) const { return levels[level]; }

  // Counts one problem of `kind`, keeping `sample` if fewer than
  // kMaxSamples are kept.
  void Add(absl::string_view kind, std::string sample);
  // Adds the problem counts of `other` to this report, and its samples
  // while fewer than kMaxSamples of a kind are kept (this report's come
  // first). The level counts, records_read and counts_updated are left
  // alone.
  void MergeProblems(const ImportReport& other);

  // Problems of `kind`; 0 if none.
  int64_t Count(absl::string_view kind) const;
  // The samples kept of `kind`; empty if none.
  std::vector<std::string> Samples(absl::string_view kind) const;
  // Problems of the error kinds (records not written).
  int64_t ErrorCount() const;
  bool HasErrors() const { return ErrorCount() > 0; }
  static bool IsErrorKind(absl::string_view kind);

  // A readable multi-line summary: errors first, then notes (the kinds
  // above in their order of importance, then any other kind by name), then
  // the record counts per level.
  std::string ToString() const;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_IMPORT_REPORT_H_
