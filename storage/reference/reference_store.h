// ReferenceStore: the legislative races' reference data in RocksDB (family
// `reference`, keys in storage/keys.h) with every version an import
// replaced (family `reference_history`): parties, dapil, ballots, which
// dapil each candidate stands in, and which regions belong to which dapil.
//
// Reads take no lock and may run from any thread. Writes go through
// Stage(), which adds to a caller's WriteBatch, so that one import lands
// in one atomic write; the caller serializes its imports (the importer is
// the only writer). The Database must outlive the store.
#ifndef C1TALLY_STORAGE_REFERENCE_REFERENCE_STORE_H_
#define C1TALLY_STORAGE_REFERENCE_REFERENCE_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "c1tally/v1/reference.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/region_code.h"

namespace c1tally {

class ReferenceStore {
 public:
  explicit ReferenceStore(Database* db) : db_(db) {}

  // NOT_FOUND when absent.
  absl::StatusOr<v1::Party> GetParty(int32_t id) const;
  absl::StatusOr<v1::Dapil> GetDapil(absl::string_view race,
                                     absl::string_view code) const;
  absl::StatusOr<v1::Ballot> GetBallot(absl::string_view race,
                                       absl::string_view dapil) const;
  // The dapil a candidate of `race` stands in.
  absl::StatusOr<std::string> DapilOfCandidate(absl::string_view race,
                                               absl::string_view id) const;

  // Every party, by id; every dapil of `race`, by code.
  absl::StatusOr<std::vector<v1::Party>> ListParties() const;
  absl::StatusOr<std::vector<v1::Dapil>> ListDapil(
      absl::string_view race) const;

  // The dapil `code` (a region or TPS) belongs to in `race`: that of its
  // deepest ancestor (or itself) in the map; for pdpd, its province's.
  // NOT_FOUND when none is mapped (or, for pdpd, no DPD ballot exists for
  // the province).
  absl::StatusOr<std::string> DapilOf(absl::string_view race,
                                      const RegionCode& code) const;
  // The mapped regions of `race` with their dapil, in code order; with
  // `within`, only those at or below that region code.
  struct Area {
    std::string region;
    std::string dapil;
  };
  absl::StatusOr<std::vector<Area>> ListAreas(
      absl::string_view race, absl::string_view within = "") const;

  // One replaced version of a record: when it was replaced and what it was
  // ("" when the record did not exist before).
  struct Version {
    absl::Time replaced_at;
    std::string value;
  };
  // The versions of the record at `key` (a key of the `reference` family,
  // storage/keys.h) that imports replaced, oldest first.
  absl::StatusOr<std::vector<Version>> History(absl::string_view key) const;

  // Adds to `batch` the write of `value` at `key` and, when it differs from
  // what is stored, the stored version to the history under `at`. Returns
  // false (and adds nothing) when `value` is what is stored already.
  absl::StatusOr<bool> Stage(absl::string_view key, const std::string& value,
                             absl::Time at, rocksdb::WriteBatch* batch) const;

 private:
  template <typename Message>
  absl::StatusOr<Message> Read(const std::string& key,
                               absl::string_view what) const;
  // The raw value at `key`; "" (and found=false) when absent.
  absl::StatusOr<std::string> ReadRaw(absl::string_view key, bool* found) const;

  Database* const db_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_REFERENCE_STORE_H_
