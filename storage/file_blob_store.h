// FileBlobStore: one file per photo under a directory, named by its hash
// (DIR/ab/abcdef...), written to a temporary file, fsynced, renamed into
// place and the directory fsynced, so a file that exists under its name is
// whole. The default photo store of c1tallyd: each photo is written once,
// and concurrent uploads fsync in parallel (c1ctl bench ingest); it is also
// the shape of an object-store backend. Safe to use from many threads.
#ifndef C1TALLY_STORAGE_FILE_BLOB_STORE_H_
#define C1TALLY_STORAGE_FILE_BLOB_STORE_H_

#include <string>

#include "storage/blob_store.h"

namespace c1tally {

class FileBlobStore : public BlobStore {
 public:
  // `dir` is created when missing.
  static absl::StatusOr<std::unique_ptr<FileBlobStore>> Open(
      const std::string& dir);

  absl::Status Put(absl::string_view key, absl::string_view bytes) override;
  absl::StatusOr<std::string> Get(absl::string_view key) const override;

 private:
  explicit FileBlobStore(std::string dir) : dir_(std::move(dir)) {}
  // DIR/ab/abcdef...; INVALID_ARGUMENT for a key that is not 64 hex digits.
  absl::StatusOr<std::string> PathOf(absl::string_view key) const;

  std::string dir_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_FILE_BLOB_STORE_H_
