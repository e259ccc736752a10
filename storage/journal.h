// Journal: the append-only record of every change to a TPS result. Entries
// are numbered 1, 2, 3, ... and each carries the SHA-256 of the previous
// one, so that a rewritten history no longer chains.
//
// The hash input of an entry is its deterministic protobuf serialization
// with `entry_hash` cleared; HashOf() computes it, so that anyone holding
// the entries can re-check the chain.
//
// Appending is done by the single writer of the tally store: Stage() adds
// entries to the writer's batch, and after the batch is written Publish()
// makes them the head (or Discard() forgets them when the write failed).
// Reads (List) are thread-safe. The Database must outlive the Journal.
#ifndef C1TALLY_STORAGE_JOURNAL_H_
#define C1TALLY_STORAGE_JOURNAL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "c1tally/v1/resources.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/region_tree.h"

namespace c1tally {

class Journal {
 public:
  explicit Journal(Database* db) : db_(db) {}

  // Reads the last entry to find the head. Call once before Stage().
  absl::Status Load();

  // Numbers and chains `entry` after the staged head and adds it (and its
  // per-TPS index key) to `batch`.
  void Stage(v1::JournalEntry* entry, rocksdb::WriteBatch* batch);
  void Publish() { head_ = staged_; }
  void Discard() { staged_ = head_; }

  // Sequence number of the last published entry (0 when empty).
  uint64_t head_sequence() const { return head_.sequence; }
  const std::string& head_hash() const { return head_.hash; }

  // Entries in sequence order after `page_token`; only those of `tps_code`
  // when it is not empty.
  absl::StatusOr<Page<v1::JournalEntry>> List(
      const std::string& tps_code, int page_size,
      const std::string& page_token) const;

  // SHA-256 of an entry's hash input.
  static std::string HashOf(const v1::JournalEntry& entry);

  // The previous_hash of the first entry.
  static std::string GenesisHash() { return std::string(32, '\0'); }

 private:
  struct Head {
    uint64_t sequence = 0;
    std::string hash = GenesisHash();
  };

  Database* db_;
  Head head_;
  Head staged_;
};

// Parses a journal value; DATA_LOSS when it is not a JournalEntry.
absl::StatusOr<v1::JournalEntry> ParseJournalEntry(const rocksdb::Slice& key,
                                                   const rocksdb::Slice& value);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_JOURNAL_H_
