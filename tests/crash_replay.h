// Crash replay: a closed database rewritten as a crash (a power loss) would
// have left it, by replaying its write-ahead log with some writes left
// out. Every acknowledged write is one record of the log (the stores
// fsync each), so keeping the first k records is the database as it stood
// when the machine died right after its k-th write; leaving out the
// records of one kind (say, every settling) is the database of a process
// that died before each of them.
//
// RocksDB's own WalFilter does the replay; opening once with it makes the
// result permanent (recovery flushes what it replayed and drops the log).
// Header-only, for the pipeline suites.
#ifndef C1TALLY_TESTS_CRASH_REPLAY_H_
#define C1TALLY_TESTS_CRASH_REPLAY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/wal_filter.h"
#include "rocksdb/write_batch.h"

namespace c1tally::testing {

// Says for each logged write, numbered from 0 in log order, whether it
// happened.
using KeepWrite =
    std::function<bool(int index, const rocksdb::WriteBatch& write)>;

class KeepWritesFilter : public rocksdb::WalFilter {
 public:
  explicit KeepWritesFilter(KeepWrite keep) : keep_(std::move(keep)) {}

  WalProcessingOption LogRecordFound(unsigned long long /*log_number*/,
                                     const std::string& /*log_file_name*/,
                                     const rocksdb::WriteBatch& batch,
                                     rocksdb::WriteBatch* /*new_batch*/,
                                     bool* batch_changed) override {
    *batch_changed = false;
    return keep_(seen_++, batch) ? WalProcessingOption::kContinueProcessing
                                 : WalProcessingOption::kIgnoreCurrentRecord;
  }
  const char* Name() const override { return "KeepWritesFilter"; }

  // Writes seen in the log.
  int seen() const { return seen_; }

 private:
  KeepWrite keep_;
  int seen_ = 0;
};

// Opens the closed database in `dir` once, replaying its log through
// `keep`, and closes it. Returns the number of writes in the log, or -1
// (with a test failure) when RocksDB refuses.
inline int ReplayLog(const std::string& dir, KeepWrite keep) {
  KeepWritesFilter filter(std::move(keep));
  rocksdb::DBOptions options;
  options.wal_filter = &filter;
  std::vector<std::string> names;
  rocksdb::Status status =
      rocksdb::DB::ListColumnFamilies(options, dir, &names);
  EXPECT_TRUE(status.ok()) << status.ToString();
  if (!status.ok()) return -1;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  status = rocksdb::DB::Open(options, dir, families, &handles, &db);
  EXPECT_TRUE(status.ok()) << status.ToString();
  if (!status.ok()) return -1;
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    db->DestroyColumnFamilyHandle(handle);
  }
  EXPECT_TRUE(db->Close().ok());
  delete db;
  return filter.seen();
}

// How many writes the log of the closed database in `dir` holds. Keeps
// them all, but folds the log into the tables (a later replay sees no
// writes): count on a copy when the log is still to be cut.
inline int CountLoggedWrites(const std::string& dir) {
  return ReplayLog(dir, [](int, const rocksdb::WriteBatch&) { return true; });
}

// The values `write` puts into the column family with id `family` (see
// rocksdb::ColumnFamilyHandle::GetID).
inline std::vector<std::string> PutsInto(const rocksdb::WriteBatch& write,
                                         uint32_t family) {
  // Every kind of operation must be accepted, or Iterate() stops at the
  // first one of another family.
  class Puts : public rocksdb::WriteBatch::Handler {
   public:
    explicit Puts(uint32_t family) : family_(family) {}
    rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& /*key*/,
                          const rocksdb::Slice& value) override {
      if (id == family_) values.push_back(value.ToString());
      return rocksdb::Status::OK();
    }
    rocksdb::Status DeleteCF(uint32_t, const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    rocksdb::Status SingleDeleteCF(uint32_t, const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    rocksdb::Status DeleteRangeCF(uint32_t, const rocksdb::Slice&,
                                  const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    rocksdb::Status MergeCF(uint32_t, const rocksdb::Slice&,
                            const rocksdb::Slice&) override {
      return rocksdb::Status::OK();
    }
    void LogData(const rocksdb::Slice&) override {}

    std::vector<std::string> values;

   private:
    uint32_t family_;
  } puts(family);
  EXPECT_TRUE(write.Iterate(&puts).ok());
  return puts.values;
}

}  // namespace c1tally::testing

#endif  // C1TALLY_TESTS_CRASH_REPLAY_H_
