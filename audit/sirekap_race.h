// SirekapRace: what the records of one Sirekap race may hold, and how they
// map to the fields of our form kind for that race.
//
// Sirekap names a race by the folder in its paths (pemilu/hhcw/ppwp/...).
// The presidential race has three known candidate pairs; DPD (pdpd) charts
// are keyed by candidate ids that differ per province and are not known
// here, so any numeric id is accepted there.
#ifndef C1TALLY_AUDIT_SIREKAP_RACE_H_
#define C1TALLY_AUDIT_SIREKAP_RACE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace c1tally {

struct SirekapRace {
  // Sirekap's folder name, e.g. "ppwp".
  std::string name;
  // Our form kind for the race; "" when we have none (no comparison).
  std::string form_kind;
  // Candidate id -> form kind field, in ballot order. Empty when the ids
  // are not known (then any id of digits is accepted).
  std::map<std::string, std::string> candidates;

  // True if `id` may key this race's chart.
  bool AcceptsCandidate(absl::string_view id) const;
  // The form kind field of a candidate id; "" when there is none.
  std::string FieldOf(absl::string_view candidate_id) const;
};

// The race called `name`, or nullptr.
const SirekapRace* FindSirekapRace(absl::string_view name);
// The race whose form kind is `form_kind`, or nullptr.
const SirekapRace* FindSirekapRaceForFormKind(absl::string_view form_kind);
// Every known race name.
std::vector<std::string> SirekapRaceNames();

// The keys Sirekap's per-TPS "administrasi" object may have. Any other key
// is reported as bad input: it means the format changed, and a silently
// ignored number is one the audit never looks at.
bool IsSirekapAdministrasiKey(absl::string_view key);

// Largest count one TPS can report: the form has three digit boxes per
// number. Larger values are not a misreading of the form but corrupt data.
inline constexpr int64_t kMaxTpsValue = 999;
// Largest count a region aggregate can report: 999 for each of about
// 823,000 TPS, rounded up.
inline constexpr int64_t kMaxAggregateValue = 1000000000;

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_RACE_H_
