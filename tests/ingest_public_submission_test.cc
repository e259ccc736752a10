// What the public may see of a submission, on its own.
#include "gtest/gtest.h"
#include "services/ingest/public_submission.h"

namespace c1tally {
namespace {

v1::Submission Read(int page, v1::Reading::Error error) {
  v1::Submission submission;
  submission.set_state(v1::Submission::STATE_READ);
  submission.mutable_reading()->set_page(page);
  submission.mutable_reading()->set_error(error);
  return submission;
}

TEST(PublicSubmissionTest, OnlyPagesReadAsAFormArePublic) {
  EXPECT_TRUE(IsPublicSubmission(Read(2, v1::Reading::ERROR_NONE)));
  // Read as no form, or as a page the machine could not place.
  EXPECT_FALSE(IsPublicSubmission(Read(2, v1::Reading::ERROR_NOT_A_FORM)));
  EXPECT_FALSE(IsPublicSubmission(Read(0, v1::Reading::ERROR_NONE)));

  v1::Submission settled;
  settled.set_state(v1::Submission::STATE_SETTLED);
  EXPECT_FALSE(IsPublicSubmission(settled));  // people said no page
  settled.set_settled_page(3);
  EXPECT_TRUE(IsPublicSubmission(settled));

  for (v1::Submission::State state :
       {v1::Submission::STATE_RECEIVED, v1::Submission::STATE_FAILED}) {
    v1::Submission other = Read(2, v1::Reading::ERROR_NONE);
    other.set_state(state);
    EXPECT_FALSE(IsPublicSubmission(other)) << state;
  }
}

TEST(PublicSubmissionTest, ThePublicViewNamesNobody) {
  v1::Submission submission = Read(2, v1::Reading::ERROR_NONE);
  submission.set_name("submissions/3101011001001-ab");
  submission.set_uploader("saksi");
  submission.add_remarks("same photo also uploaded for TPS 3101011001002");
  submission.set_sha256("ab");
  const v1::Submission seen = PublicView(submission);
  EXPECT_EQ(seen.uploader(), "");
  EXPECT_EQ(seen.remarks_size(), 0);
  EXPECT_EQ(seen.name(), submission.name());
  EXPECT_EQ(seen.sha256(), "ab");
  EXPECT_EQ(seen.reading().page(), 2);
}

}  // namespace
}  // namespace c1tally
