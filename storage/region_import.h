// RegionImporter: loads the region tree (provinces, kabupaten/kota,
// kecamatan, kelurahan/desa and TPS) into the kRegions, kTps and kChildren
// families (storage/keys.h) from KPU's sources:
//
//   * KPU region JSON, as Sirekap publishes it: a JSON array of
//     {"nama", "id", "kode", "tingkat"}, tingkat 1..5 (5 = TPS, 13-digit
//     kode, nama like "TPS 001"); a file, or a folder tree of such files;
//   * the wilayah CSV `kode,nama,tingkat,kpu_id` (one row per region);
//   * the TPS CSV `kode_kelurahan,nama_kelurahan,jumlah_tps,
//     tps_suffixes_if_noncontiguous` (TPS 001..jumlah_tps when the last
//     column is empty, else the space-separated 3-digit numbers).
// CSVs are RFC 4180 and may be gzip-compressed (.csv.gz).
//
// Usage: construct, add sources (AddPath) or records (AddRegion, AddTps),
// then call Commit() once. Adding only parses and collects records in
// memory; Commit() validates them all together, writes what is valid and
// returns an ImportReport that accounts for every record that was not
// written. Nothing is ever dropped silently.
//
// Re-importing the same data changes nothing. A record that exists already
// is rewritten only when its name or KPU id changed; a source without KPU
// ids (id 0) never clears one. Records are never deleted.
//
// Commit() writes in batches, not atomically: after a crash part of the
// import may be in place, and running the same import again completes it
// (child and TPS counts are recomputed from the stored tree every time).
// The importer assumes it is the only writer of the region families while
// Commit() runs.
//
// A RegionImporter is not thread-safe.
#ifndef C1TALLY_STORAGE_REGION_IMPORT_H_
#define C1TALLY_STORAGE_REGION_IMPORT_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"

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
  // Adds the problems of `other` to this report.
  void MergeProblems(const ImportReport& other);

  // Problems of `kind`; 0 if none.
  int64_t Count(absl::string_view kind) const;
  // Problems of the error kinds (records not written).
  int64_t ErrorCount() const;
  bool HasErrors() const { return ErrorCount() > 0; }
  static bool IsErrorKind(absl::string_view kind);

  // A readable multi-line summary: errors first, then notes, then the
  // record counts per level.
  std::string ToString() const;
};

namespace region_import_internal {
struct Source;
}  // namespace region_import_internal

class RegionImporter {
 public:
  // `db` must outlive the importer.
  explicit RegionImporter(Database* db);

  ~RegionImporter();

  RegionImporter(const RegionImporter&) = delete;
  RegionImporter& operator=(const RegionImporter&) = delete;

  // Adds a source, detecting its kind: a directory (every *.json and
  // *.json.gz below it, in path order) or a *.json(.gz) file is KPU region
  // JSON; any other file is a CSV recognized by its header line. Fails, and
  // adds nothing from `path`, if it cannot be read at all, is not valid
  // gzip, or is a CSV with an unknown header. Syntax and content errors
  // inside a readable source are not failures: they are reported by
  // Commit().
  absl::Status AddPath(const std::string& path);

  // The same for a source of known kind.
  absl::Status AddKpuJson(const std::string& path);
  absl::Status AddWilayahCsv(const std::string& path);
  absl::Status AddTpsCsv(const std::string& path);

  // Adds one record from memory: a region, or a TPS (tingkat 5, as in KPU's
  // JSON). `tingkat` is the level the source claims (KPU's 1..5, the values
  // of v1::RegionLevel) or 0 to take it from the code's width. `kpu_id` is 0
  // when unknown. `origin` names the record's source in report samples.
  void AddRegion(absl::string_view code, absl::string_view name, int tingkat,
                 int64_t kpu_id, absl::string_view origin);
  void AddTps(absl::string_view code, absl::string_view name,
              absl::string_view origin);

  // Validates every record added, writes the valid ones, recomputes the
  // child and TPS counts of every region and returns the report. Fails only
  // on a database error (the report is then lost; importing again is safe)
  // or when called twice.
  absl::StatusOr<ImportReport> Commit();

 private:
  Database* const db_;
  // Records and parse problems of every source added so far, in order.
  std::unique_ptr<region_import_internal::Source> collected_;
  bool committed_ = false;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REGION_IMPORT_H_
