#include "audit/sirekap_store.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/listing_page.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

absl::StatusOr<v1::SirekapRecord> ParseStored(const rocksdb::Slice& value,
                                              absl::string_view key) {
  v1::SirekapRecord record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(
        absl::StrCat("stored Sirekap record \"", key, "\" is corrupt"));
  }
  return record;
}

uint64_t FetchMicros(const v1::SirekapRecord& record) {
  return static_cast<uint64_t>(
      TimeUtil::TimestampToMicroseconds(record.fetch_time()));
}

// The latest-family copy: the same record without the raw JSON, which
// stays in the history.
std::string LatestValue(const v1::SirekapRecord& record) {
  v1::SirekapRecord latest = record;
  latest.clear_raw_json();
  return latest.SerializeAsString();
}

}  // namespace

bool SameSirekapContent(const v1::SirekapRecord& a,
                        const v1::SirekapRecord& b) {
  v1::SirekapRecord left = a;
  v1::SirekapRecord right = b;
  for (v1::SirekapRecord* record : {&left, &right}) {
    record->clear_fetch_time();
    record->clear_raw_json();
  }
  return google::protobuf::util::MessageDifferencer::Equals(left, right);
}

absl::StatusOr<std::vector<SirekapStore::Outcome>> SirekapStore::Store(
    std::vector<v1::SirekapRecord> records, absl::Time fetch_time) {
  const int64_t micros = absl::ToUnixMicros(fetch_time);
  if (micros < 0) {
    return absl::InvalidArgumentError("fetch time before 1970");
  }
  absl::MutexLock lock(&mu_);
  std::vector<Outcome> outcomes;
  outcomes.reserve(records.size());
  // Records of this call by key, to catch the same code twice.
  std::map<std::string, const v1::SirekapRecord*> pending;
  rocksdb::WriteBatch batch;
  for (v1::SirekapRecord& record : records) {
    *record.mutable_fetch_time() = TimeUtil::MicrosecondsToTimestamp(micros);
    const std::string latest_key =
        keys::SirekapLatest(record.race(), SirekapStoredCode(record));
    if (auto it = pending.find(latest_key); it != pending.end()) {
      outcomes.push_back(SameSirekapContent(*it->second, record)
                             ? Outcome::kUnchanged
                             : Outcome::kConflict);
      continue;
    }
    ASSIGN_OR_RETURN(Outcome outcome, Place(record, micros, &batch));
    // What this fetch says about the code, new or not, so that a second
    // record of the same code in it must agree.
    if (outcome != Outcome::kConflict) pending[latest_key] = &record;
    outcomes.push_back(outcome);
  }
  if (batch.Count() > 0) {
    RETURN_IF_ERROR(db_->Write(&batch));
  }
  return outcomes;
}

absl::StatusOr<SirekapStore::Outcome> SirekapStore::Place(
    const v1::SirekapRecord& record, uint64_t micros,
    rocksdb::WriteBatch* batch) const {
  const std::string code = SirekapStoredCode(record);
  const std::string latest_key = keys::SirekapLatest(record.race(), code);
  auto put_version = [&] {
    batch->Put(db_->handle(Family::kSirekap),
               keys::SirekapVersion(record.race(), code, micros),
               record.SerializeAsString());
  };
  auto put_latest = [&] {
    batch->Put(db_->handle(Family::kSirekapLatest), latest_key,
               LatestValue(record));
  };
  std::string value;
  absl::Status read =
      db_->Get(Family::kSirekapLatest, latest_key, &value, "Sirekap record");
  if (absl::IsNotFound(read)) {
    put_version();
    put_latest();
    return Outcome::kNew;
  }
  if (!read.ok()) return read;
  absl::StatusOr<v1::SirekapRecord> latest = ParseStored(value, latest_key);
  if (!latest.ok()) return latest.status();
  const uint64_t latest_micros = FetchMicros(*latest);
  if (latest_micros <= micros) {
    if (SameSirekapContent(*latest, record)) return Outcome::kUnchanged;
    if (latest_micros == micros) return Outcome::kConflict;
    put_version();
    put_latest();
    return Outcome::kNew;
  }
  // An older fetch imported late: it goes between the versions around it.
  absl::StatusOr<v1::SirekapRecord> before =
      Neighbour(record, micros, /*after=*/false);
  if (!before.ok() && !absl::IsNotFound(before.status())) {
    return before.status();
  }
  if (before.ok() && SameSirekapContent(*before, record)) {
    return Outcome::kUnchanged;
  }
  if (before.ok() && FetchMicros(*before) == micros) return Outcome::kConflict;
  absl::StatusOr<v1::SirekapRecord> after =
      Neighbour(record, micros, /*after=*/true);
  if (!after.ok()) return after.status();  // the latest at least is after
  put_version();
  if (SameSirekapContent(*after, record)) {
    // Sirekap said this already at the earlier fetch: the version starts
    // there, so that versions in a row always differ.
    batch->Delete(
        db_->handle(Family::kSirekap),
        keys::SirekapVersion(record.race(), code, FetchMicros(*after)));
    if (FetchMicros(*after) == latest_micros) put_latest();
  }
  return Outcome::kNew;
}

absl::StatusOr<v1::SirekapRecord> SirekapStore::Neighbour(
    const v1::SirekapRecord& record, uint64_t fetch_micros, bool after) const {
  const std::string code = SirekapStoredCode(record);
  const std::string prefix = keys::SirekapVersionPrefix(record.race(), code);
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kSirekap);
  if (after) {
    it->Seek(keys::SirekapVersion(record.race(), code, fetch_micros + 1));
  } else {
    it->SeekForPrev(keys::SirekapVersion(record.race(), code, fetch_micros));
  }
  if (!it->status().ok()) {
    return FromRocksStatus(it->status(), "reading Sirekap history");
  }
  if (!it->Valid() || !absl::StartsWith(View(it->key()), prefix)) {
    return absl::NotFoundError("no such version");
  }
  return ParseStored(it->value(), View(it->key()));
}

absl::StatusOr<v1::SirekapRecord> SirekapStore::Latest(
    absl::string_view race, const RegionCode& code,
    const rocksdb::Snapshot* snapshot) const {
  return LatestOf(race, code.str(), snapshot);
}

absl::StatusOr<v1::SirekapRecord> SirekapStore::LatestOfDapil(
    absl::string_view race, absl::string_view kode_dapil,
    const rocksdb::Snapshot* snapshot) const {
  return LatestOf(race, absl::StrCat(kSirekapDapilPrefix, kode_dapil),
                  snapshot);
}

absl::StatusOr<v1::SirekapRecord> SirekapStore::LatestOf(
    absl::string_view race, const std::string& code,
    const rocksdb::Snapshot* snapshot) const {
  const std::string key = keys::SirekapLatest(race, code);
  std::string value;
  RETURN_IF_ERROR(db_->Get(Family::kSirekapLatest, key, &value,
                           absl::StrCat("Sirekap record of \"", code, "\""),
                           snapshot));
  return ParseStored(value, key);
}

absl::StatusOr<Page<v1::SirekapRecord>> SirekapStore::History(
    absl::string_view race, const RegionCode& code, int page_size,
    const std::string& page_token) const {
  return HistoryOf(race, code.str(), page_size, page_token);
}

absl::StatusOr<Page<v1::SirekapRecord>> SirekapStore::DapilHistory(
    absl::string_view race, absl::string_view kode_dapil, int page_size,
    const std::string& page_token) const {
  return HistoryOf(race, absl::StrCat(kSirekapDapilPrefix, kode_dapil),
                   page_size, page_token);
}

absl::StatusOr<Page<v1::SirekapRecord>> SirekapStore::HistoryOf(
    absl::string_view race, const std::string& code, int page_size,
    const std::string& page_token) const {
  const std::string prefix = keys::SirekapVersionPrefix(race, code);
  std::string start = prefix + std::string(8, '\xff');
  // A token holds the fetch time of the last (oldest) record returned.
  const std::string listing = absl::StrCat("sirekap-history/", prefix);
  ASSIGN_OR_RETURN(const std::string last,
                   DecodePageToken(listing, page_token));
  if (!last.empty()) {
    uint64_t before = 0;
    if (!absl::SimpleAtoi(last, &before) || before == 0) {
      return absl::InvalidArgumentError("malformed page token");
    }
    start = keys::SirekapVersion(race, code, before - 1);
  }
  const int size = ClampPageSize(page_size);
  Page<v1::SirekapRecord> page;
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kSirekap);
  for (it->SeekForPrev(start);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Prev()) {
    if (static_cast<int>(page.items.size()) == size) {
      page.next_page_token = EncodePageToken(
          listing, absl::StrCat(FetchMicros(page.items.back())));
      break;
    }
    ASSIGN_OR_RETURN(v1::SirekapRecord record,
                     ParseStored(it->value(), View(it->key())));
    page.items.push_back(std::move(record));
  }
  if (!it->status().ok()) {
    return FromRocksStatus(it->status(), "reading Sirekap history");
  }
  return page;
}

absl::Status SirekapStore::ForEachLatestTps(
    absl::string_view race, const RegionCode& region,
    const std::function<absl::Status(const v1::SirekapRecord&)>& visit,
    const rocksdb::Snapshot* snapshot) const {
  const std::string prefix = keys::SirekapLatestPrefix(race, region.str());
  const size_t prefix_size = keys::SirekapLatest(race, "").size();
  const size_t tps_key_size = prefix_size + RegionCode::kTpsWidth;
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kSirekapLatest, snapshot);
  for (it->Seek(prefix);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    // Region and dapil aggregates ("d/..." could be as long as a TPS code).
    if (it->key().size() != tps_key_size ||
        absl::StartsWith(View(it->key()).substr(prefix_size),
                         kSirekapDapilPrefix)) {
      continue;
    }
    ASSIGN_OR_RETURN(v1::SirekapRecord record,
                     ParseStored(it->value(), View(it->key())));
    RETURN_IF_ERROR(visit(record));
  }
  return FromRocksStatus(it->status(), "reading Sirekap records");
}

}  // namespace c1tally
