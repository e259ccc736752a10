#include "storage/rocksdb_blob_store.h"

#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::Status RocksDbBlobStore::Put(absl::string_view key,
                                   absl::string_view bytes) {
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(Family::kBlobs), rocksdb::Slice(key.data(), key.size()),
            rocksdb::Slice(bytes.data(), bytes.size()));
  return db_->Write(&batch);
}

absl::StatusOr<std::string> RocksDbBlobStore::Get(absl::string_view key) const {
  std::string value;
  RETURN_IF_ERROR(
      db_->Get(Family::kBlobs, key, &value, absl::StrCat("blob ", key)));
  return value;
}

}  // namespace c1tally
