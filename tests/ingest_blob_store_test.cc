// Both photo stores against real directories: round trip, idempotent puts,
// refused keys, and what survives reopening.
#include <filesystem>

#include "gtest/gtest.h"
#include "storage/file_blob_store.h"
#include "storage/rocksdb_blob_store.h"
#include "storage/sha256.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

std::string KeyOf(const std::string& bytes) { return ToHex(Sha256(bytes)); }

void ExpectRoundTrip(BlobStore* store) {
  const std::string photo(300000, '\x5a');
  const std::string key = KeyOf(photo);
  ASSERT_TRUE(store->Put(key, photo).ok());
  // A second put of the same content is a no-op.
  ASSERT_TRUE(store->Put(key, photo).ok());
  absl::StatusOr<std::string> back = store->Get(key);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(*back == photo);
  EXPECT_TRUE(absl::IsNotFound(store->Get(KeyOf("other")).status()));
}

TEST(FileBlobStoreTest, RoundTripAndLayout) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<FileBlobStore>> store =
      FileBlobStore::Open(dir.Sub("photos"));
  ASSERT_TRUE(store.ok());
  ExpectRoundTrip(store->get());
  // One file, under its hash, and no temporary left behind.
  const std::string key = KeyOf(std::string(300000, '\x5a'));
  EXPECT_TRUE(std::filesystem::exists(
      dir.Sub("photos/" + key.substr(0, 2) + "/" + key)));
  EXPECT_EQ(testing::CountFiles(dir.Sub("photos")), 1);
}

TEST(FileBlobStoreTest, KeysThatAreNotHashesAreRefused) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<FileBlobStore>> store =
      FileBlobStore::Open(dir.Sub("photos"));
  ASSERT_TRUE(store.ok());
  for (const std::string& key : {std::string("../../etc/passwd"),
                                 std::string("abc"), std::string(64, 'g')}) {
    EXPECT_TRUE(absl::IsInvalidArgument((*store)->Put(key, "x"))) << key;
    EXPECT_TRUE(absl::IsInvalidArgument((*store)->Get(key).status())) << key;
  }
  EXPECT_EQ(testing::CountFiles(dir.Sub("photos")), 0);
}

TEST(RocksDbBlobStoreTest, RoundTripAndReopen) {
  testing::TempDir dir;
  const std::string photo(300000, '\x5a');
  {
    std::unique_ptr<Database> db = testing::OpenDatabase(dir.Sub("db"));
    RocksDbBlobStore store(db.get());
    ExpectRoundTrip(&store);
  }
  std::unique_ptr<Database> db = testing::OpenDatabase(dir.Sub("db"));
  RocksDbBlobStore store(db.get());
  absl::StatusOr<std::string> back = store.Get(KeyOf(photo));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(*back == photo);
}

}  // namespace
}  // namespace c1tally
