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

OcrQueue::OcrQueue(Database* db, SubmissionStore* submissions, Options options,
                   OnRead on_read, AfterRead after_read)
    : db_(db),
      submissions_(submissions),
      options_(std::move(options)),
      on_read_(std::move(on_read)),
      after_read_(std::move(after_read)) {}

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

absl::StatusOr<v1::OcrJob> OcrQueue::Lease(absl::string_view worker_id,
                                           absl::Duration lease) {
  lease = std::clamp(lease, options_.min_lease, options_.max_lease);
  absl::MutexLock lock(&mu_);
  const absl::Time now = options_.clock();
  std::string from;
  while (true) {
    absl::StatusOr<SubmissionStore::Queued> next =
        submissions_->NextReceived(from);
    if (!next.ok()) return next.status();  // NOT_FOUND: none waiting
    from = next->queue_key + '\0';
    ASSIGN_OR_RETURN(Job job, LoadJob(next->name));
    storage::StoredOcrJob& stored = job.stored;
    if (!stored.lease_id().empty() &&
        stored.lease_expire_micros() > MicrosOf(now)) {
      continue;  // held by a live worker
    }
    if (stored.attempts() >= options_.max_attempts) {
      const std::string reason =
          stored.last_error().empty()
              ? absl::StrCat("no worker finished reading it in ",
                             stored.attempts(), " tries (lost or timed out)")
              : stored.last_error();
      RETURN_IF_ERROR(EndFailed(job, reason));
      continue;
    }
    ASSIGN_OR_RETURN(std::string photo,
                     submissions_->ReadPhoto(job.submission));
    ASSIGN_OR_RETURN(std::string lease_bytes, RandomBytes(16));
    stored.set_attempts(stored.attempts() + 1);
    stored.set_lease_id(absl::BytesToHexString(lease_bytes));
    stored.set_lease_expire_micros(MicrosOf(now + lease));
    stored.set_worker_id(std::string(worker_id));
    rocksdb::WriteBatch batch;
    batch.Put(db_->handle(Family::kOcrJobs), job.key,
              stored.SerializeAsString());
    RETURN_IF_ERROR(db_->Write(&batch));
    v1::OcrJob leased;
    leased.set_name(JobNameOf(next->name));
    leased.set_submission(next->name);
    leased.set_photo(std::move(photo));
    leased.set_lease_id(stored.lease_id());
    leased.set_attempt(stored.attempts());
    return leased;
  }
}

absl::StatusOr<OcrQueue::Job> OcrQueue::HeldJob(
    absl::string_view job_name, absl::string_view lease_id) const {
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

absl::StatusOr<v1::Submission> OcrQueue::Complete(absl::string_view job_name,
                                                  absl::string_view lease_id,
                                                  const v1::Reading& reading) {
  absl::StatusOr<v1::Submission> read =
      WriteCompletion(job_name, lease_id, reading);
  if (read.ok() && after_read_ != nullptr) after_read_(*read);
  return read;
}

absl::StatusOr<v1::Submission> OcrQueue::WriteCompletion(
    absl::string_view job_name, absl::string_view lease_id,
    const v1::Reading& reading) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(Job job, HeldJob(job_name, lease_id));
  return submissions_->Update(
      job.submission.name(),
      [&](v1::Submission* submission, rocksdb::WriteBatch* batch) {
        submission->set_state(v1::Submission::STATE_READ);
        *submission->mutable_reading() = reading;
        batch->Delete(db_->handle(Family::kReceived),
                      SubmissionStore::QueueKeyOf(*submission));
        batch->Delete(db_->handle(Family::kOcrJobs), job.key);
        return on_read_ == nullptr ? absl::OkStatus()
                                   : on_read_(*submission, batch);
      });
}

absl::StatusOr<bool> OcrQueue::Fail(absl::string_view job_name,
                                    absl::string_view lease_id,
                                    absl::string_view reason) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(Job job, HeldJob(job_name, lease_id));
  if (job.stored.attempts() >= options_.max_attempts) {
    RETURN_IF_ERROR(EndFailed(job, reason));
    return true;
  }
  storage::StoredOcrJob stored = job.stored;
  stored.clear_lease_id();
  stored.clear_lease_expire_micros();
  stored.set_last_error(std::string(reason));
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(Family::kOcrJobs), job.key, stored.SerializeAsString());
  RETURN_IF_ERROR(db_->Write(&batch));
  return false;
}

absl::Status OcrQueue::EndFailed(const Job& job, absl::string_view reason) {
  return submissions_
      ->Update(job.submission.name(),
               [&](v1::Submission* submission, rocksdb::WriteBatch* batch) {
                 submission->set_state(v1::Submission::STATE_FAILED);
                 submission->add_remarks(absl::StrCat("OCR failed after ",
                                                      job.stored.attempts(),
                                                      " tries: ", reason));
                 batch->Delete(db_->handle(Family::kReceived),
                               SubmissionStore::QueueKeyOf(*submission));
                 batch->Delete(db_->handle(Family::kOcrJobs), job.key);
                 return absl::OkStatus();
               })
      .status();
}

absl::StatusOr<int64_t> OcrQueue::CountWaiting() const {
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kReceived);
  int64_t count = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  if (!it->status().ok()) return FromRocksStatus(it->status(), "OCR queue");
  return count;
}

}  // namespace c1tally
