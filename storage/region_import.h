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
//
// The parts, each in its own file: reading the sources
// (storage/kpu_region_sources.h, storage/csv_reader.h) into SourceRecords
// (storage/source_records.h), placing them (storage/region_placer.h),
// recounting the tree (storage/region_counts.h), and the ImportReport
// (storage/import_report.h), which this header brings in for its callers.
#ifndef C1TALLY_STORAGE_REGION_IMPORT_H_
#define C1TALLY_STORAGE_REGION_IMPORT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/database.h"
#include "storage/import_report.h"

namespace c1tally {

struct SourceRecords;

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
  std::unique_ptr<SourceRecords> collected_;
  bool committed_ = false;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REGION_IMPORT_H_
