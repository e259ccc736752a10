// SirekapBallotChecks: a legislative Sirekap record against our reference
// data (storage/reference, docs/LEGISLATIVE.md): the TPS -> dapil map and
// the ballot of the dapil. Issue kinds (audit/sirekap_checks.h):
//   dapil_mismatch  a per-TPS record's kode_dapil is not the dapil our map
//                   gives the TPS in that race
//   unknown_party   a party block of a party that is not on the dapil's
//                   ballot (the detail says whether the party list knows
//                   the party at all)
//   not_on_ballot   a candidate who is not on the dapil's ballot, or who is
//                   listed under another party than the one they stand for
// The ballot is our map's dapil's; where our map places the TPS nowhere,
// the dapil Sirekap names; for a dapil aggregate, its own. A record with
// no such ballot (reference data not imported) is not checked: nothing is
// flagged for want of reference data. ppwp records have no ballot here.
//
// Published data is flagged, not refused. Ballots are kept after their
// first read. Not thread-safe; `reference` must outlive it.
#ifndef C1TALLY_AUDIT_SIREKAP_BALLOT_CHECKS_H_
#define C1TALLY_AUDIT_SIREKAP_BALLOT_CHECKS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/sirekap_checks.h"
#include "c1tally/v1/audit.pb.h"
#include "storage/reference/reference_store.h"

namespace c1tally {

class SirekapBallotChecks {
 public:
  explicit SirekapBallotChecks(const ReferenceStore* reference)
      : reference_(reference) {}

  // The issues of `record` (per-TPS or dapil aggregate), in the order
  // above. Fails only when the reference data cannot be read.
  absl::StatusOr<std::vector<SirekapIssue>> Check(
      const v1::SirekapRecord& record) const;

 private:
  // A ballot by candidate: candidate id -> party id (0 for DPD), and the
  // parties on it.
  struct Ballot {
    bool found = false;
    std::map<std::string, int32_t> party_of;
    std::set<int32_t> parties;
  };
  // The ballot of `dapil` in `race` (found false when there is none).
  absl::StatusOr<const Ballot*> BallotOf(const std::string& race,
                                         const std::string& dapil) const;
  // The dapil our map gives the record's TPS; "" when none.
  absl::StatusOr<std::string> MappedDapil(
      const v1::SirekapRecord& record) const;

  std::vector<std::string> UnknownParties(const v1::SirekapRecord& record,
                                          const Ballot& ballot,
                                          const std::string& dapil) const;

  const ReferenceStore* const reference_;
  mutable std::map<std::pair<std::string, std::string>, Ballot> ballots_;
};

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_BALLOT_CHECKS_H_
