// PhotoLifecycle on a real database with the fixture tree and a fake
// clock: a photo's steps across the stores, each one write; a reading that
// needs no people settles in the same call; a settling that fails is the
// error of the call that caused it, writes nothing of itself, and is done
// later by RecoverPhotos.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/photo_recovery.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class PhotoLifecycleTest : public testing::PhotoPipelineTest {};

TEST_F(PhotoLifecycleTest, AcceptedPagesSettleAtOnceAndPublishTheTps) {
  const std::string p2 = Read("photo-p2", Page2());
  EXPECT_EQ(Get(p2).state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(Get(p2).settled_by().at("suara_paslon_1"), "machine");
  // One page is not a result yet.
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  Read("photo-p3", ReadingOf(3, {{"suara_sah", 429, true},
                                 {"suara_tidak_sah", 3, true},
                                 {"suara_total", 432, true}}));
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->values().at("suara_paslon_2"), 274);
  EXPECT_EQ(result->values().at("suara_total"), 432);
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_MACHINE);
  EXPECT_EQ(result->provenance().submission_ids_size(), 2);
  EXPECT_THAT(result->flags(), IsEmpty());  // 123 + 274 + 32 = 429
}

TEST_F(PhotoLifecycleTest, ARefusedEntrySettlesNothingAndSettlingIsIdempotent) {
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(
      photos_->Enter("ani", task->lease_id(), Value(*task, 1000)).status()));
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_READ);
  // Nothing to settle yet: the photo stays as it is.
  absl::StatusOr<v1::Submission> pending = photos_->Settle(p3);
  ASSERT_TRUE(pending.ok()) << pending.status();
  EXPECT_EQ(pending->state(), v1::Submission::STATE_READ);
  ASSERT_TRUE(photos_->Enter("ani", task->lease_id(), Value(*task, 429)).ok());
  ClaimAndEnter("budi", 429);
  ASSERT_EQ(Get(p3).state(), v1::Submission::STATE_SETTLED);
  const uint64_t journal = tally_->journal_sequence();
  absl::StatusOr<v1::Submission> again = photos_->Settle(p3);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state(), v1::Submission::STATE_SETTLED);
  ASSERT_TRUE(photos_->Republish(testing::kPipelineTps).ok());
  EXPECT_EQ(tally_->journal_sequence(), journal);
}

TEST_F(PhotoLifecycleTest,
       AFailedSettlingIsTheEntrysErrorAndRecoverDoesItLater) {
  // A tally that refuses suara_sah = 429: publishing the TPS fails.
  std::unique_ptr<FormKinds> capped = KindsCapping("suara_sah", 400);
  Open(capped.get());
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  const uint64_t journal = tally_->journal_sequence();
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("budi");
  ASSERT_TRUE(task.ok());
  absl::StatusOr<v1::ReviewTask> entered =
      photos_->Enter("budi", task->lease_id(), Value(*task, 429));
  // The caller hears of it, with the tally's reason.
  ASSERT_TRUE(absl::IsInvalidArgument(entered.status())) << entered.status();
  EXPECT_THAT(entered.status().message(), HasSubstr("is stored, but settling"));
  EXPECT_THAT(entered.status().message(),
              HasSubstr("field suara_sah = 429 is outside 0..400"));
  // The entry stands; of the settling nothing was written: no values on
  // the photo, no result, no journal entry.
  EXPECT_EQ(reviews_->Get(task->name())->state(),
            v1::ReviewTask::STATE_VERIFIED);
  const v1::Submission unsettled = Get(p3);
  EXPECT_EQ(unsettled.state(), v1::Submission::STATE_READ);
  EXPECT_THAT(unsettled.settled_values(), IsEmpty());
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  EXPECT_EQ(tally_->journal_sequence(), journal);
  // The start after the tally was put right settles it.
  Open();
  absl::StatusOr<int> recovered = RecoverPhotos(*submissions_, photos_.get());
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(*recovered, 1);
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_SETTLED);
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->values().at("suara_sah"), 429);
}

TEST_F(PhotoLifecycleTest,
       AFailedSettlingIsTheReadingsErrorAndTheReadingStays) {
  std::unique_ptr<FormKinds> capped = KindsCapping("suara_total", 400);
  Open(capped.get());
  Read("photo-p2", Page2());
  const std::string p3 = Upload("photo-p3");
  absl::StatusOr<v1::OcrJob> job = photos_->Lease("w", absl::Minutes(1));
  ASSERT_TRUE(job.ok());
  absl::StatusOr<v1::Submission> read =
      photos_->Read(job->name(), job->lease_id(), Page3(true));
  ASSERT_TRUE(absl::IsInvalidArgument(read.status())) << read.status();
  EXPECT_THAT(read.status().message(), HasSubstr("the reading of"));
  // Read and out of the queue, not settled: the worker's report is not
  // taken twice, and the photo waits whole.
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_READ);
  EXPECT_EQ(Get(p3).reading().page(), 3);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->Read(job->name(), job->lease_id(), Page3(true)).status()));
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  // A restart with the same tally still cannot settle it, and says so.
  Open(capped.get());
  absl::StatusOr<int> refused = RecoverPhotos(*submissions_, photos_.get());
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_THAT(refused.status().message(), HasSubstr(p3));
  Open();
  EXPECT_EQ(*RecoverPhotos(*submissions_, photos_.get()), 1);
  EXPECT_EQ(Result()->values().at("suara_total"), 432);
}

TEST_F(PhotoLifecycleTest, APhotoOutOfTriesEndsFailedAndLeavesTheQueue) {
  const std::string name = Upload("photo-1");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    absl::StatusOr<v1::OcrJob> job = photos_->Lease("w", absl::Minutes(1));
    ASSERT_TRUE(job.ok()) << attempt;
    ASSERT_TRUE(
        photos_->FailReading(job->name(), job->lease_id(), "blur").ok());
  }
  EXPECT_EQ(Get(name).state(), v1::Submission::STATE_FAILED);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
  // Its state is all in one place: nothing of it is left to lease or read.
  EXPECT_TRUE(absl::IsNotFound(photos_->Lease("w", absl::Minutes(1)).status()));
  EXPECT_TRUE(reviews_->TasksOf(Get(name))->empty());
}

}  // namespace
}  // namespace c1tally
