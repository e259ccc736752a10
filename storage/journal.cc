#include "storage/journal.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/keys.h"
#include "storage/listing_page.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

}  // namespace

absl::StatusOr<v1::JournalEntry> ParseJournalEntry(
    const rocksdb::Slice& key, const rocksdb::Slice& value) {
  v1::JournalEntry entry;
  if (!entry.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat(
        "journal entry ", keys::ParseSequence(View(key)), " is unreadable"));
  }
  return entry;
}

std::string Journal::HashOf(const v1::JournalEntry& entry) {
  v1::JournalEntry input = entry;
  input.clear_entry_hash();
  return Sha256(DeterministicBytes(input));
}

absl::Status Journal::Load() {
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kJournal);
  it->SeekToLast();
  head_ = Head();
  if (it->Valid()) {
    ASSIGN_OR_RETURN(v1::JournalEntry last,
                     ParseJournalEntry(it->key(), it->value()));
    head_.sequence = last.sequence();
    head_.hash = last.entry_hash();
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "journal");
  staged_ = head_;
  return absl::OkStatus();
}

void Journal::Stage(v1::JournalEntry* entry, rocksdb::WriteBatch* batch) {
  entry->set_sequence(staged_.sequence + 1);
  entry->set_previous_hash(staged_.hash);
  entry->set_entry_hash(HashOf(*entry));
  staged_.sequence = entry->sequence();
  staged_.hash = entry->entry_hash();
  batch->Put(db_->handle(Family::kJournal), keys::Sequence(entry->sequence()),
             entry->SerializeAsString());
  batch->Put(db_->handle(Family::kJournalByTps),
             keys::JournalByTps(entry->tps_code(), entry->sequence()), "");
}

absl::StatusOr<Page<v1::JournalEntry>> Journal::List(
    const std::string& tps_code, int page_size,
    const std::string& page_token) const {
  // A token holds the last sequence returned.
  const std::string listing = absl::StrCat("journal/", tps_code);
  ASSIGN_OR_RETURN(const std::string last,
                   DecodePageToken(listing, page_token));
  uint64_t after = 0;
  if (!last.empty() && !absl::SimpleAtoi(last, &after)) {
    return absl::InvalidArgumentError("malformed page token");
  }
  page_size = ClampPageSize(page_size);
  const rocksdb::Snapshot* snapshot = db_->db()->GetSnapshot();
  Page<v1::JournalEntry> page;
  absl::Status status;
  // Adds one entry; false when the page is full or reading failed.
  auto add = [&](const rocksdb::Slice& key, const rocksdb::Slice& value) {
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_page_token =
          EncodePageToken(listing, absl::StrCat(page.items.back().sequence()));
      return false;
    }
    absl::StatusOr<v1::JournalEntry> entry = ParseJournalEntry(key, value);
    if (!entry.ok()) {
      status = entry.status();
      return false;
    }
    page.items.push_back(*std::move(entry));
    return true;
  };
  if (tps_code.empty()) {
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Family::kJournal, snapshot);
    for (it->Seek(keys::Sequence(after + 1)); it->Valid(); it->Next()) {
      if (!add(it->key(), it->value())) break;
    }
  } else {
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Family::kJournalByTps, snapshot);
    for (it->Seek(keys::JournalByTps(tps_code, after + 1));
         it->Valid() && it->key().starts_with(tps_code) &&
         it->key().size() == tps_code.size() + 8;
         it->Next()) {
      const std::string key = it->key().ToString().substr(tps_code.size());
      std::string value;
      status =
          db_->Get(Family::kJournal, key, &value, "journal entry", snapshot);
      if (!status.ok() || !add(key, value)) break;
    }
  }
  db_->db()->ReleaseSnapshot(snapshot);
  if (!status.ok()) return status;
  return page;
}

}  // namespace c1tally
