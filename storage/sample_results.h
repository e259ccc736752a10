// Plausible verified results, for the demo, the benchmarks and the tests:
// every rule of the form kind holds, and each is deterministic for its seed
// and TPS, so a caller can regenerate a result instead of keeping it.
#ifndef C1TALLY_STORAGE_SAMPLE_RESULTS_H_
#define C1TALLY_STORAGE_SAMPLE_RESULTS_H_

#include <cstdint>
#include <string>

#include "c1tally/v1/reference.pb.h"
#include "c1tally/v1/resources.pb.h"

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

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SAMPLE_RESULTS_H_
