// ForwardReader on its own, against a real RocksDB directory: present and
// absent keys in increasing order, dense and sparse steps, the end of the
// family, and the view it keeps from when it was made.
#include "storage/forward_reader.h"

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

class ForwardReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    ASSERT_NE(db_, nullptr);
    // Keys k000, k002, ..., k198: every other number.
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 200; i += 2) {
      ASSERT_TRUE(batch
                      .Put(db_->handle(Family::kRegions), Key(i),
                           absl::StrCat("value ", i))
                      .ok());
    }
    ASSERT_TRUE(batch.Put(db_->handle(Family::kTps), "k001", "other").ok());
    ASSERT_TRUE(db_->Write(&batch).ok());
  }

  static std::string Key(int i) {
    std::string digits = absl::StrCat(i);
    return "k" + std::string(3 - digits.size(), '0') + digits;
  }

  // Find() that fails the test on a read error. Returns the value, which
  // is "untouched" unless Find() set it.
  static std::string Found(ForwardReader* reader, const std::string& key,
                           bool* found) {
    std::string value = "untouched";
    absl::StatusOr<bool> result = reader->Find(key, &value);
    EXPECT_TRUE(result.ok()) << result.status();
    *found = result.ok() && *result;
    return value;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(ForwardReaderTest, FindsEveryKeyInOrder) {
  ForwardReader reader(db_.get(), Family::kRegions);
  for (int i = 0; i < 200; ++i) {
    bool found = false;
    const std::string value = Found(&reader, Key(i), &found);
    if (i % 2 == 0) {
      EXPECT_TRUE(found) << Key(i);
      EXPECT_EQ(value, absl::StrCat("value ", i));
    } else {
      EXPECT_FALSE(found) << Key(i);
      // An absent key leaves the value alone.
      EXPECT_EQ(value, "untouched");
    }
  }
}

TEST_F(ForwardReaderTest, JumpsFarAheadAndPastTheEnd) {
  ForwardReader reader(db_.get(), Family::kRegions);
  bool found = false;
  EXPECT_EQ(Found(&reader, "a", &found), "untouched");
  EXPECT_FALSE(found);
  // Further than the few steps it walks before it seeks.
  EXPECT_EQ(Found(&reader, Key(150), &found), "value 150");
  EXPECT_TRUE(found);
  EXPECT_EQ(Found(&reader, Key(152), &found), "value 152");
  EXPECT_TRUE(found);
  EXPECT_EQ(Found(&reader, Key(198), &found), "value 198");
  EXPECT_TRUE(found);
  Found(&reader, "k999", &found);
  EXPECT_FALSE(found);
  Found(&reader, "z", &found);
  EXPECT_FALSE(found);
}

TEST_F(ForwardReaderTest, ReadsOnlyItsFamily) {
  ForwardReader regions(db_.get(), Family::kRegions);
  ForwardReader tps(db_.get(), Family::kTps);
  bool found = false;
  Found(&regions, "k001", &found);
  EXPECT_FALSE(found);
  EXPECT_EQ(Found(&tps, "k001", &found), "other");
  EXPECT_TRUE(found);
  Found(&tps, "k002", &found);
  EXPECT_FALSE(found);
}

TEST_F(ForwardReaderTest, SeesTheFamilyAsItWasWhenMade) {
  ForwardReader reader(db_.get(), Family::kRegions);
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put(db_->handle(Family::kRegions), Key(11), "new").ok());
  ASSERT_TRUE(batch.Delete(db_->handle(Family::kRegions), Key(12)).ok());
  ASSERT_TRUE(db_->Write(&batch).ok());

  bool found = false;
  Found(&reader, Key(11), &found);
  EXPECT_FALSE(found);
  EXPECT_EQ(Found(&reader, Key(12), &found), "value 12");
  EXPECT_TRUE(found);

  ForwardReader later(db_.get(), Family::kRegions);
  EXPECT_EQ(Found(&later, Key(11), &found), "new");
  EXPECT_TRUE(found);
  Found(&later, Key(12), &found);
  EXPECT_FALSE(found);
}

}  // namespace
}  // namespace c1tally
