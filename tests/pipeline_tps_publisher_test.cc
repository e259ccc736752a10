// TpsPublisher on a real database with the fixture tree: a TPS's result
// from its settled photos, published in one write with the photo that
// changes it, or not at all.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/tps_pages.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using testing::kPipelineTps;

class TpsPublisherTest : public testing::PhotoPipelineTest {
 protected:
  // The uploaded photo `name` as if settled with `values` of `page` by the
  // machine (not stored so).
  v1::Submission Settled(const std::string& name, int page,
                         const std::map<std::string, int64_t>& values) {
    v1::Submission photo = Get(name);
    photo.set_state(v1::Submission::STATE_SETTLED);
    photo.set_settled_page(page);
    for (const auto& [field, value] : values) {
      (*photo.mutable_settled_values())[field] = value;
      (*photo.mutable_settled_by())[field] = "machine";
    }
    return photo;
  }

  // Publishes with `photo` in place of its stored version, staged the way
  // the lifecycle stages it.
  absl::Status PublishWith(const v1::Submission& photo) {
    absl::StatusOr<std::unique_ptr<SubmissionStore::Edit>> edit =
        submissions_->BeginEdit(photo.name());
    if (!edit.ok()) return edit.status();
    (*edit)->submission() = photo;
    rocksdb::WriteBatch batch;
    (*edit)->Stage(&batch);
    return publisher_->Publish(photo.tps_code(), &photo, &batch);
  }

  static std::map<std::string, int64_t> Page2Values() {
    return {{"suara_paslon_1", 123},
            {"suara_paslon_2", 274},
            {"suara_paslon_3", 32}};
  }
  static std::map<std::string, int64_t> Page3Values() {
    return {{"suara_sah", 429}, {"suara_tidak_sah", 3}, {"suara_total", 432}};
  }
};

TEST_F(TpsPublisherTest, NothingIsPublishedUntilPagesTwoAndThreeAreSettled) {
  const std::string p2 = Upload("photo-p2");
  ASSERT_TRUE(PublishWith(Settled(p2, 2, Page2Values())).ok());
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  EXPECT_EQ(tally_->journal_sequence(), 0u);
  // The caller's batch was written all the same.
  EXPECT_EQ(Get(p2).state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(*queue_->CountWaiting(), 0);
}

TEST_F(TpsPublisherTest, TheChangedPhotoCountsAsItWillBeStoredInTheSameWrite) {
  const std::string p2 = Upload("photo-p2");
  const std::string p3 = Upload("photo-p3");
  ASSERT_TRUE(PublishWith(Settled(p2, 2, Page2Values())).ok());
  absl::StatusOr<std::vector<v1::TpsResult>> before =
      publisher_->ResultsOf(kPipelineTps, nullptr);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->empty());  // p3 is not settled as stored

  ASSERT_TRUE(PublishWith(Settled(p3, 3, Page3Values())).ok());
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->values().at("suara_sah"), 429);
  EXPECT_THAT(result->provenance().submission_ids(),
              ::testing::UnorderedElementsAre(p2, p3));
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(tally_->journal_sequence(), 1u);
  // The same again writes nothing.
  rocksdb::WriteBatch nothing;
  ASSERT_TRUE(publisher_->Publish(kPipelineTps, nullptr, &nothing).ok());
  EXPECT_EQ(tally_->journal_sequence(), 1u);
}

TEST_F(TpsPublisherTest, ARefusedResultWritesNothingOfTheCallersBatch) {
  std::unique_ptr<FormKinds> capped = KindsCapping("suara_sah", 400);
  Open(capped.get());
  const std::string p2 = Upload("photo-p2");
  const std::string p3 = Upload("photo-p3");
  ASSERT_TRUE(PublishWith(Settled(p2, 2, Page2Values())).ok());
  const absl::Status refused = PublishWith(Settled(p3, 3, Page3Values()));
  EXPECT_TRUE(absl::IsInvalidArgument(refused)) << refused;
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_RECEIVED);
  EXPECT_EQ(*queue_->CountWaiting(), 1);
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  EXPECT_EQ(tally_->journal_sequence(), 0u);
}

TEST_F(TpsPublisherTest, AChangedPhotoMustBeOneOfTheTps) {
  const std::string other = Upload("photo-other", "3101011001002");
  rocksdb::WriteBatch batch;
  const v1::Submission settled = Settled(other, 2, Page2Values());
  EXPECT_TRUE(absl::IsInvalidArgument(
      publisher_->Publish(kPipelineTps, &settled, &batch)));
}

TEST_F(TpsPublisherTest, PhotosOfOneTpsThatDisagreeFlagIt) {
  Read("photo-p2-a", Page2());
  Read("photo-p3", ReadingOf(3, {{"suara_sah", 429, true},
                                 {"suara_tidak_sah", 3, true},
                                 {"suara_total", 432, true}}));
  Read("photo-p2-b", ReadingOf(2, {{"suara_paslon_1", 124, true},
                                   {"suara_paslon_2", 274, true},
                                   {"suara_paslon_3", 32, true}}));
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->flags(), ::testing::Contains(kConflictingPhotosFlag));
  // The first photo's values stand; both photos are kept.
  EXPECT_EQ(result->values().at("suara_paslon_1"), 123);
  EXPECT_EQ(result->provenance().submission_ids_size(), 3);
}

}  // namespace
}  // namespace c1tally
