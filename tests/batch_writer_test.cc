// BatchWriter on its own, against a real RocksDB directory: records reach
// the database whole, a batch at a time; nothing is written without
// Flush(); a failed write leaves nothing of its batch behind.
#include "storage/batch_writer.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/iterator.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

// Keys in `family`.
int KeyCount(Database* db, Family family) {
  int count = 0;
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(family);
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return count;
}

bool Has(Database* db, Family family, const std::string& key) {
  std::string value;
  return db->Get(family, key, &value, "key").ok();
}

// One record of two puts, as the region importer makes them: the region
// and its kChildren entry.
absl::Status PutRecord(BatchWriter* writer, int i) {
  const std::string code = absl::StrCat(10 + i);
  if (absl::Status put = writer->Put(Family::kRegions, code, "region");
      !put.ok()) {
    return put;
  }
  if (absl::Status put = writer->Put(Family::kChildren, "/" + code, "");
      !put.ok()) {
    return put;
  }
  return writer->EndRecord();
}

class BatchWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    ASSERT_NE(db_, nullptr);
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(BatchWriterTest, WritesWholeRecordsABatchAtATime) {
  BatchWriter writer(db_.get(), /*records_per_batch=*/2);
  ASSERT_TRUE(PutRecord(&writer, 0).ok());
  EXPECT_EQ(KeyCount(db_.get(), Family::kRegions), 0);
  ASSERT_TRUE(PutRecord(&writer, 1).ok());
  // The batch is full: both records, each with both of its puts.
  EXPECT_EQ(KeyCount(db_.get(), Family::kRegions), 2);
  EXPECT_EQ(KeyCount(db_.get(), Family::kChildren), 2);
  EXPECT_TRUE(Has(db_.get(), Family::kChildren, "/11"));

  ASSERT_TRUE(PutRecord(&writer, 2).ok());
  EXPECT_FALSE(Has(db_.get(), Family::kRegions, "12"));
  EXPECT_FALSE(Has(db_.get(), Family::kChildren, "/12"));
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_TRUE(Has(db_.get(), Family::kRegions, "12"));
  EXPECT_TRUE(Has(db_.get(), Family::kChildren, "/12"));
  // Nothing is left to write twice.
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(KeyCount(db_.get(), Family::kRegions), 3);
}

TEST_F(BatchWriterTest, DefaultBatchHoldsTenThousandRecords) {
  BatchWriter writer(db_.get());
  for (size_t i = 0; i + 1 < BatchWriter::kDefaultRecordsPerBatch; ++i) {
    ASSERT_TRUE(writer.Put(Family::kTps, absl::StrCat(i), "").ok());
    ASSERT_TRUE(writer.EndRecord().ok());
  }
  EXPECT_EQ(KeyCount(db_.get(), Family::kTps), 0);
  ASSERT_TRUE(writer.Put(Family::kTps, "last", "").ok());
  ASSERT_TRUE(writer.EndRecord().ok());
  EXPECT_EQ(KeyCount(db_.get(), Family::kTps),
            static_cast<int>(BatchWriter::kDefaultRecordsPerBatch));
}

TEST_F(BatchWriterTest, NothingIsWrittenWithoutFlush) {
  {
    BatchWriter writer(db_.get(), /*records_per_batch=*/10);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(PutRecord(&writer, i).ok());
  }
  EXPECT_EQ(KeyCount(db_.get(), Family::kRegions), 0);
  EXPECT_EQ(KeyCount(db_.get(), Family::kChildren), 0);
}

TEST_F(BatchWriterTest, FailedWriteLeavesNothingOfItsBatch) {
  // A read-only database refuses every write.
  db_.reset();
  Database::Options read_only;
  read_only.read_only = true;
  absl::StatusOr<std::unique_ptr<Database>> opened =
      Database::Open(dir_.Sub("db"), read_only);
  ASSERT_TRUE(opened.ok()) << opened.status();
  {
    BatchWriter writer(opened->get(), /*records_per_batch=*/2);
    ASSERT_TRUE(PutRecord(&writer, 0).ok());
    EXPECT_FALSE(PutRecord(&writer, 1).ok());
    // The failed batch was dropped, not kept for the next write.
    EXPECT_TRUE(writer.Flush().ok());
    ASSERT_TRUE(PutRecord(&writer, 2).ok());
    EXPECT_FALSE(writer.Flush().ok());
  }
  opened->reset();

  db_ = testing::OpenDatabase(dir_.Sub("db"));
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(KeyCount(db_.get(), Family::kRegions), 0);
  EXPECT_EQ(KeyCount(db_.get(), Family::kChildren), 0);
  // The same records write fine once the database takes writes.
  BatchWriter writer(db_.get(), /*records_per_batch=*/2);
  ASSERT_TRUE(PutRecord(&writer, 0).ok());
  ASSERT_TRUE(PutRecord(&writer, 1).ok());
  EXPECT_EQ(KeyCount(db_.get(), Family::kRegions), 2);
}

}  // namespace
}  // namespace c1tally
