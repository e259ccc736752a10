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

// A PPWP result whose sums hold: suara_sah = p1 + p2 + p3 and
// suara_total = suara_sah + invalid. No provenance.
v1::TpsResult PpwpResult(const std::string& tps_code, int64_t p1, int64_t p2,
                         int64_t p3, int64_t invalid);

// A plausible PPWP result for one TPS, deterministic for `seed`.
v1::TpsResult SamplePpwpResult(const std::string& tps_code, uint64_t seed);

// A plausible result of a legislative race for one TPS on `ballot` (its
// dapil's), with every ballot field and the three vote counts; every rule
// holds. Deterministic for `seed`. No provenance.
v1::TpsResult SampleLegislativeResult(const std::string& tps_code,
                                      const std::string& race,
                                      const v1::Ballot& ballot, uint64_t seed);

// Loads the demo into an empty database; does nothing (and says so on
// stderr) when the database already holds regions.
absl::Status LoadDemoData(Database* db, TallyStore* store, double scale);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_SERVER_DEMO_DATA_H_
