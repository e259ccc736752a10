// Blind double entry on a real database with the fixture tree and a fake
// clock: readings come in as a worker would report them; simulated
// volunteers claim and enter, a moderator resolves; what a settled task
// means for its photo goes through the photos' lifecycle.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kTps[] = "3101011001001";

class ReviewTest : public testing::PhotoPipelineTest {};

TEST_F(ReviewTest, TwoEqualBlindEntriesVerifyAField) {
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_READ);
  // The uploader never gets their own photo.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("saksi").status()));

  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->kind(), v1::ReviewTask::KIND_FIELD);
  EXPECT_EQ(task->field(), "suara_sah");
  EXPECT_EQ(task->image_png(), "crop-of-suara_sah");
  EXPECT_EQ(task->tps_code(), kTps);
  // Blind: the task carries no value, and nobody else gets it meanwhile.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("budi").status()));
  ASSERT_TRUE(photos_->Enter("ani", task->lease_id(), Value(*task, 429)).ok());
  // Ani entered it: not hers again.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("ani").status()));
  v1::ReviewTask second = ClaimAndEnter("budi", 429);
  EXPECT_EQ(second.state(), v1::ReviewTask::STATE_VERIFIED);

  const v1::Submission settled = Get(p3);
  EXPECT_EQ(settled.state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(settled.settled_values().at("suara_sah"), 429);
  EXPECT_EQ(settled.settled_by().at("suara_sah"), "people");
  EXPECT_EQ(settled.settled_by().at("suara_total"), "machine");
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_PEOPLE);
  EXPECT_EQ(result->provenance().field_sources().at("suara_sah"),
            v1::Provenance::SOURCE_PEOPLE);
  EXPECT_EQ(reviews_->Stats("ani")->agreed(), 1);
}

TEST_F(ReviewTest, ADifferenceCallsForAThirdEntry) {
  Read("photo-p3", Page3(false));
  EXPECT_EQ(ClaimAndEnter("ani", 429).state(), v1::ReviewTask::STATE_OPEN);
  EXPECT_EQ(ClaimAndEnter("budi", 428).state(), v1::ReviewTask::STATE_OPEN);
  EXPECT_EQ(ClaimAndEnter("cici", 429).state(), v1::ReviewTask::STATE_VERIFIED);
  EXPECT_EQ(reviews_->Stats("budi")->disagreed(), 1);
  EXPECT_EQ(reviews_->Stats("cici")->agreed(), 1);
}

TEST_F(ReviewTest, ThreeDifferentEntriesGoToAModerator) {
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  ClaimAndEnter("budi", 428);
  v1::ReviewTask disputed = ClaimAndEnter("cici", 420);
  EXPECT_EQ(disputed.state(), v1::ReviewTask::STATE_DISPUTED);
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("dedi").status()));
  absl::StatusOr<Page<v1::ReviewTask>> listed =
      reviews_->List("disputed", 10, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].entry_count(), 3);

  EXPECT_TRUE(absl::IsInvalidArgument(
      photos_->Resolve("mod", disputed.name(), Value(disputed, 429), "")
          .status()));
  absl::StatusOr<v1::ReviewTask> resolved = photos_->Resolve(
      "mod", disputed.name(), Value(disputed, 429), "the 9 is clear on zoom");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state(), v1::ReviewTask::STATE_RESOLVED);
  EXPECT_EQ(Get(p3).settled_by().at("suara_sah"), "moderator");
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_MODERATOR);
  EXPECT_THAT(result->provenance().note(), HasSubstr("clear on zoom"));
}

TEST_F(ReviewTest, EntriesThatDoNotFitAreRefusedAndLoseNothing) {
  Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  for (int64_t bad : {int64_t{1000}, int64_t{-1}}) {
    EXPECT_TRUE(absl::IsInvalidArgument(
        photos_->Enter("ani", task->lease_id(), Value(*task, bad)).status()))
        << bad;
  }
  v1::ReviewEntry wrong_field = Value(*task, 5);
  wrong_field.mutable_values()->clear();
  (*wrong_field.mutable_values())["suara_total"] = 5;
  EXPECT_TRUE(absl::IsInvalidArgument(
      photos_->Enter("ani", task->lease_id(), wrong_field).status()));
  v1::ReviewEntry verdict_with_number = Value(*task, 5);
  verdict_with_number.set_verdict(v1::ReviewEntry::VERDICT_UNREADABLE);
  EXPECT_TRUE(absl::IsInvalidArgument(
      photos_->Enter("ani", task->lease_id(), verdict_with_number).status()));
  // Someone else's lease, or none.
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->Enter("budi", task->lease_id(), Value(*task, 429)).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->Enter("ani", "", Value(*task, 429)).status()));
  // None of that counted: the task still takes two entries.
  ASSERT_TRUE(photos_->Enter("ani", task->lease_id(), Value(*task, 429)).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->Enter("ani", task->lease_id(), Value(*task, 429)).status()));
  EXPECT_EQ(ClaimAndEnter("budi", 429).state(), v1::ReviewTask::STATE_VERIFIED);
}

TEST_F(ReviewTest, AStaleLeaseIsRefusedOnceTheTaskMovedOn) {
  Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> slow = reviews_->Claim("ani");
  ASSERT_TRUE(slow.ok());
  now_ += absl::Minutes(3);  // the lease ran out
  absl::StatusOr<v1::ReviewTask> taken = reviews_->Claim("budi");
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->name(), slow->name());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      photos_->Enter("ani", slow->lease_id(), Value(*slow, 429)).status()));
  EXPECT_TRUE(
      photos_->Enter("budi", taken->lease_id(), Value(*taken, 429)).ok());
}

TEST_F(ReviewTest, ASkippedTaskComesBack) {
  Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(reviews_->Skip("ani", task->name(), task->lease_id()).ok());
  absl::StatusOr<v1::ReviewTask> other = reviews_->Claim("budi");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->name(), task->name());
}

TEST_F(ReviewTest, AnUnreadablePhotoIsTypedWholeByPeople) {
  v1::Reading unreadable;
  unreadable.set_error(v1::Reading::ERROR_UNREADABLE);
  const std::string name = Read("blurred-photo", unreadable);
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->kind(), v1::ReviewTask::KIND_PAGE);
  EXPECT_EQ(task->photo(), "blurred-photo");
  // A moderator fetching it gets the photo too (lists leave it out).
  absl::StatusOr<v1::ReviewTask> fetched = reviews_->Get(task->name());
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->photo(), "blurred-photo");
  EXPECT_TRUE(absl::IsNotFound(reviews_->Get("reviewTasks/nothing").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(reviews_->Get("tasks/x").status()));
  v1::ReviewEntry entry;
  entry.set_task(task->name());
  entry.set_verdict(v1::ReviewEntry::VERDICT_VALUE);
  entry.set_page(3);
  (*entry.mutable_values())["suara_sah"] = 429;
  // A page entry must have every field of the page.
  EXPECT_TRUE(absl::IsInvalidArgument(
      photos_->Enter("ani", task->lease_id(), entry).status()));
  (*entry.mutable_values())["suara_tidak_sah"] = 3;
  (*entry.mutable_values())["suara_total"] = 432;
  ASSERT_TRUE(photos_->Enter("ani", task->lease_id(), entry).ok());
  absl::StatusOr<v1::ReviewTask> again = reviews_->Claim("budi");
  ASSERT_TRUE(again.ok());
  entry.set_task(again->name());
  ASSERT_TRUE(photos_->Enter("budi", again->lease_id(), entry).ok());
  const v1::Submission settled = Get(name);
  EXPECT_EQ(settled.state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(settled.settled_page(), 3);
  EXPECT_EQ(settled.settled_values().at("suara_total"), 432);
}

TEST_F(ReviewTest, PeopleAgreeingItIsNoFormEndTheSubmission) {
  const std::string name = Read("selfie", Selfie());
  ClaimAndSay("ani", v1::ReviewEntry::VERDICT_NOT_A_FORM);
  ClaimAndSay("budi", v1::ReviewEntry::VERDICT_NOT_A_FORM);
  const v1::Submission failed = Get(name);
  EXPECT_EQ(failed.state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(failed.remarks(), ElementsAre(HasSubstr("not a C.Hasil")));
  // Its other task is closed with it.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("cici").status()));
}

TEST_F(ReviewTest, ANoFormVerdictClosesThePhotosOtherTasksInItsOwnWrite) {
  const std::string name = Read("selfie", Selfie());
  // Straight to the store: its write holds its own keys only, and the
  // photo's step is the lifecycle's.
  std::string verdict_task;
  for (const std::string volunteer : {"ani", "budi"}) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim(volunteer);
    ASSERT_TRUE(task.ok());
    verdict_task = task->name();
    v1::ReviewEntry entry;
    entry.set_task(task->name());
    entry.set_verdict(v1::ReviewEntry::VERDICT_WRONG_TPS);
    ASSERT_TRUE(reviews_->Enter(volunteer, task->lease_id(), entry).ok());
  }
  EXPECT_EQ(Get(name).state(), v1::Submission::STATE_READ);
  absl::StatusOr<std::vector<storage::StoredReviewTask>> tasks =
      reviews_->TasksOf(Get(name));
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 2u);
  for (const storage::StoredReviewTask& task : *tasks) {
    EXPECT_TRUE(ReviewStore::IsSettled(task.task())) << task.task().name();
    if (task.task().name() != verdict_task) {
      EXPECT_EQ(task.resolve_reason(), "people: the photo is of another TPS");
    }
  }
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("cici").status()));
  // The lifecycle's next step ends the photo.
  absl::StatusOr<v1::Submission> ended = photos_->Settle(name);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(ended->remarks(), ElementsAre(HasSubstr("another TPS")));
}

TEST_F(ReviewTest, AVolunteerTypingFasterThanAPersonIsSlowedDown) {
  for (int i = 0; i < 61; ++i) {
    Read(absl::StrCat("photo-", i), Page3(false),
         i % 2 == 0 ? "3101011001001" : "3101011001002");
  }
  for (int i = 0; i < 60; ++i) ClaimAndEnter("bot", 429);
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("bot");
  ASSERT_TRUE(task.ok());
  absl::Status limited =
      photos_->Enter("bot", task->lease_id(), Value(*task, 429)).status();
  EXPECT_TRUE(absl::IsResourceExhausted(limited)) << limited;
  now_ += absl::Minutes(1);
  EXPECT_TRUE(photos_->Enter("bot", task->lease_id(), Value(*task, 429)).ok());
}

}  // namespace
}  // namespace c1tally
