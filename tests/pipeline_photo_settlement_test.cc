// SettlementOf and ApplySettlement on readings and tasks made by hand: who
// settles which value, whole-page tasks, people's verdicts, and readings
// that cannot be settled.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/photo_settlement.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

v1::Submission ReadPhoto(int page) {
  v1::Submission photo;
  photo.set_name("submissions/3101011001001-abc");
  photo.set_state(v1::Submission::STATE_READ);
  photo.mutable_reading()->set_page(page);
  photo.mutable_reading()->set_error(v1::Reading::ERROR_NONE);
  return photo;
}

void AddField(v1::Submission* photo, const std::string& name, int64_t value,
              bool accepted) {
  v1::FieldReading* field = photo->mutable_reading()->add_fields();
  field->set_name(name);
  field->set_value(value);
  field->set_status(accepted ? v1::FieldReading::STATUS_ACCEPTED
                             : v1::FieldReading::STATUS_REVIEW);
}

storage::StoredReviewTask FieldTask(const std::string& field,
                                    v1::ReviewTask::State state,
                                    int64_t value) {
  storage::StoredReviewTask task;
  task.mutable_task()->set_kind(v1::ReviewTask::KIND_FIELD);
  task.mutable_task()->set_field(field);
  task.mutable_task()->set_state(state);
  if (state != v1::ReviewTask::STATE_OPEN) {
    task.mutable_outcome()->set_verdict(v1::ReviewEntry::VERDICT_VALUE);
    (*task.mutable_outcome()->mutable_values())[field] = value;
  }
  return task;
}

storage::StoredReviewTask VerdictTask(v1::ReviewEntry::Verdict verdict) {
  storage::StoredReviewTask task;
  task.mutable_task()->set_kind(v1::ReviewTask::KIND_FIELD);
  task.mutable_task()->set_field("suara_sah");
  task.mutable_task()->set_state(v1::ReviewTask::STATE_VERIFIED);
  task.mutable_outcome()->set_verdict(verdict);
  return task;
}

// A task closed because its photo was rejected: settled, no verdict.
storage::StoredReviewTask ClosedTask() {
  storage::StoredReviewTask task;
  task.mutable_task()->set_kind(v1::ReviewTask::KIND_FIELD);
  task.mutable_task()->set_field("suara_total");
  task.mutable_task()->set_state(v1::ReviewTask::STATE_RESOLVED);
  return task;
}

TEST(PhotoSettlementTest, NothingIsSettledWhileATaskIsOpen) {
  v1::Submission photo = ReadPhoto(3);
  AddField(&photo, "suara_sah", 429, false);
  AddField(&photo, "suara_total", 432, true);
  absl::StatusOr<Settlement> settlement = SettlementOf(
      photo, {FieldTask("suara_sah", v1::ReviewTask::STATE_OPEN, 0)});
  ASSERT_TRUE(settlement.ok()) << settlement.status();
  EXPECT_EQ(settlement->outcome, Settlement::Outcome::kPending);
  settlement = SettlementOf(
      photo, {FieldTask("suara_sah", v1::ReviewTask::STATE_DISPUTED, 0)});
  EXPECT_EQ(settlement->outcome, Settlement::Outcome::kPending);
}

TEST(PhotoSettlementTest, EachValueRemembersWhoSettledIt) {
  v1::Submission photo = ReadPhoto(3);
  AddField(&photo, "suara_sah", 428, false);
  AddField(&photo, "suara_tidak_sah", 3, false);
  AddField(&photo, "suara_total", 432, true);
  storage::StoredReviewTask resolved =
      FieldTask("suara_tidak_sah", v1::ReviewTask::STATE_RESOLVED, 4);
  resolved.set_resolved_by("mod");
  absl::StatusOr<Settlement> settlement = SettlementOf(
      photo,
      {FieldTask("suara_sah", v1::ReviewTask::STATE_VERIFIED, 429), resolved});
  ASSERT_TRUE(settlement.ok()) << settlement.status();
  EXPECT_EQ(settlement->outcome, Settlement::Outcome::kSettled);
  EXPECT_EQ(settlement->page, 3);
  // People's value, not the machine's doubtful one.
  EXPECT_THAT(
      settlement->values,
      UnorderedElementsAre(Pair("suara_sah", 429), Pair("suara_tidak_sah", 4),
                           Pair("suara_total", 432)));
  EXPECT_THAT(settlement->settled_by,
              UnorderedElementsAre(Pair("suara_sah", "people"),
                                   Pair("suara_tidak_sah", "moderator"),
                                   Pair("suara_total", "machine")));
}

TEST(PhotoSettlementTest, AFieldSentToPeopleAnywayTakesTheirValue) {
  v1::Submission photo = ReadPhoto(3);
  AddField(&photo, "suara_total", 432, true);
  absl::StatusOr<Settlement> settlement = SettlementOf(
      photo, {FieldTask("suara_total", v1::ReviewTask::STATE_VERIFIED, 431)});
  ASSERT_TRUE(settlement.ok());
  EXPECT_EQ(settlement->values.at("suara_total"), 431);
  EXPECT_EQ(settlement->settled_by.at("suara_total"), "people");
}

TEST(PhotoSettlementTest, AWholePageTaskGivesThePageAndEveryValue) {
  v1::Submission photo = ReadPhoto(0);
  photo.mutable_reading()->set_error(v1::Reading::ERROR_UNREADABLE);
  storage::StoredReviewTask page;
  page.mutable_task()->set_kind(v1::ReviewTask::KIND_PAGE);
  page.mutable_task()->set_state(v1::ReviewTask::STATE_VERIFIED);
  page.mutable_outcome()->set_verdict(v1::ReviewEntry::VERDICT_VALUE);
  page.mutable_outcome()->set_page(2);
  (*page.mutable_outcome()->mutable_values())["suara_paslon_1"] = 7;
  (*page.mutable_outcome()->mutable_values())["suara_paslon_2"] = 8;
  absl::StatusOr<Settlement> settlement = SettlementOf(photo, {page});
  ASSERT_TRUE(settlement.ok()) << settlement.status();
  EXPECT_EQ(settlement->outcome, Settlement::Outcome::kSettled);
  EXPECT_EQ(settlement->page, 2);
  EXPECT_THAT(settlement->values,
              UnorderedElementsAre(Pair("suara_paslon_1", 7),
                                   Pair("suara_paslon_2", 8)));
  EXPECT_EQ(settlement->settled_by.at("suara_paslon_2"), "people");
}

TEST(PhotoSettlementTest, PeoplesVerdictRejectsThePhotoWhateverTheOrder) {
  v1::Submission photo = ReadPhoto(3);
  AddField(&photo, "suara_sah", 1, false);
  AddField(&photo, "suara_total", 2, false);
  for (const auto& tasks :
       {std::vector<storage::StoredReviewTask>{
            ClosedTask(), VerdictTask(v1::ReviewEntry::VERDICT_WRONG_TPS)},
        std::vector<storage::StoredReviewTask>{
            VerdictTask(v1::ReviewEntry::VERDICT_WRONG_TPS), ClosedTask()}}) {
    absl::StatusOr<Settlement> settlement = SettlementOf(photo, tasks);
    ASSERT_TRUE(settlement.ok()) << settlement.status();
    EXPECT_EQ(settlement->outcome, Settlement::Outcome::kRejected);
    EXPECT_EQ(settlement->remark, "people: the photo is of another TPS");
  }
}

TEST(PhotoSettlementTest, AFieldNeitherAcceptedNorATaskCannotBeSettled) {
  v1::Submission photo = ReadPhoto(3);
  AddField(&photo, "suara_sah", 429, false);
  EXPECT_TRUE(absl::IsInternal(SettlementOf(photo, {}).status()));
}

TEST(PhotoSettlementTest, ApplyingPutsValuesOrTheRemarkOnThePhoto) {
  Settlement settled;
  settled.outcome = Settlement::Outcome::kSettled;
  settled.page = 2;
  settled.values = {{"suara_paslon_1", 5}};
  settled.settled_by = {{"suara_paslon_1", "machine"}};
  v1::Submission photo = ReadPhoto(2);
  ApplySettlement(settled, &photo);
  EXPECT_EQ(photo.state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(photo.settled_page(), 2);
  EXPECT_EQ(photo.settled_values().at("suara_paslon_1"), 5);
  EXPECT_EQ(photo.settled_by().at("suara_paslon_1"), "machine");

  Settlement rejected;
  rejected.outcome = Settlement::Outcome::kRejected;
  rejected.remark = "people: unreadable";
  v1::Submission other = ReadPhoto(2);
  ApplySettlement(rejected, &other);
  EXPECT_EQ(other.state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(other.remarks(), ElementsAre("people: unreadable"));
  EXPECT_TRUE(other.settled_values().empty());
}

}  // namespace
}  // namespace c1tally
