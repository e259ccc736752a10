// BlobStore: where uploaded photos live, by the hex SHA-256 of their bytes.
//
// An interface because photos outgrow one disk: the default keeps them as
// fsynced files in a directory (FileBlobStore); RocksDB blob files
// (RocksDbBlobStore) were measured against it and remain selectable; an
// S3-compatible object store can take their place in production without
// touching ingest.
//
// Blobs are content-addressed, so a Put of a key already stored is a no-op
// and a crash between Put and the write that references the blob leaves at
// most an unreferenced blob, never a reference without its blob.
#ifndef C1TALLY_STORAGE_BLOB_STORE_H_
#define C1TALLY_STORAGE_BLOB_STORE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c1tally {

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes` under `key` (64 hex digits) and returns once they are
  // durable (fsynced). Safe to call from many threads.
  virtual absl::Status Put(absl::string_view key, absl::string_view bytes) = 0;

  // The bytes stored under `key`; NOT_FOUND when there are none.
  virtual absl::StatusOr<std::string> Get(absl::string_view key) const = 0;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_BLOB_STORE_H_
