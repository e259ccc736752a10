// OcrQueue: the durable queue of photos waiting for OCR, leased to workers.
//
// The queue is the submissions' RECEIVED index (oldest upload first); the
// lease state of each job lives in the ocr_jobs family. A job is leased for
// a while to one worker; if the worker dies, the lease runs out and the
// job is leased again. Only the holder of the current lease may complete
// or fail the job, so a job that was leased twice still produces exactly
// one reading. A job leased `max_attempts` times without a reading (worker
// failures or lost workers) ends as a FAILED submission with its reason.
//
// Every change is one RocksDB write (fsynced), so a restart loses no job
// and no reading; leases survive a restart too and simply run out.
//
// Thread-safe. The Database and SubmissionStore must outlive the queue.
#ifndef C1TALLY_STORAGE_OCR_QUEUE_H_
#define C1TALLY_STORAGE_OCR_QUEUE_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c1tally/v1/ingest.pb.h"
#include "c1tally/storage/records.pb.h"
#include "c1tally/v1/ocr.pb.h"
#include "storage/database.h"
#include "storage/submission_store.h"

namespace c1tally {

class OcrQueue {
 public:
  struct Options {
    // Leases per job before it ends as failed.
    int max_attempts = 3;
    // Bounds on the lease a worker asks for.
    absl::Duration min_lease = absl::Seconds(1);
    absl::Duration max_lease = absl::Minutes(10);
    std::function<absl::Time()> clock = absl::Now;
  };

  // Called when a job completes, with the submission as it will be stored
  // (state READ, reading set): may add operations to `batch`, which is
  // written with the submission (e.g. review tasks for fields in doubt). A
  // failure refuses the completion and keeps the job.
  using OnRead =
      std::function<absl::Status(const v1::Submission&, rocksdb::WriteBatch*)>;

  // Called after a completion is written, outside the queue's lock (e.g.
  // to settle a photo the machine read entirely). Its errors are its own.
  using AfterRead = std::function<void(const v1::Submission&)>;

  OcrQueue(Database* db, SubmissionStore* submissions, Options options,
           OnRead on_read = nullptr, AfterRead after_read = nullptr);

  // Leases the oldest job that is not leased now, with its photo.
  // NOT_FOUND when none is waiting. Jobs out of tries are failed on the way.
  absl::StatusOr<v1::OcrJob> Lease(absl::string_view worker_id,
                                   absl::Duration lease)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Stores `reading` for the job leased as `lease_id` and ends the job.
  // FAILED_PRECONDITION when that lease is no longer the job's (leased
  // again after it ran out, or the job already ended); NOT_FOUND for an
  // unknown job; INVALID_ARGUMENT for a malformed name.
  absl::StatusOr<v1::Submission> Complete(absl::string_view job_name,
                                          absl::string_view lease_id,
                                          const v1::Reading& reading)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Reports that the worker could not read the job. The job is leased again
  // until its tries run out; returns true when this was the last.
  absl::StatusOr<bool> Fail(absl::string_view job_name,
                            absl::string_view lease_id,
                            absl::string_view reason) ABSL_LOCKS_EXCLUDED(mu_);

  // Jobs waiting or leased.
  absl::StatusOr<int64_t> CountWaiting() const;

  // "ocrJobs/{tps}-{sha256}" for "submissions/{tps}-{sha256}", and back.
  static std::string JobNameOf(absl::string_view submission_name);
  static absl::StatusOr<std::string> SubmissionNameOf(
      absl::string_view job_name);

 private:
  struct Job {
    v1::Submission submission;
    std::string key;  // in kOcrJobs
    storage::StoredOcrJob stored;
  };

  // The job of submission `name` (stored state empty when never leased).
  absl::StatusOr<Job> LoadJob(absl::string_view submission_name) const;
  // The job named `job_name`, checked to be held under `lease_id`.
  absl::StatusOr<Job> HeldJob(absl::string_view job_name,
                              absl::string_view lease_id) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<v1::Submission> WriteCompletion(absl::string_view job_name,
                                                 absl::string_view lease_id,
                                                 const v1::Reading& reading)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Ends `job` as FAILED with `reason`.
  absl::Status EndFailed(const Job& job, absl::string_view reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Database* db_;
  SubmissionStore* submissions_;
  Options options_;
  OnRead on_read_;
  AfterRead after_read_;
  absl::Mutex mu_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_OCR_QUEUE_H_
