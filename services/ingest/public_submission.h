// What everyone may see of a submission: photos read as a page of a form,
// without who uploaded them. One rule for the public RPCs of the ingest
// service (and so for the public pages and JSON built on them).
#ifndef C1TALLY_SERVICES_INGEST_PUBLIC_SUBMISSION_H_
#define C1TALLY_SERVICES_INGEST_PUBLIC_SUBMISSION_H_

#include "c1tally/v1/ingest.pb.h"

namespace c1tally {

// True for a submission the public may see: read as a page of a form (by
// the machine or, once settled, by people). A photo still waiting, failed,
// or read as no form stays private: it may be anything.
bool IsPublicSubmission(const v1::Submission& submission);

// `submission` without what identifies its uploader (`uploader`, and
// `remarks`, which may name other TPS the same person uploaded for).
v1::Submission PublicView(v1::Submission submission);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_INGEST_PUBLIC_SUBMISSION_H_
