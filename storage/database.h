// Database: the one RocksDB instance of a c1tally data directory, with its
// column families.
//
// Open() refuses a directory that holds something other than a c1tally
// database, or whose database is corrupt, with a message that says so; it
// never rebuilds or truncates anything. A Database is safe to use from many
// threads (RocksDB is); callers that read-modify-write must serialize
// themselves.
#ifndef C1TALLY_STORAGE_DATABASE_H_
#define C1TALLY_STORAGE_DATABASE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace c1tally {

// Column families. Key layouts are described in storage/keys.h.
enum class Family {
  kMeta = 0,
  kRegions,
  kTps,
  kChildren,
  kResults,
  kAggregates,
  kJournal,
  kJournalByTps,
  kSirekap,
  kSirekapLatest,
  kUsers,
  kTokens,
  kSubmissions,
  kSubmissionsBySha,
  kSubmissionsByUploader,
  kReceived,
  kBlobs,
  kOcrJobs,
  kReviewTasks,
  kReviewOpen,
  kVolunteerStats,
  kReference,
  kReferenceHistory,
  kCount,  // not a family
};

class Database {
 public:
  struct Options {
    // Create the database when `dir` does not exist or is empty.
    bool create_if_missing = true;
    // Open without writing anything (for verification of a live or stopped
    // database); writes then fail.
    bool read_only = false;
    // fsync the WAL on every Write(), so that an acknowledged write survives
    // a power loss, not just a process crash.
    bool sync_writes = true;
    // Size of the shared block cache.
    size_t block_cache_bytes = 256 << 20;
  };

  static absl::StatusOr<std::unique_ptr<Database>> Open(const std::string& dir,
                                                        const Options& options);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  rocksdb::DB* db() { return db_.get(); }
  rocksdb::ColumnFamilyHandle* handle(Family family) {
    return handles_[static_cast<int>(family)];
  }

  // Applies `batch` atomically, durably as Options::sync_writes says.
  absl::Status Write(rocksdb::WriteBatch* batch);

  // Reads one key. NOT_FOUND (with `what` in the message) when absent.
  absl::Status Get(Family family, absl::string_view key, std::string* value,
                   absl::string_view what,
                   const rocksdb::Snapshot* snapshot = nullptr);

  // A new iterator over `family`, reading `snapshot` when given. The
  // Database must outlive it.
  std::unique_ptr<rocksdb::Iterator> NewIterator(
      Family family, const rocksdb::Snapshot* snapshot = nullptr);

  const std::string& dir() const { return dir_; }

 private:
  Database() = default;

  std::string dir_;
  Options options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  // Families created by a newer version; kept open so RocksDB accepts them.
  std::vector<rocksdb::ColumnFamilyHandle*> foreign_handles_;
};

// A view of a RocksDB slice (Debian's Abseil has its own string_view).
inline absl::string_view View(const rocksdb::Slice& slice) {
  return absl::string_view(slice.data(), slice.size());
}

// Converts a RocksDB status to the canonical code that fits it.
absl::Status FromRocksStatus(const rocksdb::Status& status,
                             absl::string_view context);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_DATABASE_H_
