// ForwardReader: point lookups of keys taken in increasing order, in one
// column family, by moving a single iterator forward.
//
// The region importer checks every record it places against the stored
// one; its records come sorted by code and are mostly dense, so stepping
// an iterator a few keys costs less than a Get per key. Asking for a key
// below the last one asked is a contract violation: the reader does not
// go back and may answer "absent" for a key that exists.
//
// The reader sees the family as it was when the reader was made (the
// iterator's implicit snapshot): writes made afterwards, including the
// caller's own, are not seen. A ForwardReader is not thread-safe.
#ifndef C1TALLY_STORAGE_FORWARD_READER_H_
#define C1TALLY_STORAGE_FORWARD_READER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rocksdb/iterator.h"
#include "storage/database.h"

namespace c1tally {

class ForwardReader {
 public:
  // `db` must outlive the reader.
  ForwardReader(Database* db, Family family);

  ForwardReader(const ForwardReader&) = delete;
  ForwardReader& operator=(const ForwardReader&) = delete;

  // Sets `value` and returns true if `key` exists; returns false (leaving
  // `value` alone) if not. Keys must be passed in increasing order. Fails
  // only on a read error.
  absl::StatusOr<bool> Find(const std::string& key, std::string* value);

 private:
  // True while the iterator stands on a key below `key`.
  bool Before(const std::string& key) const;

  std::unique_ptr<rocksdb::Iterator> it_;
  bool positioned_ = false;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_FORWARD_READER_H_
