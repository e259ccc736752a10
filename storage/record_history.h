// RecordHistory: records from an outside source (Sirekap, a recap) kept
// with their history in two column families: every version under
//   id + '/' + time (microseconds, 8 bytes big-endian)
// and the newest version of each id under the id alone. The time is when
// the source said it (a fetch time, a recap's date), given by the caller.
//
// A version is stored only when it says something else than the version
// before it, so importing the same thing again adds nothing and the history
// reads "from time T, the source said X". An older version imported late
// is placed between the versions around it; if it says what the next one
// says, that version now starts at the older time.
//
// `Traits` says what a record is:
//   using Record = ...;                       // a protobuf message
//   static constexpr Family kVersions, kLatest;
//   static constexpr char kWhat[];            // "Sirekap record"
//   static std::string Id(const Record&);     // no '/' after the last digit
//   static uint64_t Micros(const Record&);
//   static void SetMicros(uint64_t, Record*);
//   static bool SameContent(const Record&, const Record&);  // time aside
//   static std::string LatestValue(const Record&);  // may drop bulky parts
//
// Writes are serialized by a mutex; reads take no lock. The Database must
// outlive the history.
#ifndef C1TALLY_STORAGE_RECORD_HISTORY_H_
#define C1TALLY_STORAGE_RECORD_HISTORY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/keys.h"
#include "storage/listing_page.h"
#include "storage/status_macros.h"

namespace c1tally {

// What storing one record did.
enum class VersionOutcome {
  // Stored as a new version.
  kNew,
  // The version before it says the same; nothing stored.
  kUnchanged,
  // The same id already has another record for this time (twice in one
  // import, or an import repeated with different content); nothing stored.
  kConflict,
};

template <typename Traits>
class RecordHistory {
 public:
  using Record = typename Traits::Record;

  explicit RecordHistory(Database* db) : db_(db) {}

  // Stores `records`, all said at `micros`, in one atomic write. A record
  // becomes the latest of its id unless a newer one is stored already.
  // Returns one outcome per record, in order; fails only on a database
  // error, and then nothing is written.
  absl::StatusOr<std::vector<VersionOutcome>> Store(std::vector<Record> records,
                                                    uint64_t micros)
      ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    std::vector<VersionOutcome> outcomes;
    outcomes.reserve(records.size());
    // Records of this call by id, to catch the same id twice.
    std::map<std::string, const Record*> pending;
    rocksdb::WriteBatch batch;
    for (Record& record : records) {
      Traits::SetMicros(micros, &record);
      const std::string id = Traits::Id(record);
      if (auto it = pending.find(id); it != pending.end()) {
        outcomes.push_back(Traits::SameContent(*it->second, record)
                               ? VersionOutcome::kUnchanged
                               : VersionOutcome::kConflict);
        continue;
      }
      ASSIGN_OR_RETURN(VersionOutcome outcome, Place(id, record, &batch));
      // What this import says about the id, new or not, so that a second
      // record of the same id in it must agree.
      if (outcome != VersionOutcome::kConflict) pending[id] = &record;
      outcomes.push_back(outcome);
    }
    if (batch.Count() > 0) {
      RETURN_IF_ERROR(db_->Write(&batch));
    }
    return outcomes;
  }

  // The newest version of `id`; NOT_FOUND if none was stored.
  absl::StatusOr<Record> Latest(
      absl::string_view id, const rocksdb::Snapshot* snapshot = nullptr) const {
    std::string value;
    RETURN_IF_ERROR(db_->Get(Traits::kLatest, id, &value,
                             absl::StrCat(Traits::kWhat, " \"", id, "\""),
                             snapshot));
    return Parse(value, id);
  }

  // Every stored version of `id`, newest first. The page token holds the
  // time to continue before.
  absl::StatusOr<Page<Record>> History(absl::string_view id, int page_size,
                                       const std::string& page_token) const {
    const std::string prefix = VersionPrefix(id);
    std::string start = prefix + std::string(8, '\xff');
    const std::string listing = absl::StrCat("history/", Traits::kWhat, prefix);
    ASSIGN_OR_RETURN(const std::string last,
                     DecodePageToken(listing, page_token));
    if (!last.empty()) {
      uint64_t before = 0;
      if (!absl::SimpleAtoi(last, &before) || before == 0) {
        return absl::InvalidArgumentError("malformed page token");
      }
      start = VersionKey(id, before - 1);
    }
    const int size = ClampPageSize(page_size);
    Page<Record> page;
    std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Traits::kVersions);
    for (it->SeekForPrev(start);
         it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Prev()) {
      if (static_cast<int>(page.items.size()) == size) {
        page.next_page_token = EncodePageToken(
            listing, absl::StrCat(Traits::Micros(page.items.back())));
        break;
      }
      ASSIGN_OR_RETURN(Record record, Parse(it->value(), View(it->key())));
      page.items.push_back(std::move(record));
    }
    if (!it->status().ok()) {
      return FromRocksStatus(it->status(),
                             absl::StrCat("reading ", Traits::kWhat, "s"));
    }
    return page;
  }

  // Calls `visit` with the latest version of every id that starts with
  // `prefix`, in id order; stops at and returns the first error.
  template <typename Visit>
  absl::Status ForEachLatest(
      absl::string_view prefix, const Visit& visit,
      const rocksdb::Snapshot* snapshot = nullptr) const {
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Traits::kLatest, snapshot);
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
         it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
      ASSIGN_OR_RETURN(Record record, Parse(it->value(), View(it->key())));
      RETURN_IF_ERROR(visit(View(it->key()), record));
    }
    return FromRocksStatus(it->status(),
                           absl::StrCat("reading ", Traits::kWhat, "s"));
  }

  Database* database() const { return db_; }

 private:
  static std::string VersionPrefix(absl::string_view id) {
    return absl::StrCat(id, "/");
  }
  static std::string VersionKey(absl::string_view id, uint64_t micros) {
    return absl::StrCat(VersionPrefix(id), keys::Sequence(micros));
  }

  static absl::StatusOr<Record> Parse(const rocksdb::Slice& value,
                                      absl::string_view key) {
    Record record;
    if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(
          absl::StrCat("stored ", Traits::kWhat, " \"", key, "\" is corrupt"));
    }
    return record;
  }

  // What storing `record` means; adds the writes it takes to `batch`.
  absl::StatusOr<VersionOutcome> Place(const std::string& id,
                                       const Record& record,
                                       rocksdb::WriteBatch* batch) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const uint64_t micros = Traits::Micros(record);
    auto put_version = [&] {
      batch->Put(db_->handle(Traits::kVersions), VersionKey(id, micros),
                 record.SerializeAsString());
    };
    auto put_latest = [&] {
      batch->Put(db_->handle(Traits::kLatest), id, Traits::LatestValue(record));
    };
    absl::StatusOr<Record> latest = Latest(id);
    if (absl::IsNotFound(latest.status())) {
      put_version();
      put_latest();
      return VersionOutcome::kNew;
    }
    if (!latest.ok()) return latest.status();
    const uint64_t latest_micros = Traits::Micros(*latest);
    if (latest_micros <= micros) {
      if (Traits::SameContent(*latest, record)) {
        return VersionOutcome::kUnchanged;
      }
      if (latest_micros == micros) return VersionOutcome::kConflict;
      put_version();
      put_latest();
      return VersionOutcome::kNew;
    }
    // An older version imported late: it goes between the versions around
    // it.
    absl::StatusOr<Record> before = Neighbour(id, micros, /*after=*/false);
    if (!before.ok() && !absl::IsNotFound(before.status())) {
      return before.status();
    }
    if (before.ok() && Traits::SameContent(*before, record)) {
      return VersionOutcome::kUnchanged;
    }
    if (before.ok() && Traits::Micros(*before) == micros) {
      return VersionOutcome::kConflict;
    }
    absl::StatusOr<Record> after = Neighbour(id, micros, /*after=*/true);
    if (!after.ok()) return after.status();  // the latest at least is after
    put_version();
    if (Traits::SameContent(*after, record)) {
      // The source said this already at the earlier time: the version
      // starts there, so that versions in a row always differ.
      batch->Delete(db_->handle(Traits::kVersions),
                    VersionKey(id, Traits::Micros(*after)));
      if (Traits::Micros(*after) == latest_micros) put_latest();
    }
    return VersionOutcome::kNew;
  }

  // The stored version of `id` at or before `micros` (`after` false) or
  // the first one after it; NOT_FOUND if none.
  absl::StatusOr<Record> Neighbour(const std::string& id, uint64_t micros,
                                   bool after) const {
    const std::string prefix = VersionPrefix(id);
    std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Traits::kVersions);
    if (after) {
      it->Seek(VersionKey(id, micros + 1));
    } else {
      it->SeekForPrev(VersionKey(id, micros));
    }
    if (!it->status().ok()) {
      return FromRocksStatus(it->status(),
                             absl::StrCat("reading ", Traits::kWhat, "s"));
    }
    if (!it->Valid() || !absl::StartsWith(View(it->key()), prefix)) {
      return absl::NotFoundError("no such version");
    }
    return Parse(it->value(), View(it->key()));
  }

  Database* const db_;
  // Serializes Store(): each record is read and placed against what the
  // database holds, so two writers could otherwise both add a version.
  mutable absl::Mutex mu_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_RECORD_HISTORY_H_
