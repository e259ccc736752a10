// Synthetic Sirekap per-TPS records for benchmarks and tests at national
// scale: JSON as Sirekap publishes it, with the mix of states seen in the
// real 1,000-record sample (about 42% empty, 11% chart only, 12%
// administrasi only, 35% complete), image links of the real length, "mode"
// mostly missing, and a known share of complete records with a misread
// chart digit (the 2024 error: a pair's count off by hundreds).
//
// Deterministic for a TPS code and seed, so a benchmark can regenerate a
// record instead of keeping it.
#ifndef C1TALLY_AUDIT_SIREKAP_SYNTHETIC_H_
#define C1TALLY_AUDIT_SIREKAP_SYNTHETIC_H_

#include <cstdint>
#include <string>

#include "audit/sirekap_record.h"

namespace c1tally {

struct SyntheticSirekapRecord {
  std::string json;
  SirekapState state = SirekapState::kEmpty;
  // A complete record whose chart was made to disagree with suara_sah.
  bool chart_misread = false;
};

// Share of complete records given a misread chart digit.
inline constexpr double kSyntheticMisreadShare = 0.03;

SyntheticSirekapRecord MakeSyntheticSirekapRecord(const std::string& tps_code,
                                                  uint64_t seed);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_SYNTHETIC_H_
