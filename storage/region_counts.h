// Recounting the region tree: the child_count and tps_count of every
// stored region, recomputed from the kChildren and kTps families, for the
// end of every region import (storage/region_import.h).
//
// Counts are recomputed from what is stored, never adjusted by what an
// import added, so an import cut short by a crash is set right by the
// next one, and imports of parts of the tree in any order agree.
#ifndef C1TALLY_STORAGE_REGION_COUNTS_H_
#define C1TALLY_STORAGE_REGION_COUNTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/database.h"
#include "storage/import_report.h"

namespace c1tally {

// Sets every stored region's child_count (its entries in kChildren, TPS
// included for a kelurahan) and tps_count (the 13-digit TPS keys below its
// code) and rewrites the regions whose counts differ, adding them to
// report->counts_updated. For the kelurahan in `touched_kelurahan` (sorted,
// unique; those an import placed or gave TPS) notes those without TPS
// (kelurahan_without_tps) and those whose regular TPS are not numbered
// 1..N (tps_numbering_gaps: 9xx numbers are special-location TPS, no gap,
// except under province 99, where they are ordinary).
//
// Reads all of kRegions, kChildren and kTps. Writes in batches, not
// atomically; after a failure running it again completes the work. The
// caller must be the only writer of the region families meanwhile.
// DATA_LOSS for a stored region that does not parse.
absl::Status RecountRegions(Database* db,
                            const std::vector<std::string>& touched_kelurahan,
                            ImportReport* report);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REGION_COUNTS_H_
