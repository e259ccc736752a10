#include "audit/sirekap_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "storage/keys.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

uint64_t FetchMicros(const v1::SirekapRecord& record) {
  return static_cast<uint64_t>(
      TimeUtil::TimestampToMicroseconds(record.fetch_time()));
}

// The latest-family copy: the same record without the raw JSON, which
// stays in the history.
std::string LatestCopy(const v1::SirekapRecord& record) {
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

std::string SirekapStore::Traits::Id(const Record& record) {
  return keys::SirekapLatest(record.race(), SirekapStoredCode(record));
}

uint64_t SirekapStore::Traits::Micros(const Record& record) {
  return FetchMicros(record);
}

void SirekapStore::Traits::SetMicros(uint64_t micros, Record* record) {
  *record->mutable_fetch_time() =
      TimeUtil::MicrosecondsToTimestamp(static_cast<int64_t>(micros));
}

bool SirekapStore::Traits::SameContent(const Record& a, const Record& b) {
  return SameSirekapContent(a, b);
}

std::string SirekapStore::Traits::LatestValue(const Record& record) {
  return LatestCopy(record);
}

absl::StatusOr<std::vector<SirekapStore::Outcome>> SirekapStore::Store(
    std::vector<v1::SirekapRecord> records, absl::Time fetch_time) {
  const int64_t micros = absl::ToUnixMicros(fetch_time);
  if (micros < 0) {
    return absl::InvalidArgumentError("fetch time before 1970");
  }
  return history_.Store(std::move(records), static_cast<uint64_t>(micros));
}

absl::StatusOr<v1::SirekapRecord> SirekapStore::Latest(
    absl::string_view race, const RegionCode& code,
    const rocksdb::Snapshot* snapshot) const {
  return history_.Latest(keys::SirekapLatest(race, code.str()), snapshot);
}

absl::StatusOr<v1::SirekapRecord> SirekapStore::LatestOfDapil(
    absl::string_view race, absl::string_view kode_dapil,
    const rocksdb::Snapshot* snapshot) const {
  return history_.Latest(
      keys::SirekapLatest(race, absl::StrCat(kSirekapDapilPrefix, kode_dapil)),
      snapshot);
}

absl::StatusOr<Page<v1::SirekapRecord>> SirekapStore::History(
    absl::string_view race, const RegionCode& code, int page_size,
    const std::string& page_token) const {
  return history_.History(keys::SirekapLatest(race, code.str()), page_size,
                          page_token);
}

absl::StatusOr<Page<v1::SirekapRecord>> SirekapStore::DapilHistory(
    absl::string_view race, absl::string_view kode_dapil, int page_size,
    const std::string& page_token) const {
  return history_.History(
      keys::SirekapLatest(race, absl::StrCat(kSirekapDapilPrefix, kode_dapil)),
      page_size, page_token);
}

absl::Status SirekapStore::ForEachLatestTps(
    absl::string_view race, const RegionCode& region,
    const std::function<absl::Status(const v1::SirekapRecord&)>& visit,
    const rocksdb::Snapshot* snapshot) const {
  const size_t prefix_size = keys::SirekapLatest(race, "").size();
  const size_t tps_key_size = prefix_size + RegionCode::kTpsWidth;
  return history_.ForEachLatest(
      keys::SirekapLatestPrefix(race, region.str()),
      [&](absl::string_view key, const v1::SirekapRecord& record) {
        // Region and dapil aggregates ("d/..." could be as long as a TPS
        // code).
        if (key.size() != tps_key_size ||
            absl::StartsWith(key.substr(prefix_size), kSirekapDapilPrefix)) {
          return absl::OkStatus();
        }
        return visit(record);
      },
      snapshot);
}

}  // namespace c1tally
