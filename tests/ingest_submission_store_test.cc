// SubmissionStore on a real database with the fixture tree and a fake
// clock: dedup, flags across TPS, quota windows, names and page tokens.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/file_blob_store.h"
#include "storage/keys.h"
#include "storage/submission_store.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class SubmissionStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    blobs_ = *FileBlobStore::Open(dir_.Sub("photos"));
    store_ = std::make_unique<SubmissionStore>(db_.get(), blobs_.get(),
                                               [this] { return now_; });
  }

  NewPhoto Photo(const std::string& tps, const std::string& bytes,
                 const std::string& uploader = "saksi") {
    NewPhoto photo;
    photo.tps_code = tps;
    photo.uploader = uploader;
    photo.bytes = bytes;
    photo.image_format = "jpeg";
    return photo;
  }

  absl::StatusOr<SubmissionStore::Created> Create(
      const std::string& tps, const std::string& bytes,
      const UploadQuota& quota = {}) {
    return store_->Create(Photo(tps, bytes), quota);
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<FileBlobStore> blobs_;
  absl::Time now_ = absl::FromUnixSeconds(1707868800);  // 2024-02-14
  std::unique_ptr<SubmissionStore> store_;
};

TEST_F(SubmissionStoreTest, CreateThenRepeat) {
  absl::StatusOr<SubmissionStore::Created> first =
      Create("3101011001001", "photo-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->submission.state(), v1::Submission::STATE_RECEIVED);
  absl::StatusOr<SubmissionStore::Created> again =
      Create("3101011001001", "photo-1");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->submission.name(), first->submission.name());
  absl::StatusOr<v1::Submission> got = store_->Get(first->submission.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->sha256(), first->submission.sha256());
  EXPECT_EQ(*store_->ReadPhoto(*got), "photo-1");
}

TEST_F(SubmissionStoreTest, AnEditLeavingReceivedTakesThePhotoOutOfTheQueue) {
  const std::string first =
      Create("3101011001001", "photo-1")->submission.name();
  now_ += absl::Seconds(1);
  const std::string second =
      Create("3101011001002", "photo-2")->submission.name();
  absl::StatusOr<SubmissionStore::Queued> head = store_->NextReceived("");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->name, first);
  {
    absl::StatusOr<std::unique_ptr<SubmissionStore::Edit>> edit =
        store_->BeginEdit(first);
    ASSERT_TRUE(edit.ok()) << edit.status();
    (*edit)->submission().set_state(v1::Submission::STATE_READ);
    rocksdb::WriteBatch batch;
    (*edit)->Stage(&batch);
    ASSERT_TRUE(db_->Write(&batch).ok());
  }
  EXPECT_EQ(store_->Get(first)->state(), v1::Submission::STATE_READ);
  head = store_->NextReceived("");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->name, second);
  EXPECT_TRUE(
      absl::IsNotFound(store_->NextReceived(head->queue_key + '\0').status()));
  // Edited without a write: nothing changes. And the lock went with the
  // edit, so an upload goes through.
  {
    absl::StatusOr<std::unique_ptr<SubmissionStore::Edit>> edit =
        store_->BeginEdit(second);
    ASSERT_TRUE(edit.ok());
    (*edit)->submission().set_state(v1::Submission::STATE_FAILED);
  }
  EXPECT_EQ(store_->Get(second)->state(), v1::Submission::STATE_RECEIVED);
  EXPECT_TRUE(Create("3101011001003", "photo-3").ok());
  EXPECT_TRUE(absl::IsNotFound(store_
                                   ->BeginEdit(SubmissionStore::NameOf(
                                       "3101011001001", std::string(64, 'a')))
                                   .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(store_->BeginEdit("nope").status()));
}

TEST_F(SubmissionStoreTest, ForEachVisitsEveryPhotoAndStopsAtAnError) {
  ASSERT_TRUE(Create("3101011001002", "photo-b").ok());
  ASSERT_TRUE(Create("3101011001001", "photo-a").ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ForEach([&](const v1::Submission& photo) {
                    seen.push_back(photo.tps_code());
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(seen, ElementsAre("3101011001001", "3101011001002"));
  int visited = 0;
  const absl::Status stopped = store_->ForEach([&](const v1::Submission&) {
    ++visited;
    return absl::CancelledError("enough");
  });
  EXPECT_TRUE(absl::IsCancelled(stopped));
  EXPECT_EQ(visited, 1);
}

TEST_F(SubmissionStoreTest, ThreeTpsOfOnePhotoAreAllFlagged) {
  ASSERT_TRUE(Create("3101011001001", "same").ok());
  ASSERT_TRUE(Create("3101011001002", "same").ok());
  absl::StatusOr<SubmissionStore::Created> third =
      Create("1101012001001", "same");
  ASSERT_TRUE(third.ok());
  EXPECT_THAT(third->submission.remarks(), SizeIs(2));
  for (const char* tps : {"3101011001001", "3101011001002", "1101012001001"}) {
    absl::StatusOr<Page<v1::Submission>> page = store_->ListByTps(tps, 0, "");
    ASSERT_TRUE(page.ok());
    ASSERT_THAT(page->items, SizeIs(1)) << tps;
    EXPECT_THAT(page->items[0].flags(), ElementsAre("duplicate_other_tps"))
        << tps;
    EXPECT_THAT(page->items[0].remarks(), SizeIs(2)) << tps;
  }
}

TEST_F(SubmissionStoreTest, PhotoQuotaIsPerHourWindow) {
  const UploadQuota quota{2, 0};
  ASSERT_TRUE(Create("3101011001001", "a", quota).ok());
  now_ += absl::Minutes(30);
  ASSERT_TRUE(Create("3101011001001", "b", quota).ok());
  now_ += absl::Minutes(29);
  EXPECT_TRUE(
      absl::IsResourceExhausted(Create("3101011001001", "c", quota).status()));
  // An hour after the first, one slot is free again.
  now_ += absl::Minutes(2);
  EXPECT_TRUE(Create("3101011001001", "c", quota).ok());
  EXPECT_TRUE(
      absl::IsResourceExhausted(Create("3101011001001", "d", quota).status()));
}

TEST_F(SubmissionStoreTest, ByteQuotaIsPerDayWindow) {
  const UploadQuota quota{0, 10};
  ASSERT_TRUE(Create("3101011001001", "123456", quota).ok());
  absl::Status over = Create("3101011001001", "abcdef", quota).status();
  EXPECT_TRUE(absl::IsResourceExhausted(over));
  EXPECT_THAT(over.message(), HasSubstr("6 used"));
  now_ += absl::Hours(24) + absl::Seconds(1);
  EXPECT_TRUE(Create("3101011001001", "abcdef", quota).ok());
}

TEST_F(SubmissionStoreTest, RefusedUploadsStoreNoBytes) {
  EXPECT_TRUE(absl::IsNotFound(Create("3101011001099", "x").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(Create("31", "x").status()));
  ASSERT_TRUE(Create("3101011001001", "a", {1, 0}).ok());
  EXPECT_TRUE(
      absl::IsResourceExhausted(Create("3101011001001", "b", {1, 0}).status()));
  EXPECT_EQ(testing::CountFiles(dir_.Sub("photos")), 1);
}

TEST_F(SubmissionStoreTest, ReceivedQueueIsInUploadOrder) {
  for (const char* bytes : {"z", "y", "x"}) {
    ASSERT_TRUE(Create("3101011001001", bytes).ok());
    now_ += absl::Seconds(1);
  }
  std::vector<std::string> names;
  auto it = db_->NewIterator(Family::kReceived);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    absl::StatusOr<v1::Submission> submission =
        store_->Get(SubmissionStore::NameOf(
            "3101011001001", it->key().ToString().substr(8 + 14)));
    ASSERT_TRUE(submission.ok()) << submission.status();
    names.push_back(*store_->ReadPhoto(*submission));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"z", "y", "x"}));
}

TEST_F(SubmissionStoreTest, NamesAndPageTokensAreChecked) {
  EXPECT_TRUE(absl::IsInvalidArgument(store_->Get("submissions/x").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(store_->Get("3101011001001").status()));
  EXPECT_TRUE(absl::IsNotFound(
      store_
          ->Get(SubmissionStore::NameOf("3101011001001", std::string(64, 'a')))
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      store_->ListByTps("3101011001001", 10, "not hex").status()));
  // A token of another listing.
  EXPECT_TRUE(absl::IsInvalidArgument(
      store_->ListByTps("3101011001001", 10, "3331").status()));
}

TEST_F(SubmissionStoreTest, ListByTpsPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Create("3101011001001", "photo-" + std::to_string(i)).ok());
  }
  ASSERT_TRUE(Create("3101011001002", "elsewhere").ok());
  int seen = 0;
  std::string token;
  do {
    absl::StatusOr<Page<v1::Submission>> page =
        store_->ListByTps("3101011001001", 2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Submission& submission : page->items) {
      EXPECT_EQ(submission.tps_code(), "3101011001001");
      ++seen;
    }
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_EQ(seen, 5);
}

}  // namespace
}  // namespace c1tally
