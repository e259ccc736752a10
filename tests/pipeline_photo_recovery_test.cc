// RecoverPhotos after a crash between a photo's steps, made by replaying
// the database's log without the writes that would have come next: photos
// read (or given their last entry) but not settled are settled or ended,
// a photo that cannot be settled does not keep the others from it, and a
// second run changes nothing.
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/photo_recovery.h"
#include "tests/crash_replay.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kOtherTps[] = "3101011001002";

class PhotoRecoveryTest : public testing::PhotoPipelineTest {
 protected:
  // Stops, and comes back as if the process had died right before every
  // write that put a photo in one of `states`: those writes are left out
  // of the log, all others kept. Reopened with `tally_kinds` (see Open).
  void CrashBeforeEvery(const std::set<v1::Submission::State>& states,
                        const FormKinds* tally_kinds = nullptr) {
    const uint32_t family = db_->handle(Family::kSubmissions)->GetID();
    Close();
    const int writes = testing::ReplayLog(
        dir_.Sub("db"), [&](int, const rocksdb::WriteBatch& write) {
          for (const std::string& value : testing::PutsInto(write, family)) {
            v1::Submission photo;
            if (photo.ParseFromString(value) && states.count(photo.state())) {
              return false;
            }
          }
          return true;
        });
    ASSERT_GT(writes, 0);
    Open(tally_kinds);
  }

  absl::StatusOr<int> Recover() {
    return RecoverPhotos(*submissions_, photos_.get());
  }
};

TEST_F(PhotoRecoveryTest, RecoverSettlesWhatACrashLeftUnsettled) {
  // A crash right after the readings were written, before settling.
  const std::string p2 = Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(true));
  CrashBeforeEvery({v1::Submission::STATE_SETTLED});
  EXPECT_EQ(Get(p2).state(), v1::Submission::STATE_READ);
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  absl::StatusOr<int> recovered = Recover();
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(*recovered, 2);
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_SETTLED);
  ASSERT_TRUE(Result().ok());
  // Again: nothing to do, nothing changes.
  const uint64_t journal = Result()->journal_sequence();
  EXPECT_EQ(*Recover(), 0);
  EXPECT_EQ(Result()->journal_sequence(), journal);
}

TEST_F(PhotoRecoveryTest, ACrashAfterTheLastEntryIsMendedToo) {
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  ClaimAndEnter("budi", 429);
  CrashBeforeEvery({v1::Submission::STATE_SETTLED});
  // The entries stand, the photos wait.
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_READ);
  EXPECT_EQ(reviews_->Stats("budi")->agreed(), 1);
  ASSERT_EQ(*Recover(), 2);
  EXPECT_EQ(Get(p3).settled_by().at("suara_sah"), "people");
  EXPECT_EQ(Result()->values().at("suara_sah"), 429);
}

TEST_F(PhotoRecoveryTest, OnePhotoThatCannotSettleKeepsNoOtherFromIt) {
  const std::string p2 = Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(true));
  const std::string selfie = Read("selfie", Selfie(), kOtherTps);
  ClaimAndSay("ani", v1::ReviewEntry::VERDICT_NOT_A_FORM);
  ClaimAndSay("budi", v1::ReviewEntry::VERDICT_NOT_A_FORM);
  const std::string other = Read("photo-other-p2", Page2(), kOtherTps);
  // Back with a tally that refuses the first TPS's suara_total.
  std::unique_ptr<FormKinds> capped = KindsCapping("suara_total", 400);
  CrashBeforeEvery(
      {v1::Submission::STATE_SETTLED, v1::Submission::STATE_FAILED},
      capped.get());
  absl::StatusOr<int> refused = Recover();
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  // Of the first TPS's two pages, the one settled second fails to publish
  // (which one that is follows the photos' hashes).
  EXPECT_THAT(refused.status().message(), HasSubstr(testing::kPipelineTps));
  EXPECT_EQ((Get(p2).state() == v1::Submission::STATE_READ) +
                (Get(p3).state() == v1::Submission::STATE_READ),
            1);
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  // Past it, the others were mended.
  EXPECT_EQ(Get(other).state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(Get(selfie).state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(Get(selfie).remarks(), ElementsAre(HasSubstr("not a C.Hasil")));
  // Once the tally takes it, the next start settles the last one.
  Open();
  EXPECT_EQ(*Recover(), 1);
  EXPECT_EQ(Result()->values().at("suara_total"), 432);
}

}  // namespace
}  // namespace c1tally
