// OcrQueue: the leases on the photos waiting for OCR.
//
// The queue is the submissions' RECEIVED index (oldest upload first), which
// the SubmissionStore keeps; this class owns only the lease record of each
// job, in the ocr_jobs family. A job is leased for a while to one worker;
// if the worker dies, the lease runs out and the job is leased again. Only
// the holder of the current lease may complete or fail the job, so a job
// that was leased twice still produces exactly one reading. A job leased
// `max_attempts` times without a reading is out of tries.
//
// The class reads, and adds its own keys to a caller's batch; it writes
// nothing itself. Its one caller, PhotoLifecycle, writes each step of a
// photo (lease, reading, failure) as one batch and serializes the steps,
// so the read-modify-write of a lease record is never interleaved. Reads
// are thread-safe. The Database and SubmissionStore must outlive the queue.
#ifndef C1TALLY_STORAGE_OCR_QUEUE_H_
#define C1TALLY_STORAGE_OCR_QUEUE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "c1tally/storage/records.pb.h"
#include "c1tally/v1/ingest.pb.h"
#include "c1tally/v1/ocr.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/submission_store.h"

namespace c1tally {

class OcrQueue {
 public:
  struct Options {
    // Leases per job before it is out of tries.
    int max_attempts = 3;
    // Bounds on the lease a worker asks for.
    absl::Duration min_lease = absl::Seconds(1);
    absl::Duration max_lease = absl::Minutes(10);
    std::function<absl::Time()> clock = absl::Now;
  };

  // A photo in the queue with its lease record.
  struct Job {
    v1::Submission submission;
    // Of the lease record, in kOcrJobs.
    std::string key;
    // Empty while the job was never leased.
    storage::StoredOcrJob stored;
  };

  OcrQueue(Database* db, const SubmissionStore* submissions, Options options);

  // The oldest job at or after `*cursor` ("" = the oldest of all) that no
  // live lease holds; moves `*cursor` past it. NOT_FOUND when none is left.
  absl::StatusOr<Job> NextFree(std::string* cursor) const;

  // True when `job` was leased max_attempts times already.
  bool OutOfTries(const Job& job) const;
  // Why a job out of tries ends unread: its last worker's reason, or that
  // no worker finished it.
  static std::string WhyUnread(const Job& job);

  // Leases `job` to `worker_id` for `lease` (kept within the options'
  // bounds): updates `job->stored`, adds the lease record to `batch` and
  // returns the job as served, without its photo.
  absl::StatusOr<v1::OcrJob> StageLease(Job* job, absl::string_view worker_id,
                                        absl::Duration lease,
                                        rocksdb::WriteBatch* batch) const;
  // Gives `job` back after its worker could not read it, for `reason`.
  void StageRetry(const Job& job, absl::string_view reason,
                  rocksdb::WriteBatch* batch) const;
  // Drops the lease record of a job that ended (read or failed).
  void StageEnd(const Job& job, rocksdb::WriteBatch* batch) const;

  // The job named `job_name`, checked to be held under `lease_id`.
  // FAILED_PRECONDITION when that lease is no longer the job's (leased
  // again after it ran out, or the job already ended); NOT_FOUND for an
  // unknown job; INVALID_ARGUMENT for a malformed name.
  absl::StatusOr<Job> Held(absl::string_view job_name,
                           absl::string_view lease_id) const;

  // Jobs waiting or leased.
  absl::StatusOr<int64_t> CountWaiting() const;

  // "ocrJobs/{tps}-{sha256}" for "submissions/{tps}-{sha256}", and back.
  static std::string JobNameOf(absl::string_view submission_name);
  static absl::StatusOr<std::string> SubmissionNameOf(
      absl::string_view job_name);

 private:
  // The job of submission `name` (stored state empty when never leased).
  absl::StatusOr<Job> LoadJob(absl::string_view submission_name) const;

  Database* db_;
  const SubmissionStore* submissions_;
  Options options_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_OCR_QUEUE_H_
