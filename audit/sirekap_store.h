// SirekapStore: Sirekap records as a second source, with their history, in
// the kSirekap (every version, raw JSON included) and kSirekapLatest (the
// newest version of each TPS, region or dapil) families; see
// storage/keys.h. Every race is stored alike, under its own name.
//
// Versions are kept as storage/record_history.h says, by fetch time: a
// version is stored only when it says something else than the one before
// it, so re-importing the same files adds nothing. Sirekap records are
// never mixed into verified results.
//
// Writes are serialized by a mutex; reads take no lock. The Database must
// outlive the store.
#ifndef C1TALLY_AUDIT_SIREKAP_STORE_H_
#define C1TALLY_AUDIT_SIREKAP_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit/sirekap_record.h"
#include "c1tally/v1/audit.pb.h"
#include "storage/database.h"
#include "storage/record_history.h"
#include "storage/region_code.h"
#include "storage/region_tree.h"

namespace c1tally {

class SirekapStore {
 public:
  // What Store() did with one record.
  using Outcome = VersionOutcome;

  explicit SirekapStore(Database* db) : history_(db) {}

  // Stores `records` (parsed, race and code set), all fetched at
  // `fetch_time`, in one atomic write. A record becomes the latest of its
  // code unless a newer fetch is stored already (an old fetch imported
  // late only fills in history). Returns one outcome per record, in order;
  // fails only on a database error, and then nothing is written.
  absl::StatusOr<std::vector<Outcome>> Store(
      std::vector<v1::SirekapRecord> records, absl::Time fetch_time);

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

  Database* database() const { return history_.database(); }

 private:
  // How Sirekap records sit in a RecordHistory.
  struct Traits {
    using Record = v1::SirekapRecord;
    static constexpr Family kVersions = Family::kSirekap;
    static constexpr Family kLatest = Family::kSirekapLatest;
    static constexpr char kWhat[] = "Sirekap record";
    static std::string Id(const Record& record);
    static uint64_t Micros(const Record& record);
    static void SetMicros(uint64_t micros, Record* record);
    static bool SameContent(const Record& a, const Record& b);
    // Without the raw JSON, which stays in the history.
    static std::string LatestValue(const Record& record);
  };

  RecordHistory<Traits> history_;
};

// True when two records say the same (fetch time and raw JSON aside).
bool SameSirekapContent(const v1::SirekapRecord& a, const v1::SirekapRecord& b);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_STORE_H_
