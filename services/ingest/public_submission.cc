#include "services/ingest/public_submission.h"

namespace c1tally {

bool IsPublicSubmission(const v1::Submission& submission) {
  switch (submission.state()) {
    case v1::Submission::STATE_SETTLED:
      return submission.settled_page() > 0;
    case v1::Submission::STATE_READ:
      return submission.reading().error() == v1::Reading::ERROR_NONE &&
             submission.reading().page() > 0;
    default:
      return false;
  }
}

v1::Submission PublicView(v1::Submission submission) {
  submission.clear_uploader();
  submission.clear_remarks();
  return submission;
}

}  // namespace c1tally
