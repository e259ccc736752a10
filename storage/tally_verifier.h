// VerifyTally: recomputes every aggregate from the TPS results, recounts the
// TPS under every region, and re-checks the journal's hash chain and that
// replaying it gives the stored results. Used by `c1ctl tally verify`.
#ifndef C1TALLY_STORAGE_TALLY_VERIFIER_H_
#define C1TALLY_STORAGE_TALLY_VERIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/database.h"

namespace c1tally {

struct TallyVerification {
  int64_t results = 0;
  int64_t aggregates = 0;
  int64_t regions = 0;
  int64_t journal_entries = 0;
  // One line per difference found; empty when everything agrees.
  std::vector<std::string> differences;

  bool ok() const { return differences.empty(); }
};

// Reads the whole database at one snapshot. Errors only when reading
// fails; every inconsistency is a line in `differences`.
absl::StatusOr<TallyVerification> VerifyTally(Database* db);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_TALLY_VERIFIER_H_
