#include "storage/photo_lifecycle.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/photo_settlement.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// The error of a second step, after the first one of the same call stood.
absl::Status AfterKept(absl::string_view kept, absl::string_view photo,
                       const absl::Status& error) {
  return absl::Status(error.code(),
                      absl::StrCat(kept, " is stored, but settling ", photo,
                                   " failed (it stays unsettled until it is "
                                   "settled again): ",
                                   error.message()));
}

// What stands in for a machine reading on a photo of a race no machine
// reads: a form, not a page this pipeline reads, so people read it whole.
v1::Reading ReadingForPeople(absl::string_view race) {
  v1::Reading reading;
  reading.set_form(absl::StrCat("C.HASIL-", absl::AsciiStrToUpper(race)));
  reading.set_error(v1::Reading::ERROR_WRONG_PAGE);
  reading.set_error_detail(absl::StrCat(
      "no machine reading exists for ", race,
      " forms yet: people pick the sheet and type it, twice and blind"));
  return reading;
}

}  // namespace

bool ReadByPeopleOnly(const v1::Submission& photo) {
  return IsLegislativeRace(photo.form_kind());
}

PhotoLifecycle::PhotoLifecycle(Database* db, SubmissionStore* submissions,
                               OcrQueue* queue, ReviewStore* reviews,
                               const TpsPublisher* publisher)
    : db_(db),
      submissions_(submissions),
      queue_(queue),
      reviews_(reviews),
      publisher_(publisher) {}

absl::StatusOr<v1::OcrJob> PhotoLifecycle::Lease(absl::string_view worker_id,
                                                 absl::Duration lease) {
  absl::MutexLock lock(&mu_);
  std::string cursor;
  while (true) {
    ASSIGN_OR_RETURN(OcrQueue::Job job, queue_->NextFree(&cursor));
    if (queue_->OutOfTries(job)) {
      RETURN_IF_ERROR(EndUnread(job, OcrQueue::WhyUnread(job)));
      continue;
    }
    if (ReadByPeopleOnly(job.submission)) {
      // Its upload handed it to people unless the server died first.
      RETURN_IF_ERROR(HandToPeopleLocked(job.submission.name()).status());
      continue;
    }
    ASSIGN_OR_RETURN(std::string photo,
                     submissions_->ReadPhoto(job.submission));
    rocksdb::WriteBatch batch;
    ASSIGN_OR_RETURN(v1::OcrJob leased,
                     queue_->StageLease(&job, worker_id, lease, &batch));
    RETURN_IF_ERROR(db_->Write(&batch));
    leased.set_photo(std::move(photo));
    return leased;
  }
}

absl::Status PhotoLifecycle::EndUnread(const OcrQueue::Job& job,
                                       absl::string_view reason) {
  ASSIGN_OR_RETURN(std::unique_ptr<SubmissionStore::Edit> edit,
                   submissions_->BeginEdit(job.submission.name()));
  v1::Submission& photo = edit->submission();
  photo.set_state(v1::Submission::STATE_FAILED);
  photo.add_remarks(absl::StrCat("OCR failed after ", job.stored.attempts(),
                                 " tries: ", reason));
  rocksdb::WriteBatch batch;
  edit->Stage(&batch);
  queue_->StageEnd(job, &batch);
  return db_->Write(&batch);
}

absl::StatusOr<v1::Submission> PhotoLifecycle::Read(
    absl::string_view job_name, absl::string_view lease_id,
    const v1::Reading& reading) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(OcrQueue::Job job, queue_->Held(job_name, lease_id));
  v1::Submission read;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<SubmissionStore::Edit> edit,
                     submissions_->BeginEdit(job.submission.name()));
    v1::Submission& photo = edit->submission();
    photo.set_state(v1::Submission::STATE_READ);
    *photo.mutable_reading() = reading;
    rocksdb::WriteBatch batch;
    edit->Stage(&batch);
    queue_->StageEnd(job, &batch);
    RETURN_IF_ERROR(reviews_->AddTasks(photo, &batch));
    RETURN_IF_ERROR(db_->Write(&batch));
    read = photo;
  }
  if (absl::StatusOr<v1::Submission> settled = SettleLocked(read.name());
      !settled.ok()) {
    return AfterKept(absl::StrCat("the reading of ", job_name), read.name(),
                     settled.status());
  }
  return read;
}

absl::StatusOr<v1::Submission> PhotoLifecycle::HandToPeople(
    absl::string_view name) {
  absl::MutexLock lock(&mu_);
  return HandToPeopleLocked(name);
}

absl::StatusOr<v1::Submission> PhotoLifecycle::HandToPeopleLocked(
    absl::string_view name) {
  ASSIGN_OR_RETURN(std::unique_ptr<SubmissionStore::Edit> edit,
                   submissions_->BeginEdit(name));
  v1::Submission& photo = edit->submission();
  if (photo.state() != v1::Submission::STATE_RECEIVED ||
      !ReadByPeopleOnly(photo)) {
    return photo;
  }
  photo.set_state(v1::Submission::STATE_READ);
  *photo.mutable_reading() = ReadingForPeople(photo.form_kind());
  rocksdb::WriteBatch batch;
  edit->Stage(&batch);  // out of the RECEIVED queue
  RETURN_IF_ERROR(reviews_->AddTasks(photo, &batch));
  RETURN_IF_ERROR(db_->Write(&batch));
  return photo;
}

absl::StatusOr<bool> PhotoLifecycle::FailReading(absl::string_view job_name,
                                                 absl::string_view lease_id,
                                                 absl::string_view reason) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(OcrQueue::Job job, queue_->Held(job_name, lease_id));
  if (queue_->OutOfTries(job)) {
    RETURN_IF_ERROR(EndUnread(job, reason));
    return true;
  }
  rocksdb::WriteBatch batch;
  queue_->StageRetry(job, reason, &batch);
  RETURN_IF_ERROR(db_->Write(&batch));
  return false;
}

absl::StatusOr<v1::ReviewTask> PhotoLifecycle::Enter(
    absl::string_view volunteer, absl::string_view lease_id,
    const v1::ReviewEntry& entry) {
  ASSIGN_OR_RETURN(v1::ReviewTask task,
                   reviews_->Enter(volunteer, lease_id, entry));
  RETURN_IF_ERROR(AfterTask(task));
  return task;
}

absl::StatusOr<v1::ReviewTask> PhotoLifecycle::Resolve(
    absl::string_view moderator, absl::string_view task_name,
    const v1::ReviewEntry& decision, absl::string_view reason) {
  ASSIGN_OR_RETURN(v1::ReviewTask task,
                   reviews_->Resolve(moderator, task_name, decision, reason));
  RETURN_IF_ERROR(AfterTask(task));
  return task;
}

absl::Status PhotoLifecycle::AfterTask(const v1::ReviewTask& task) {
  if (!ReviewStore::IsSettled(task)) return absl::OkStatus();
  absl::MutexLock lock(&mu_);
  absl::StatusOr<v1::Submission> settled = SettleLocked(task.submission());
  if (!settled.ok()) {
    return AfterKept(absl::StrCat("the entry for ", task.name()),
                     task.submission(), settled.status());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Submission> PhotoLifecycle::Settle(
    absl::string_view submission_name) {
  absl::MutexLock lock(&mu_);
  return SettleLocked(submission_name);
}

absl::StatusOr<v1::Submission> PhotoLifecycle::SettleLocked(
    absl::string_view name) {
  ASSIGN_OR_RETURN(std::unique_ptr<SubmissionStore::Edit> edit,
                   submissions_->BeginEdit(name));
  v1::Submission& photo = edit->submission();
  if (photo.state() != v1::Submission::STATE_READ) return photo;
  ASSIGN_OR_RETURN(std::vector<storage::StoredReviewTask> tasks,
                   reviews_->TasksOf(photo));
  ASSIGN_OR_RETURN(Settlement settlement, SettlementOf(photo, tasks));
  if (settlement.outcome == Settlement::Outcome::kPending) return photo;
  ApplySettlement(settlement, &photo);
  rocksdb::WriteBatch batch;
  edit->Stage(&batch);
  if (photo.state() == v1::Submission::STATE_SETTLED) {
    RETURN_IF_ERROR(publisher_->Publish(photo.tps_code(), &photo, &batch));
  } else {
    RETURN_IF_ERROR(db_->Write(&batch));
  }
  return photo;
}

absl::Status PhotoLifecycle::Republish(absl::string_view tps) {
  absl::MutexLock lock(&mu_);
  rocksdb::WriteBatch nothing_else;
  return publisher_->Publish(tps, nullptr, &nothing_else);
}

}  // namespace c1tally
