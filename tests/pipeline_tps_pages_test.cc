// JoinSettledPages: pages of one TPS into its result.
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "storage/form_kind.h"
#include "storage/submission_store.h"
#include "storage/tps_pages.h"

namespace c1tally {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

v1::Submission Settled(const std::string& name, int page, int64_t uploaded,
                       const std::map<std::string, int64_t>& values,
                       const std::string& by = "machine") {
  v1::Submission submission;
  submission.set_name(name);
  submission.set_tps_code("3101011001001");
  submission.set_state(v1::Submission::STATE_SETTLED);
  *submission.mutable_create_time() =
      TimeUtil::SecondsToTimestamp(1707868800 + uploaded);
  submission.set_settled_page(page);
  for (const auto& [field, value] : values) {
    (*submission.mutable_settled_values())[field] = value;
    (*submission.mutable_settled_by())[field] = by;
  }
  return submission;
}

const std::map<std::string, int64_t> kPage2 = {
    {"suara_paslon_1", 123}, {"suara_paslon_2", 274}, {"suara_paslon_3", 32}};
const std::map<std::string, int64_t> kPage3 = {
    {"suara_sah", 429}, {"suara_tidak_sah", 3}, {"suara_total", 432}};

class TpsPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kinds_ = std::make_unique<FormKinds>(*FormKinds::Builtin());
    ppwp_ = *kinds_->Find("ppwp");
  }
  std::unique_ptr<FormKinds> kinds_;
  const v1::FormKind* ppwp_ = nullptr;
};

TEST_F(TpsPagesTest, BothPagesMakeAResult) {
  EXPECT_FALSE(JoinSettledPages(*ppwp_, {Settled("a", 2, 0, kPage2)}));
  v1::Submission unsettled = Settled("b", 3, 1, kPage3);
  unsettled.set_state(v1::Submission::STATE_READ);
  EXPECT_FALSE(
      JoinSettledPages(*ppwp_, {Settled("a", 2, 0, kPage2), unsettled}));

  std::optional<v1::TpsResult> result = JoinSettledPages(
      *ppwp_,
      {Settled("a", 2, 0, kPage2), Settled("b", 3, 1, kPage3, "people")});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->form_kind(), "ppwp");
  EXPECT_EQ(result->tps_code(), "3101011001001");
  EXPECT_EQ(result->values().size(), 6u);
  EXPECT_EQ(result->values().at("suara_total"), 432);
  EXPECT_THAT(result->flags(), IsEmpty());
  EXPECT_THAT(result->provenance().submission_ids(), ElementsAre("a", "b"));
  EXPECT_EQ(result->provenance().field_sources().at("suara_paslon_1"),
            v1::Provenance::SOURCE_MACHINE);
  EXPECT_EQ(result->provenance().field_sources().at("suara_sah"),
            v1::Provenance::SOURCE_PEOPLE);
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_PEOPLE);
}

TEST_F(TpsPagesTest, TheOldestPhotoStandsAndADisagreementFlags) {
  std::map<std::string, int64_t> other = kPage2;
  other["suara_paslon_1"] = 124;
  // Given newest first: the order of upload decides, not of the list.
  std::optional<v1::TpsResult> result = JoinSettledPages(
      *ppwp_, {Settled("late", 2, 9, other), Settled("b", 3, 1, kPage3),
               Settled("a", 2, 0, kPage2)});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->values().at("suara_paslon_1"), 123);
  EXPECT_THAT(result->flags(), ElementsAre(kConflictingPhotosFlag));
  // An agreeing second photo is no conflict.
  result = JoinSettledPages(
      *ppwp_, {Settled("a", 2, 0, kPage2), Settled("b", 3, 1, kPage3),
               Settled("c", 2, 2, kPage2)});
  EXPECT_THAT(result->flags(), IsEmpty());
}

TEST_F(TpsPagesTest, FieldsOutsideTheKindAreLeftOutAndDuplicatesFlagged) {
  v1::Submission page1 = Settled("p1", 1, 0, {{"pemilih_disabilitas_l", 4}});
  v1::Submission page2 = Settled("a", 2, 1, kPage2);
  page2.add_flags(SubmissionStore::kDuplicateOtherTps);
  std::optional<v1::TpsResult> result =
      JoinSettledPages(*ppwp_, {page1, page2, Settled("b", 3, 2, kPage3)});
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->values().contains("pemilih_disabilitas_l"));
  EXPECT_THAT(result->flags(), ElementsAre(kDuplicatePhotoFlag));
}

}  // namespace
}  // namespace c1tally
