// Reading KPU's published region sources into SourceRecords
// (storage/source_records.h), for the region importer:
//
//   * the wilayah CSV `kode,nama,tingkat,kpu_id`, one region a row;
//   * the TPS CSV `kode_kelurahan,nama_kelurahan,jumlah_tps,
//     tps_suffixes_if_noncontiguous`: TPS 001..jumlah_tps when the last
//     column is empty, else the space-separated 3-digit numbers listed.
//     A non-blank nama_kelurahan is kept as a reference-only record, so
//     that a kelurahan named differently elsewhere is caught;
//   * KPU region JSON, as Sirekap publishes it: an array of
//     {"nama", "id", "kode", "tingkat"}, in a file or in every *.json(.gz)
//     of a folder tree.
//
// CSV header names are matched without regard to case or surrounding
// blanks. Files may be gzip-compressed (storage/source_file.h).
//
// A reader fails only when a file cannot be read at all or a CSV header is
// not the one wanted; then nothing of the path is returned. Anything wrong
// inside a readable file is a problem in the returned report (bad_row,
// bad_code, level_mismatch), and reading goes on with the next row or
// element. records_read counts a wilayah row, a listed TPS, a JSON element
// as one record each; a faulty row or an unparsable JSON document counts
// as one; a TPS CSV's kelurahan reference counts as none.
//
// Stateless functions; safe to call from many threads.
#ifndef C1TALLY_STORAGE_KPU_REGION_SOURCES_H_
#define C1TALLY_STORAGE_KPU_REGION_SOURCES_H_

#include <string>

#include "absl/status/statusor.h"
#include "storage/source_records.h"

namespace c1tally {

enum class RegionCsvKind {
  // Whichever of the two the header names.
  kEither,
  kWilayah,
  kTps,
};

// Reads a region CSV of the `wanted` kind. INVALID_ARGUMENT, naming the
// header found and the ones expected, when the first row is not the
// wanted header; the errors of ReadSourceFile when the file is unreadable.
absl::StatusOr<SourceRecords> ReadRegionCsv(const std::string& path,
                                            RegionCsvKind wanted);

// Reads KPU region JSON from a file, or from every *.json(.gz) file below a
// folder, in path order. Fails as ReadSourceFile and JsonFilesUnder do (a
// folder without JSON is INVALID_ARGUMENT).
absl::StatusOr<SourceRecords> ReadKpuRegionJson(const std::string& path);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_KPU_REGION_SOURCES_H_
