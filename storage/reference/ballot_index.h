// BallotIndex: the ballots of every dapil and the TPS -> dapil map of the
// legislative races, read once into memory, for code that writes results
// for many TPS in a row (the demo, the benchmarks, load tests) and cannot
// afford a map walk per TPS. A snapshot: later imports are not seen.
//
// Immutable after Load(); thread-safe to read.
#ifndef C1TALLY_STORAGE_REFERENCE_BALLOT_INDEX_H_
#define C1TALLY_STORAGE_REFERENCE_BALLOT_INDEX_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/reference.pb.h"
#include "storage/reference/reference_store.h"

namespace c1tally {

class BallotIndex {
 public:
  // Reads every dapil, ballot and map row of the four races.
  static absl::StatusOr<BallotIndex> Load(const ReferenceStore& store);

  // The ballot of the dapil `tps_code` belongs to in `race` (as
  // ReferenceStore::DapilOf decides it), or nullptr when it has none. Valid
  // while the index lives.
  const v1::Ballot* For(absl::string_view race,
                        absl::string_view tps_code) const;

  // Number of ballots held, over all races.
  size_t size() const { return ballots_.size(); }

 private:
  using Key = std::pair<std::string, std::string>;  // race, code
  std::map<Key, v1::Ballot> ballots_;               // by (race, dapil)
  std::map<Key, std::string> areas_;                // (race, region) -> dapil
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_BALLOT_INDEX_H_
