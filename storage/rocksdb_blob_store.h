// RocksDbBlobStore: photos in the kBlobs family, whose values RocksDB keeps
// in blob files (enable_blob_files, storage/database.cc), so compaction
// moves only small references: one directory to back up, and the same
// durability as every other write (WAL fsynced when the Database says so).
// Not the default: every photo is written twice (WAL, then blob file) and
// concurrent uploads queue behind one WAL (c1ctl bench ingest). The
// Database must outlive the store.
#ifndef C1TALLY_STORAGE_ROCKSDB_BLOB_STORE_H_
#define C1TALLY_STORAGE_ROCKSDB_BLOB_STORE_H_

#include "storage/blob_store.h"
#include "storage/database.h"

namespace c1tally {

class RocksDbBlobStore : public BlobStore {
 public:
  explicit RocksDbBlobStore(Database* db) : db_(db) {}

  absl::Status Put(absl::string_view key, absl::string_view bytes) override;
  absl::StatusOr<std::string> Get(absl::string_view key) const override;

 private:
  Database* db_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_ROCKSDB_BLOB_STORE_H_
