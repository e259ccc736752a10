// SirekapRace: what the records of one Sirekap race may hold, and how they
// map to the fields of our form kind for that race.
//
// Sirekap names a race by the folder in its paths (pemilu/hhcw/ppwp/...),
// and so do we (docs/LEGISLATIVE.md). Three kinds of ballot:
//   pairs       ppwp: three known candidate pairs, the same everywhere;
//   candidates  pdpd (DPD): candidates without parties, different in each
//               province, so any numeric id is accepted and checked against
//               the reference data later (audit/sirekap_ballot_checks.h);
//   parties     pdpr, pdprdp, pdprdk: per-TPS records carry a block per
//               party (total, party-only votes, its candidates); region
//               aggregates' charts are keyed by party id.
#ifndef C1TALLY_AUDIT_SIREKAP_RACE_H_
#define C1TALLY_AUDIT_SIREKAP_RACE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace c1tally {

struct SirekapRace {
  enum class Ballot { kPairs, kCandidates, kParties };

  // Sirekap's folder name, e.g. "ppwp".
  std::string name;
  // Our form kind for the race (the same name).
  std::string form_kind;
  Ballot ballot = Ballot::kPairs;
  // kPairs: candidate id -> form kind field, in ballot order.
  std::map<std::string, std::string> candidates;

  bool has_parties() const { return ballot == Ballot::kParties; }
  // True if `key` may key this race's chart: a pair's id, any candidate id
  // of digits (kCandidates), or a party id (kParties, aggregates).
  bool AcceptsCandidate(absl::string_view key) const;
  // The form kind field of a chart key: suara_paslon_N, suara_caleg_{C}, or
  // (kParties) suara_total_partai_{P}; "" when there is none.
  std::string FieldOf(absl::string_view key) const;
  // True for the fields that count votes the voters cast (the pairs, the
  // candidates, the party-only votes), whose differences size a
  // discrepancy; party totals and administration fields are derived.
  bool IsVoteField(absl::string_view field) const;
  // True for the fields made from a legislative ballot (ballot_form.h):
  // the vote fields and the party totals; false for ppwp.
  bool IsBallotField(absl::string_view field) const;
};

// The race called `name`, or nullptr.
const SirekapRace* FindSirekapRace(absl::string_view name);
// The race whose form kind is `form_kind`, or nullptr.
const SirekapRace* FindSirekapRaceForFormKind(absl::string_view form_kind);
// Every known race name.
std::vector<std::string> SirekapRaceNames();

// True for a candidate id as Sirekap keys them: digits only.
bool IsSirekapId(absl::string_view key);

// A party id as Sirekap keys its blocks: 1-3 digits without a leading zero
// (KPU's ids are 1-24), so that "01" and "1" cannot name two blocks of one
// party. nullopt for anything else.
std::optional<int32_t> ParseSirekapPartyId(absl::string_view key);

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
