// SirekapStore: Sirekap records as a second source, with their history, in
// the kSirekap (every version, raw JSON included) and kSirekapLatest (the
// newest version of each TPS, region or dapil) families; see
// storage/keys.h. Every race is stored alike, under its own name.
//
// A version is stored only when it says something else than the version
// before it, so re-importing the same files adds nothing and the history
// reads "from fetch time T, Sirekap said X". An older fetch imported late
// is placed between the versions around it; if it says what the next one
// says, that version now starts at the older fetch. Sirekap records are
// never mixed into verified results.
//
// Writes are serialized by a mutex; reads take no lock. The Database must
// outlive the store.
#ifndef C1TALLY_AUDIT_SIREKAP_STORE_H_
#define C1TALLY_AUDIT_SIREKAP_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "audit/sirekap_record.h"
#include "c1tally/v1/audit.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/region_code.h"
#include "storage/region_tree.h"

namespace c1tally {

class SirekapStore {
 public:
  // What Store() did with one record.
  enum class Outcome {
    // Stored as a new version.
    kNew,
    // The version before it says the same; nothing stored.
    kUnchanged,
    // The same TPS or region already has another record for this fetch
    // time (twice in one fetch, or a fetch imported twice with different
    // content); nothing stored.
    kConflict,
  };

  explicit SirekapStore(Database* db) : db_(db) {}

  // Stores `records` (parsed, race and code set), all fetched at
  // `fetch_time`, in one atomic write. A record becomes the latest of its
  // code unless a newer fetch is stored already (an old fetch imported
  // late only fills in history). Returns one outcome per record, in order;
  // fails only on a database error, and then nothing is written.
  absl::StatusOr<std::vector<Outcome>> Store(
      std::vector<v1::SirekapRecord> records, absl::Time fetch_time)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The newest record of a TPS or region (without raw_json); NOT_FOUND if
  // none was imported.
  absl::StatusOr<v1::SirekapRecord> Latest(
      absl::string_view race, const RegionCode& code,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // The newest aggregate of a dapil of a legislative race.
  absl::StatusOr<v1::SirekapRecord> LatestOfDapil(
      absl::string_view race, absl::string_view kode_dapil,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // Every stored version of a TPS or region, newest first, raw JSON
  // included. The page token is the fetch time (microseconds) to continue
  // before.
  absl::StatusOr<Page<v1::SirekapRecord>> History(
      absl::string_view race, const RegionCode& code, int page_size,
      const std::string& page_token) const;
  // The same for a dapil aggregate.
  absl::StatusOr<Page<v1::SirekapRecord>> DapilHistory(
      absl::string_view race, absl::string_view kode_dapil, int page_size,
      const std::string& page_token) const;

  // Calls `visit` with the latest record of every TPS at or below
  // `region`, in code order; stops at and returns the first error.
  absl::Status ForEachLatestTps(
      absl::string_view race, const RegionCode& region,
      const std::function<absl::Status(const v1::SirekapRecord&)>& visit,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  Database* database() const { return db_; }

 private:
  // What storing `record`, fetched at `micros`, means; adds the writes it
  // takes to `batch`. Caller holds mu_.
  absl::StatusOr<Outcome> Place(const v1::SirekapRecord& record,
                                uint64_t micros,
                                rocksdb::WriteBatch* batch) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Latest() and History() by the code part of the key
  // (SirekapStoredCode).
  absl::StatusOr<v1::SirekapRecord> LatestOf(
      absl::string_view race, const std::string& code,
      const rocksdb::Snapshot* snapshot) const;
  absl::StatusOr<Page<v1::SirekapRecord>> HistoryOf(
      absl::string_view race, const std::string& code, int page_size,
      const std::string& page_token) const;

  // The stored version of `record`'s code at or before `fetch_micros`
  // (`after` false) or the first one after it; NOT_FOUND if none.
  absl::StatusOr<v1::SirekapRecord> Neighbour(const v1::SirekapRecord& record,
                                              uint64_t fetch_micros,
                                              bool after) const;

  Database* const db_;
  // Serializes Store(): each record is read and placed against what the
  // database holds, so two writers could otherwise both add a version.
  mutable absl::Mutex mu_;
};

// True when two records say the same (fetch time and raw JSON aside).
bool SameSirekapContent(const v1::SirekapRecord& a, const v1::SirekapRecord& b);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_STORE_H_
