#include "storage/ocr_queue.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "storage/secret_hash.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

constexpr char kJobPrefix[] = "ocrJobs/";

int64_t MicrosOf(absl::Time time) { return absl::ToUnixMicros(time); }

}  // namespace

OcrQueue::OcrQueue(Database* db, const SubmissionStore* submissions,
                   Options options)
    : db_(db), submissions_(submissions), options_(std::move(options)) {}

std::string OcrQueue::JobNameOf(absl::string_view submission_name) {
  absl::string_view rest = submission_name;
  absl::ConsumePrefix(&rest, SubmissionStore::kNamePrefix);
  return absl::StrCat(kJobPrefix, rest);
}

absl::StatusOr<std::string> OcrQueue::SubmissionNameOf(
    absl::string_view job_name) {
  absl::string_view rest = job_name;
  if (!absl::ConsumePrefix(&rest, kJobPrefix)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad job name \"", job_name, "\"; expected ocrJobs/{tps}-{sha256}"));
  }
  std::string name = absl::StrCat(SubmissionStore::kNamePrefix, rest);
  if (absl::StatusOr<std::string> key = SubmissionStore::KeyOf(name);
      !key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad job name \"", job_name, "\"; expected ocrJobs/{tps}-{sha256}"));
  }
  return name;
}

absl::StatusOr<OcrQueue::Job> OcrQueue::LoadJob(
    absl::string_view submission_name) const {
  Job job;
  absl::StatusOr<v1::Submission> submission =
      submissions_->Get(submission_name);
  if (!submission.ok()) return submission.status();
  job.submission = *std::move(submission);
  absl::StatusOr<std::string> key = SubmissionStore::KeyOf(submission_name);
  if (!key.ok()) return key.status();
  job.key = *std::move(key);
  std::string value;
  absl::Status read = db_->Get(Family::kOcrJobs, job.key, &value, "OCR job");
  if (read.ok()) {
    if (!job.stored.ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("OCR job of ", submission_name, " is corrupt"));
    }
  } else if (!absl::IsNotFound(read)) {
    return read;
  }
  return job;
}

absl::StatusOr<OcrQueue::Job> OcrQueue::NextFree(std::string* cursor) const {
  const int64_t now = MicrosOf(options_.clock());
  while (true) {
    absl::StatusOr<SubmissionStore::Queued> next =
        submissions_->NextReceived(*cursor);
    if (!next.ok()) return next.status();  // NOT_FOUND: none waiting
    *cursor = next->queue_key + '\0';
    ASSIGN_OR_RETURN(Job job, LoadJob(next->name));
    const bool held = !job.stored.lease_id().empty() &&
                      job.stored.lease_expire_micros() > now;
    if (!held) return job;
  }
}

bool OcrQueue::OutOfTries(const Job& job) const {
  return job.stored.attempts() >= options_.max_attempts;
}

std::string OcrQueue::WhyUnread(const Job& job) {
  return job.stored.last_error().empty()
             ? absl::StrCat("no worker finished reading it in ",
                            job.stored.attempts(), " tries (lost or timed out)")
             : job.stored.last_error();
}

absl::StatusOr<v1::OcrJob> OcrQueue::StageLease(
    Job* job, absl::string_view worker_id, absl::Duration lease,
    rocksdb::WriteBatch* batch) const {
  lease = std::clamp(lease, options_.min_lease, options_.max_lease);
  ASSIGN_OR_RETURN(std::string lease_bytes, RandomBytes(16));
  storage::StoredOcrJob& stored = job->stored;
  stored.set_attempts(stored.attempts() + 1);
  stored.set_lease_id(absl::BytesToHexString(lease_bytes));
  stored.set_lease_expire_micros(MicrosOf(options_.clock() + lease));
  stored.set_worker_id(std::string(worker_id));
  batch->Put(db_->handle(Family::kOcrJobs), job->key,
             stored.SerializeAsString());
  v1::OcrJob leased;
  leased.set_name(JobNameOf(job->submission.name()));
  leased.set_submission(job->submission.name());
  leased.set_lease_id(stored.lease_id());
  leased.set_attempt(stored.attempts());
  return leased;
}

void OcrQueue::StageRetry(const Job& job, absl::string_view reason,
                          rocksdb::WriteBatch* batch) const {
  storage::StoredOcrJob stored = job.stored;
  stored.clear_lease_id();
  stored.clear_lease_expire_micros();
  stored.set_last_error(std::string(reason));
  batch->Put(db_->handle(Family::kOcrJobs), job.key,
             stored.SerializeAsString());
}

void OcrQueue::StageEnd(const Job& job, rocksdb::WriteBatch* batch) const {
  batch->Delete(db_->handle(Family::kOcrJobs), job.key);
}

absl::StatusOr<OcrQueue::Job> OcrQueue::Held(absl::string_view job_name,
                                             absl::string_view lease_id) const {
  ASSIGN_OR_RETURN(std::string submission_name, SubmissionNameOf(job_name));
  absl::StatusOr<Job> job = LoadJob(submission_name);
  if (absl::IsNotFound(job.status())) {
    return absl::NotFoundError(absl::StrCat(job_name, " not found"));
  }
  if (!job.ok()) return job.status();
  if (job->submission.state() != v1::Submission::STATE_RECEIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat(job_name, " has already ended"));
  }
  if (lease_id.empty() || job->stored.lease_id() != lease_id) {
    // An expired lease that nobody took over still counts: the reading is
    // then still the only one.
    return absl::FailedPreconditionError(absl::StrCat(
        "the lease on ", job_name,
        " is no longer held (it ran out and the job was leased again)"));
  }
  return job;
}

absl::StatusOr<int64_t> OcrQueue::CountWaiting() const {
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kReceived);
  int64_t count = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  if (!it->status().ok()) return FromRocksStatus(it->status(), "OCR queue");
  return count;
}

}  // namespace c1tally
