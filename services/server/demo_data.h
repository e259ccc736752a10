// Demo data for `c1tallyd --demo`: a synthetic region tree with the national
// shape (scaled down), synthetic reference data of the legislative races
// (storage/reference/synthetic_reference.h) and plausible verified results
// of all five races for about 70% of its TPS, a few PPWP ones inconsistent
// so that flags show.
#ifndef C1TALLY_SERVICES_SERVER_DEMO_DATA_H_
#define C1TALLY_SERVICES_SERVER_DEMO_DATA_H_

#include <cstdint>

#include "absl/status/status.h"
#include "c1tally/v1/reference.pb.h"
#include "storage/database.h"
#include "storage/tally_store.h"

namespace c1tally {

// Loads the demo into an empty database; does nothing (and says so on
// stderr) when the database already holds regions.
absl::Status LoadDemoData(Database* db, TallyStore* store, double scale);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_SERVER_DEMO_DATA_H_
