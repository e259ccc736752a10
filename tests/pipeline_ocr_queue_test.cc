// The OCR stage of a photo's way (OcrQueue's leases through the
// PhotoLifecycle) on a real database with the fixture tree and a fake
// clock: order, leases running out, exactly one reading per job, bounded
// retries, and a restart in the middle.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

class OcrQueueTest : public testing::PhotoPipelineTest {
 protected:
  // A read page with a field for people, so that the photo stays READ.
  v1::Reading ReadingOfPage(int page) {
    return ReadingOf(page, {{"suara_sah", 429, false}});
  }
};

TEST_F(OcrQueueTest, LeasesOldestFirstWithThePhoto) {
  const std::string first = Upload("photo-1", "3101011001001");
  const std::string second = Upload("photo-2", "3101011001002");
  absl::StatusOr<v1::OcrJob> a = photos_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->submission(), first);
  EXPECT_EQ(a->name(), OcrQueue::JobNameOf(first));
  EXPECT_EQ(a->photo(), "photo-1");
  EXPECT_EQ(a->attempt(), 1);
  EXPECT_FALSE(a->lease_id().empty());
  absl::StatusOr<v1::OcrJob> b = photos_->Lease("w2", absl::Minutes(1));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->submission(), second);
  EXPECT_NE(b->lease_id(), a->lease_id());
  EXPECT_TRUE(
      absl::IsNotFound(photos_->Lease("w3", absl::Minutes(1)).status()));
  EXPECT_EQ(*queue_->CountWaiting(), 2);
}

TEST_F(OcrQueueTest, CompleteStoresTheReadingOnce) {
  const std::string name = Upload("photo-1", "3101011001001");
  absl::StatusOr<v1::OcrJob> job = photos_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  absl::StatusOr<v1::Submission> read =
      photos_->Read(job->name(), job->lease_id(), ReadingOfPage(2));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state(), v1::Submission::STATE_READ);
  absl::StatusOr<v1::Submission> stored = submissions_->Get(name);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->state(), v1::Submission::STATE_READ);
  EXPECT_EQ(stored->reading().page(), 2);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
  // A second report of the same job is refused and changes nothing.
  absl::Status again =
      photos_->Read(job->name(), job->lease_id(), ReadingOfPage(3)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(again)) << again;
  EXPECT_EQ(submissions_->Get(name)->reading().page(), 2);
  EXPECT_TRUE(
      absl::IsNotFound(photos_->Lease("w1", absl::Minutes(1)).status()));
}

TEST_F(OcrQueueTest, ALeaseThatRanOutGoesToTheNextWorkerAndOnlyItsCounts) {
  const std::string name = Upload("photo-1", "3101011001001");
  absl::StatusOr<v1::OcrJob> lost = photos_->Lease("w1", absl::Seconds(30));
  ASSERT_TRUE(lost.ok());
  // Still held: nobody else gets it.
  EXPECT_TRUE(
      absl::IsNotFound(photos_->Lease("w2", absl::Minutes(1)).status()));
  now_ += absl::Seconds(31);
  absl::StatusOr<v1::OcrJob> retry = photos_->Lease("w2", absl::Minutes(1));
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->submission(), name);
  EXPECT_EQ(retry->attempt(), 2);
  // The first worker wakes up late: its reading is refused.
  absl::Status late =
      photos_->Read(lost->name(), lost->lease_id(), ReadingOfPage(3)).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(late)) << late;
  EXPECT_THAT(late.message(), HasSubstr("no longer held"));
  ASSERT_TRUE(
      photos_->Read(retry->name(), retry->lease_id(), ReadingOfPage(2)).ok());
  EXPECT_EQ(submissions_->Get(name)->reading().page(), 2);
}

TEST_F(OcrQueueTest, AnExpiredLeaseNobodyTookOverMayStillComplete) {
  const std::string name = Upload("photo-1", "3101011001001");
  absl::StatusOr<v1::OcrJob> slow = photos_->Lease("w1", absl::Seconds(30));
  ASSERT_TRUE(slow.ok());
  now_ += absl::Minutes(5);
  EXPECT_TRUE(
      photos_->Read(slow->name(), slow->lease_id(), ReadingOfPage(2)).ok());
  EXPECT_EQ(submissions_->Get(name)->state(), v1::Submission::STATE_READ);
}

TEST_F(OcrQueueTest, FailuresAreRetriedThenTheSubmissionFailsWithTheReason) {
  const std::string name = Upload("photo-1", "3101011001001");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    absl::StatusOr<v1::OcrJob> job = photos_->Lease("w1", absl::Minutes(1));
    ASSERT_TRUE(job.ok()) << attempt;
    EXPECT_EQ(job->attempt(), attempt);
    absl::StatusOr<bool> final =
        photos_->FailReading(job->name(), job->lease_id(), "reader crashed");
    ASSERT_TRUE(final.ok());
    EXPECT_EQ(*final, attempt == 3);
  }
  EXPECT_TRUE(
      absl::IsNotFound(photos_->Lease("w1", absl::Minutes(1)).status()));
  absl::StatusOr<v1::Submission> failed = submissions_->Get(name);
  EXPECT_EQ(failed->state(), v1::Submission::STATE_FAILED);
  ASSERT_EQ(failed->remarks_size(), 1);
  EXPECT_THAT(failed->remarks(0), HasSubstr("after 3 tries: reader crashed"));
  EXPECT_EQ(*queue_->CountWaiting(), 0);
}

TEST_F(OcrQueueTest, AJobWhoseWorkersKeepDyingEndsFailed) {
  const std::string name = Upload("photo-1", "3101011001001");
  const std::string other = Upload("photo-2", "3101011001002");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    absl::StatusOr<v1::OcrJob> job = photos_->Lease("w1", absl::Seconds(10));
    ASSERT_TRUE(job.ok());
    ASSERT_EQ(job->submission(), name);
    now_ += absl::Seconds(11);  // the worker died with it
  }
  // The next lease ends it and moves on.
  absl::StatusOr<v1::OcrJob> next = photos_->Lease("w1", absl::Seconds(10));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->submission(), other);
  absl::StatusOr<v1::Submission> failed = submissions_->Get(name);
  EXPECT_EQ(failed->state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(failed->remarks(0), HasSubstr("no worker finished"));
}

TEST_F(OcrQueueTest, LeasesAndJobsSurviveARestart) {
  const std::string name = Upload("photo-1", "3101011001001");
  absl::StatusOr<v1::OcrJob> job = photos_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  Open();
  EXPECT_TRUE(
      absl::IsNotFound(photos_->Lease("w2", absl::Minutes(1)).status()));
  ASSERT_TRUE(
      photos_->Read(job->name(), job->lease_id(), ReadingOfPage(2)).ok());
  Open();
  EXPECT_EQ(submissions_->Get(name)->state(), v1::Submission::STATE_READ);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
}

TEST_F(OcrQueueTest, ARefusedCompletionKeepsTheJob) {
  const std::string name = Upload("photo-1", "3101011001001");
  absl::StatusOr<v1::OcrJob> job = photos_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  // Readings no photo can be settled from: no outcome, a read page without
  // its number, an accepted field without a value.
  v1::Reading no_page = ReadingOfPage(2);
  no_page.set_page(0);
  v1::Reading no_value = ReadingOfPage(2);
  no_value.mutable_fields(0)->set_status(v1::FieldReading::STATUS_ACCEPTED);
  no_value.mutable_fields(0)->clear_value();
  for (const v1::Reading& refused : {v1::Reading(), no_page, no_value}) {
    EXPECT_TRUE(absl::IsInvalidArgument(
        photos_->Read(job->name(), job->lease_id(), refused).status()))
        << refused.DebugString();
  }
  // Nothing of them was written: still queued, no tasks, still held.
  EXPECT_EQ(submissions_->Get(name)->state(), v1::Submission::STATE_RECEIVED);
  EXPECT_EQ(*queue_->CountWaiting(), 1);
  EXPECT_TRUE(reviews_->TasksOf(Get(name))->empty());
  EXPECT_TRUE(
      absl::IsNotFound(photos_->Lease("w2", absl::Minutes(1)).status()));
  EXPECT_TRUE(
      photos_->Read(job->name(), job->lease_id(), ReadingOfPage(2)).ok());
}

TEST_F(OcrQueueTest, BadNamesAndLeases) {
  Upload("photo-1", "3101011001001");
  absl::StatusOr<v1::OcrJob> job = photos_->Lease("w1", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(
      photos_->Read("submissions/x", job->lease_id(), ReadingOfPage(2))
          .status()));
  EXPECT_TRUE(
      absl::IsNotFound(photos_
                           ->Read(OcrQueue::JobNameOf(SubmissionStore::NameOf(
                                      "3101011001001", std::string(64, 'a'))),
                                  job->lease_id(), ReadingOfPage(2))
                           .status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->Read(job->name(), "not-the-lease", ReadingOfPage(2)).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->FailReading(job->name(), "", "no lease").status()));
}

}  // namespace
}  // namespace c1tally
