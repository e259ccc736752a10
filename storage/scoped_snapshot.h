// ScopedSnapshot: a RocksDB snapshot held for the length of one RPC or
// command, so that everything it reads is consistent.
#ifndef C1TALLY_STORAGE_SCOPED_SNAPSHOT_H_
#define C1TALLY_STORAGE_SCOPED_SNAPSHOT_H_

#include "storage/database.h"

namespace c1tally {

// Takes a snapshot of `db` (which must outlive it) and releases it when
// destroyed.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(Database* db)
      : db_(db), snapshot_(db->db()->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->db()->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;

  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  Database* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SCOPED_SNAPSHOT_H_
