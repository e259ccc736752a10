// TallyStore: verified TPS results and their aggregates up the region tree.
//
// Every change to a TPS result is one RocksDB WriteBatch that replaces the
// result, applies the difference to the aggregate of each ancestor
// (kelurahan, kecamatan, kabupaten/kota, province, nation) and appends a
// journal entry. Setting the same result again writes nothing; correcting a
// result subtracts the old numbers. A batch of results is validated whole
// and applied in one write, or not at all.
//
// Writes are serialized by one mutex (the store is a single writer by
// design; one writer keeps aggregates exact without retries). Reads take no
// lock and may run from any thread. The Database and FormKinds passed to
// Open() must outlive the store.
#ifndef C1TALLY_STORAGE_TALLY_STORE_H_
#define C1TALLY_STORAGE_TALLY_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"
#include "storage/form_kind.h"
#include "storage/journal.h"
#include "storage/reference/race_forms.h"
#include "storage/region_code.h"
#include "storage/region_tree.h"

namespace c1tally {

class TallyStore {
 public:
  // Largest number of results SetResults() takes at once.
  static constexpr size_t kMaxBatch = 10000;
  // Prefix of the flags the store computes from the form kind's rules.
  static constexpr char kArithmeticFlagPrefix[] = "arithmetic:";

  static absl::StatusOr<std::unique_ptr<TallyStore>> Open(
      Database* db, const FormKinds* kinds);

  struct Outcome {
    // How many results changed something.
    int changed = 0;
    // Journal head after the write.
    uint64_t journal_sequence = 0;
    // The results as stored, in the order given.
    std::vector<v1::TpsResult> stored;
  };

  // Sets the results (tps_code, form_kind, values, flags, provenance are
  // read). A legislative result must fit the ballot of its TPS's dapil
  // (RaceForms) and is counted in that dapil's aggregate too.
  // INVALID_ARGUMENT for a malformed code, a code that is not a TPS,
  // an unknown form kind or field (for a legislative race: a candidate or
  // party not on the dapil's ballot), a value out of range, a missing
  // required field, the same TPS and kind twice, or more than kMaxBatch
  // results; FAILED_PRECONDITION for a legislative result of a TPS without
  // a dapil or ballot; NOT_FOUND for a TPS not in the region tree. On any error
  // nothing is applied and the message names the offending result.
  absl::StatusOr<Outcome> SetResults(std::vector<v1::TpsResult> results)
      ABSL_LOCKS_EXCLUDED(write_mu_) {
    return SetResults(std::move(results), nullptr);
  }

  // The same, and writes `together` (other stores' changes that the results
  // come from, e.g. the photo they were read off) in the same atomic write:
  // both land or neither does, and `together` lands even when no result
  // changes. The store's journal numbering needs its lock held across the
  // write, which is why the caller hands its batch over instead of adding
  // the results to it. On an error `together` may hold part of the
  // results' changes: the caller drops it. Null: the results alone.
  absl::StatusOr<Outcome> SetResults(std::vector<v1::TpsResult> results,
                                     rocksdb::WriteBatch* together)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // Clears the result of `tps` for `form_kind`, journaling `reason`.
  // NOT_FOUND when there is none. Returns the journal sequence.
  absl::StatusOr<uint64_t> ClearResult(absl::string_view tps,
                                       absl::string_view form_kind,
                                       absl::string_view reason)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // The result of a TPS for a form kind; NOT_FOUND when it has none.
  absl::StatusOr<v1::TpsResult> GetResult(
      const RegionCode& tps, absl::string_view form_kind,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // A TPS from the tree with every result it has.
  absl::StatusOr<v1::Tps> GetTps(
      const RegionCode& tps, const rocksdb::Snapshot* snapshot = nullptr) const;

  // A region from the tree with its aggregate for `form_kind`
  // (tps_total = the region's TPS count).
  absl::StatusOr<v1::Region> GetRegion(
      const RegionCode& code, absl::string_view form_kind,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // The aggregate of a dapil of a legislative race (empty when nothing is
  // counted yet; tps_total is GetDapil's and ListDapil's to count);
  // NOT_FOUND for a dapil the reference data lacks.
  absl::StatusOr<v1::Aggregate> GetDapilAggregate(
      absl::string_view race, absl::string_view dapil,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // A dapil with its ballot (when imported), the parties on it, the
  // regions the map assigns to it and its aggregate (tps_total = the TPS
  // the map puts in it, reference/dapil_tps.h). INVALID_ARGUMENT for a race
  // without dapil, NOT_FOUND for an unknown dapil.
  absl::StatusOr<v1::Dapil> GetDapil(
      absl::string_view race, absl::string_view code,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // The dapil of `race` in code order from `page_token` (listing_page.h)
  // on, each with its aggregate and tps_total but without ballot, parties
  // and regions; below a region that is not the nation, only the dapil
  // its TPS belong to. INVALID_ARGUMENT for a race without dapil or a
  // token of another listing; NOT_FOUND for a region the tree lacks.
  absl::StatusOr<Page<v1::Dapil>> ListDapil(
      absl::string_view race, const RegionCode& region, int page_size,
      const std::string& page_token,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // Journal entries (see Journal::List).
  absl::StatusOr<Page<v1::JournalEntry>> ListJournal(
      const std::string& tps_code, int page_size,
      const std::string& page_token) const {
    return journal_.List(tps_code, page_size, page_token);
  }
  // Sequence of the last journal entry.
  uint64_t journal_sequence() const ABSL_LOCKS_EXCLUDED(write_mu_);

  const RegionTree& tree() const { return tree_; }
  const FormKinds& kinds() const { return *kinds_; }
  const RaceForms& forms() const { return forms_; }
  Database* database() const { return db_; }

 private:
  TallyStore(Database* db, const FormKinds* kinds)
      : db_(db), kinds_(kinds), forms_(kinds, db), tree_(db), journal_(db) {}

  // Adds to `dapil` the regions the map assigns to it.
  absl::Status AddDapilRegions(v1::Dapil* dapil,
                               const rocksdb::Snapshot* snapshot) const;
  // A TPS the map names, as a Region of level TPS.
  absl::StatusOr<v1::Region> TpsAsRegion(
      const RegionCode& code, const rocksdb::Snapshot* snapshot) const;

  // Checks one result and brings it to its stored form (sorted flags,
  // computed arithmetic flags, output-only fields cleared).
  absl::Status Normalize(v1::TpsResult* result) const;

  // Writes the changes from `before` to `after` for each pair (either side
  // may be null: a new or a cleared result), with what `batch` already
  // holds. Caller holds write_mu_.
  struct Change {
    const v1::TpsResult* before;
    v1::TpsResult* after;
    std::string reason;
    std::string tps_code;
    std::string form_kind;
  };
  absl::StatusOr<uint64_t> Apply(std::vector<Change>& changes,
                                 rocksdb::WriteBatch* batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  Database* const db_;
  const FormKinds* const kinds_;
  RaceForms forms_;
  RegionTree tree_;
  mutable absl::Mutex write_mu_;
  // Stage/Publish/Discard and the head only under write_mu_; List() is
  // thread-safe on its own.
  Journal journal_;
};

// True when two results say the same: values, flags, provenance and dapil.
bool SameResult(const v1::TpsResult& a, const v1::TpsResult& b);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_TALLY_STORE_H_
