// OcrQueue on a real database with the fixture tree and a fake clock:
// order, leases running out, exactly one reading per job, bounded retries,
// and a restart in the middle.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/file_blob_store.h"
#include "storage/ocr_queue.h"
#include "storage/submission_store.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

class OcrQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open();
    testing::ImportFixtureTree(db_.get(), dir_);
  }

  // (Re)opens everything over the same directory, as a restart does.
  void Open(OcrQueue::OnRead on_read = nullptr) {
    queue_.reset();
    submissions_.reset();
    blobs_.reset();
    db_.reset();
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    blobs_ = *FileBlobStore::Open(dir_.Sub("photos"));
    submissions_ = std::make_unique<SubmissionStore>(db_.get(), blobs_.get(),
                                                     [this] { return now_; });
    OcrQueue::Options options;
    options.max_attempts = 3;
    options.clock = [this] { return now_; };
    queue_ = std::make_unique<OcrQueue>(db_.get(), submissions_.get(), options,
                                        std::move(on_read));
  }

  std::string Upload(const std::string& tps, const std::string& bytes) {
    NewPhoto photo;
    photo.tps_code = tps;
    photo.uploader = "saksi";
    photo.bytes = bytes;
    photo.image_format = "jpeg";
    absl::StatusOr<SubmissionStore::Created> created =
        submissions_->Create(photo, {});
    EXPECT_TRUE(created.ok()) << created.status();
    now_ += absl::Seconds(1);
    return created.ok() ? created->submission.name() : "";
  }

  v1::Reading ReadingOfPage(int page) {
    v1::Reading reading;
    reading.set_form("C.HASIL-PPWP");
    reading.set_page(page);
    reading.set_error(v1::Reading::ERROR_NONE);
    return reading;
  }

  testing::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1707868800);  // 2024-02-14
  std::unique_ptr<Database> db_;
  std::unique_ptr<FileBlobStore> blobs_;
  std::unique_ptr<SubmissionStore> submissions_;
  std::unique_ptr<OcrQueue> queue_;
};

TEST_F(OcrQueueTest, LeasesOldestFirstWithThePhoto) {
  const std::string first = Upload("3101011001001", "photo-1");
  const std::string second = Upload("3101011001002", "photo-2");
  absl::StatusOr<v1::OcrJob> a = queue_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->submission(), first);
  EXPECT_EQ(a->name(), OcrQueue::JobNameOf(first));
  EXPECT_EQ(a->photo(), "photo-1");
  EXPECT_EQ(a->attempt(), 1);
  EXPECT_FALSE(a->lease_id().empty());
  absl::StatusOr<v1::OcrJob> b = queue_->Lease("w2", absl::Minutes(1));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->submission(), second);
  EXPECT_NE(b->lease_id(), a->lease_id());
  EXPECT_TRUE(absl::IsNotFound(queue_->Lease("w3", absl::Minutes(1)).status()));
  EXPECT_EQ(*queue_->CountWaiting(), 2);
}

TEST_F(OcrQueueTest, CompleteStoresTheReadingOnce) {
  const std::string name = Upload("3101011001001", "photo-1");
  absl::StatusOr<v1::OcrJob> job = queue_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  absl::StatusOr<v1::Submission> read =
      queue_->Complete(job->name(), job->lease_id(), ReadingOfPage(2));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state(), v1::Submission::STATE_READ);
  absl::StatusOr<v1::Submission> stored = submissions_->Get(name);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state(), v1::Submission::STATE_READ);
  EXPECT_EQ(stored->reading().page(), 2);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
  // A second report of the same job is refused and changes nothing.
  absl::Status again =
      queue_->Complete(job->name(), job->lease_id(), ReadingOfPage(3)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(again)) << again;
  EXPECT_EQ(submissions_->Get(name)->reading().page(), 2);
  EXPECT_TRUE(absl::IsNotFound(queue_->Lease("w1", absl::Minutes(1)).status()));
}

TEST_F(OcrQueueTest, ALeaseThatRanOutGoesToTheNextWorkerAndOnlyItsCounts) {
  const std::string name = Upload("3101011001001", "photo-1");
  absl::StatusOr<v1::OcrJob> lost = queue_->Lease("w1", absl::Seconds(30));
  ASSERT_TRUE(lost.ok());
  // Still held: nobody else gets it.
  EXPECT_TRUE(absl::IsNotFound(queue_->Lease("w2", absl::Minutes(1)).status()));
  now_ += absl::Seconds(31);
  absl::StatusOr<v1::OcrJob> retry = queue_->Lease("w2", absl::Minutes(1));
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->submission(), name);
  EXPECT_EQ(retry->attempt(), 2);
  // The first worker wakes up late: its reading is refused.
  absl::Status late =
      queue_->Complete(lost->name(), lost->lease_id(), ReadingOfPage(3))
          .status();
  EXPECT_TRUE(absl::IsFailedPrecondition(late)) << late;
  EXPECT_THAT(late.message(), HasSubstr("no longer held"));
  ASSERT_TRUE(
      queue_->Complete(retry->name(), retry->lease_id(), ReadingOfPage(2))
          .ok());
  EXPECT_EQ(submissions_->Get(name)->reading().page(), 2);
}

TEST_F(OcrQueueTest, AnExpiredLeaseNobodyTookOverMayStillComplete) {
  const std::string name = Upload("3101011001001", "photo-1");
  absl::StatusOr<v1::OcrJob> slow = queue_->Lease("w1", absl::Seconds(30));
  ASSERT_TRUE(slow.ok());
  now_ += absl::Minutes(5);
  EXPECT_TRUE(
      queue_->Complete(slow->name(), slow->lease_id(), ReadingOfPage(2)).ok());
  EXPECT_EQ(submissions_->Get(name)->state(), v1::Submission::STATE_READ);
}

TEST_F(OcrQueueTest, FailuresAreRetriedThenTheSubmissionFailsWithTheReason) {
  const std::string name = Upload("3101011001001", "photo-1");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    absl::StatusOr<v1::OcrJob> job = queue_->Lease("w1", absl::Minutes(1));
    ASSERT_TRUE(job.ok()) << attempt;
    EXPECT_EQ(job->attempt(), attempt);
    absl::StatusOr<bool> final =
        queue_->Fail(job->name(), job->lease_id(), "reader crashed");
    ASSERT_TRUE(final.ok());
    EXPECT_EQ(*final, attempt == 3);
  }
  EXPECT_TRUE(absl::IsNotFound(queue_->Lease("w1", absl::Minutes(1)).status()));
  absl::StatusOr<v1::Submission> failed = submissions_->Get(name);
  EXPECT_EQ(failed->state(), v1::Submission::STATE_FAILED);
  ASSERT_EQ(failed->remarks_size(), 1);
  EXPECT_THAT(failed->remarks(0), HasSubstr("after 3 tries: reader crashed"));
  EXPECT_EQ(*queue_->CountWaiting(), 0);
}

TEST_F(OcrQueueTest, AJobWhoseWorkersKeepDyingEndsFailed) {
  const std::string name = Upload("3101011001001", "photo-1");
  const std::string other = Upload("3101011001002", "photo-2");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    absl::StatusOr<v1::OcrJob> job = queue_->Lease("w1", absl::Seconds(10));
    ASSERT_TRUE(job.ok());
    ASSERT_EQ(job->submission(), name);
    now_ += absl::Seconds(11);  // the worker died with it
  }
  // The next lease ends it and moves on.
  absl::StatusOr<v1::OcrJob> next = queue_->Lease("w1", absl::Seconds(10));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->submission(), other);
  absl::StatusOr<v1::Submission> failed = submissions_->Get(name);
  EXPECT_EQ(failed->state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(failed->remarks(0), HasSubstr("no worker finished"));
}

TEST_F(OcrQueueTest, LeasesAndJobsSurviveARestart) {
  const std::string name = Upload("3101011001001", "photo-1");
  absl::StatusOr<v1::OcrJob> job = queue_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  Open();
  EXPECT_TRUE(absl::IsNotFound(queue_->Lease("w2", absl::Minutes(1)).status()));
  ASSERT_TRUE(
      queue_->Complete(job->name(), job->lease_id(), ReadingOfPage(2)).ok());
  Open();
  EXPECT_EQ(submissions_->Get(name)->state(), v1::Submission::STATE_READ);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
}

TEST_F(OcrQueueTest, ARefusedCompletionKeepsTheJob) {
  Open([](const v1::Submission& submission, rocksdb::WriteBatch*) {
    return submission.reading().page() == 0
               ? absl::InvalidArgumentError("a reading without a page")
               : absl::OkStatus();
  });
  const std::string name = Upload("3101011001001", "photo-1");
  absl::StatusOr<v1::OcrJob> job = queue_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(
      queue_->Complete(job->name(), job->lease_id(), v1::Reading()).status()));
  EXPECT_EQ(submissions_->Get(name)->state(), v1::Submission::STATE_RECEIVED);
  EXPECT_TRUE(
      queue_->Complete(job->name(), job->lease_id(), ReadingOfPage(2)).ok());
}

TEST_F(OcrQueueTest, BadNamesAndLeases) {
  Upload("3101011001001", "photo-1");
  absl::StatusOr<v1::OcrJob> job = queue_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(
      queue_->Complete("submissions/x", job->lease_id(), ReadingOfPage(2))
          .status()));
  EXPECT_TRUE(absl::IsNotFound(
      queue_
          ->Complete(OcrQueue::JobNameOf(SubmissionStore::NameOf(
                         "3101011001001", std::string(64, 'a'))),
                     job->lease_id(), ReadingOfPage(2))
          .status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      queue_->Complete(job->name(), "not-the-lease", ReadingOfPage(2))
          .status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      queue_->Fail(job->name(), "", "no lease").status()));
}

}  // namespace
}  // namespace c1tally
