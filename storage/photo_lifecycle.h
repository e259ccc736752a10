// PhotoLifecycle: every change of state of an uploaded photo after its
// upload, across the stores that hold a part of it.
//
// A photo's way, each step one atomic RocksDB write:
//
//   RECEIVED  (SubmissionStore::Create, in the OCR queue)
//     | Lease        the lease record (OcrQueue)
//     | Read         the reading on the submission, out of the queue, the
//     v              lease record dropped, its review tasks (ReviewStore)
//   READ
//     | Settle       when its last task is settled (or it needs none): its
//     v              values on the submission and its TPS's result
//   SETTLED          published (TpsPublisher → TallyStore), together
//
//   A legislative photo goes RECEIVED → READ without a worker
//   (HandToPeople): no machine reads those forms yet, so its reading says
//   so and its one task is the whole page, for people.
//
//   and FAILED from RECEIVED (a reading failed on every try: the failure
//   on the submission, out of the queue, the lease record dropped) or
//   from READ (people agreed it is no usable form).
//
// The stores own their keys and add them to the step's batch; none writes
// another's. A step that fails writes nothing, and its error is returned
// to the caller of the call that took it. A call may take two steps (a
// reading that needs no people settles at once; an entry that settles the
// last task settles the photo): when the second fails, the first stands
// (the reading or the entry is kept), the error says so, and the photo
// waits, unsettled but whole, for the next entry, the next Settle() or
// RecoverPhotos() at the next start.
//
// Thread-safe: the steps are serialized by one lock, so the lease records
// and the photos of one TPS are never changed by two steps at once.
// Everything passed in must outlive the lifecycle.
#ifndef C1TALLY_STORAGE_PHOTO_LIFECYCLE_H_
#define C1TALLY_STORAGE_PHOTO_LIFECYCLE_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c1tally/v1/ingest.pb.h"
#include "c1tally/v1/ocr.pb.h"
#include "c1tally/v1/review.pb.h"
#include "storage/database.h"
#include "storage/ocr_queue.h"
#include "storage/review_store.h"
#include "storage/submission_store.h"
#include "storage/tps_publisher.h"

namespace c1tally {

// True for a photo people read whole, with no machine reading: one of a
// legislative race.
bool ReadByPeopleOnly(const v1::Submission& photo);

class PhotoLifecycle {
 public:
  PhotoLifecycle(Database* db, SubmissionStore* submissions, OcrQueue* queue,
                 ReviewStore* reviews, const TpsPublisher* publisher);

  // RECEIVED → leased: the oldest photo no live lease holds, with its
  // bytes, leased to `worker_id` for `lease`. Photos out of tries end as
  // FAILED on the way, legislative ones go to people (a step each).
  // NOT_FOUND when none is waiting.
  absl::StatusOr<v1::OcrJob> Lease(absl::string_view worker_id,
                                   absl::Duration lease)
      ABSL_LOCKS_EXCLUDED(mu_);

  // leased → READ, and → SETTLED when the machine read every value: stores
  // `reading` for the job leased as `lease_id` and returns the photo as
  // read. FAILED_PRECONDITION when that lease is no longer the job's (see
  // OcrQueue::Held); NOT_FOUND for an unknown job; INVALID_ARGUMENT for a
  // malformed name or a reading no photo can be settled from (see
  // ReviewStore::AddTasks); nothing is written then. When the reading is
  // stored but settling fails, the settling's error, saying so.
  absl::StatusOr<v1::Submission> Read(absl::string_view job_name,
                                      absl::string_view lease_id,
                                      const v1::Reading& reading)
      ABSL_LOCKS_EXCLUDED(mu_);

  // RECEIVED → READ for a photo no machine reads (of a legislative race):
  // a reading that says so and one whole-page task, in one write. Nothing
  // for any other photo, or one past RECEIVED. Returns the photo as it then
  // stands. Errors as BeginEdit's and the task's.
  absl::StatusOr<v1::Submission> HandToPeople(absl::string_view name)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The worker could not read the job leased as `lease_id`: it is leased
  // again until its tries run out, then the photo ends as FAILED with
  // `reason`. Returns true when this was the last try. Errors as Read's.
  absl::StatusOr<bool> FailReading(absl::string_view job_name,
                                   absl::string_view lease_id,
                                   absl::string_view reason)
      ABSL_LOCKS_EXCLUDED(mu_);

  // ReviewStore::Enter and ReviewStore::Resolve, then the photo's next
  // step when the task is settled by it. Their errors, nothing written;
  // or, when the entry is stored but settling its photo fails, the
  // settling's error, saying so.
  absl::StatusOr<v1::ReviewTask> Enter(absl::string_view volunteer,
                                       absl::string_view lease_id,
                                       const v1::ReviewEntry& entry)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<v1::ReviewTask> Resolve(absl::string_view moderator,
                                         absl::string_view task,
                                         const v1::ReviewEntry& decision,
                                         absl::string_view reason)
      ABSL_LOCKS_EXCLUDED(mu_);

  // READ → SETTLED or FAILED when every task of photo `submission_name` is
  // settled; nothing when one is not, or when the photo is past READ or
  // not yet there. Returns the photo as it then stands. Idempotent.
  absl::StatusOr<v1::Submission> Settle(absl::string_view submission_name)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Publishes `tps` from its settled photos again (a no-op when nothing
  // changed).
  absl::Status Republish(absl::string_view tps) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::StatusOr<v1::Submission> SettleLocked(absl::string_view name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<v1::Submission> HandToPeopleLocked(absl::string_view name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // RECEIVED → FAILED for `job`, which ran out of tries.
  absl::Status EndUnread(const OcrQueue::Job& job, absl::string_view reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After `task` changed by an entry or a decision: the photo's step.
  absl::Status AfterTask(const v1::ReviewTask& task) ABSL_LOCKS_EXCLUDED(mu_);

  Database* db_;
  SubmissionStore* submissions_;
  OcrQueue* queue_;
  ReviewStore* reviews_;
  const TpsPublisher* publisher_;
  absl::Mutex mu_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_PHOTO_LIFECYCLE_H_
