// SyntheticReference: reference data of the four legislative races for a
// region tree already stored (a synthetic one, storage/synthetic_tree.h),
// written as KPU's files (kpu_reference_parser.h has the shapes) and
// imported through the ReferenceImporter, so that benchmarks, demos and
// tests exercise the real import path.
//
// The shape follows 2024 roughly: the 18 national parties (their real ids
// and ballot numbers; the six Aceh-local parties are left out); DPR dapil
// of about `kabupaten_per_dpr_dapil` kabupaten within a province (84 in
// 2024), DPRD-provinsi dapil of about `kabupaten_per_province_dapil` (301),
// DPRD-kabupaten/kota dapil of about `kecamatan_per_kabupaten_dapil`
// kecamatan within a kabupaten (2,325); 3..10 candidates per party and
// dapil, invented names; DPD candidates per province. Overseas (99) votes
// only for president and DPR, in the last DPR dapil of DKI Jakarta (31)
// when the tree has it, as in 2024 (Jakarta II), else in a dapil of its
// own. Codes: pdpr {prov}{nn}, pdprdp {prov}00{nn}, pdprdk {kab}{nn}, so no
// code means two dapil. Deterministic for a seed.
#ifndef C1TALLY_STORAGE_REFERENCE_SYNTHETIC_REFERENCE_H_
#define C1TALLY_STORAGE_REFERENCE_SYNTHETIC_REFERENCE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"
#include "storage/reference/reference_report.h"
#include "storage/region_tree.h"

namespace c1tally {

struct SyntheticReferenceOptions {
  uint64_t seed = 1;
  int kabupaten_per_dpr_dapil = 6;
  int kabupaten_per_province_dapil = 2;
  int kecamatan_per_kabupaten_dapil = 3;
};

// (path, text) of each file, paths as KPU's (ReferenceSourceOf knows them)
// plus one map CSV. FAILED_PRECONDITION when the tree has no province.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
SyntheticReferenceFiles(const RegionTree& tree,
                        const SyntheticReferenceOptions& options);

// Writes the files of SyntheticReferenceFiles() into `db` with one import
// dated `import_time`. FAILED_PRECONDITION when `db` holds reference data
// already (synthetic data must not mix with real data); INTERNAL when the
// importer refuses any of it (a bug here). `db` must stay valid during the
// call only.
absl::StatusOr<ReferenceReport> GenerateSyntheticReference(
    Database* db, const SyntheticReferenceOptions& options,
    absl::Time import_time);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_SYNTHETIC_REFERENCE_H_
