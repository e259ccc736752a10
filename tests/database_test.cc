#include "storage/database.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

// Every file below `dir` with its content, to prove nothing was touched.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[entry.path().string()] = testing::ReadFile(entry.path().string());
    }
  }
  return files;
}

TEST(DatabaseTest, CreatesAndReopens) {
  testing::TempDir dir;
  {
    auto db = testing::OpenDatabase(dir.Sub("db"));
    ASSERT_NE(db, nullptr);
    rocksdb::WriteBatch batch;
    batch.Put(db->handle(Family::kRegions), "11", "x");
    ASSERT_TRUE(db->Write(&batch).ok());
  }
  auto db = testing::OpenDatabase(dir.Sub("db"));
  ASSERT_NE(db, nullptr);
  std::string value;
  ASSERT_TRUE(db->Get(Family::kRegions, "11", &value, "region").ok());
  EXPECT_EQ(value, "x");
  EXPECT_TRUE(
      absl::IsNotFound(db->Get(Family::kRegions, "12", &value, "region")));
}

TEST(DatabaseTest, RefusesADirectoryOfOtherFiles) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.Sub("db"));
  testing::WriteFile(dir.Sub("db/notes.txt"), "not a database");
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(dir.Sub("db"), {});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(db.status().message(), HasSubstr("holds no c1tally database"));
  EXPECT_EQ(testing::ReadFile(dir.Sub("db/notes.txt")), "not a database");
}

TEST(DatabaseTest, RefusesAForeignRocksDb) {
  testing::TempDir dir;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.Sub("db"), &raw).ok());
    delete raw;
  }
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(dir.Sub("db"), {});
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("not a c1tally one"));
}

TEST(DatabaseTest, RefusesACorruptDatabaseAndLeavesItAlone) {
  testing::TempDir dir;
  {
    auto db = testing::OpenDatabase(dir.Sub("db"));
    ASSERT_NE(db, nullptr);
  }
  // Damage the manifest that CURRENT points at.
  const std::string current = testing::ReadFile(dir.Sub("db/CURRENT"));
  const std::string manifest =
      dir.Sub("db/" + current.substr(0, current.find('\n')));
  std::string bytes = testing::ReadFile(manifest);
  ASSERT_GT(bytes.size(), 40u);
  for (size_t i = 10; i < 40; ++i) bytes[i] = static_cast<char>(~bytes[i]);
  testing::WriteFile(manifest, bytes);
  const auto before = Snapshot(dir.Sub("db"));

  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(dir.Sub("db"), {});
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("refusing to start"));
  EXPECT_EQ(Snapshot(dir.Sub("db")), before);
}

TEST(DatabaseTest, ReadOnlyNeedsAnExistingDatabase) {
  testing::TempDir dir;
  Database::Options options;
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(dir.Sub("none"), options);
  ASSERT_FALSE(db.ok());
  EXPECT_TRUE(absl::IsNotFound(db.status()));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("none")));
}

}  // namespace
}  // namespace c1tally
