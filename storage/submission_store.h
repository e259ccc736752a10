// SubmissionStore: uploaded photos of forms as submissions, with their
// indexes (by hash, by uploader, and the RECEIVED queue the OCR stage
// leases from), over a BlobStore for the bytes.
//
// Create() is the single writer of submissions. It stores the photo's
// bytes first (content-addressed, durable), then writes the submission, its
// index entries and any flags on other submissions of the same bytes in one
// WriteBatch. A crash in between leaves at most an unreferenced blob; a
// submission never exists without its bytes. Later changes of state come
// through Edit (PhotoLifecycle's), which keeps the RECEIVED queue in step.
// The store writes only its own families (submissions, their indexes, the
// RECEIVED queue). Reads take no lock.
//
// The Database and BlobStore must outlive the store.
#ifndef C1TALLY_STORAGE_SUBMISSION_STORE_H_
#define C1TALLY_STORAGE_SUBMISSION_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c1tally/v1/ingest.pb.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/region_tree.h"

namespace c1tally {

// Limits per uploader; 0 means no limit.
struct UploadQuota {
  int photos_per_hour = 0;
  int64_t bytes_per_day = 0;
};

// A checked photo on its way in.
struct NewPhoto {
  std::string tps_code;
  // "ppwp" or a legislative race (the uploader says which).
  std::string form_kind = "ppwp";
  std::string uploader;
  std::string bytes;
  std::string image_format;  // "jpeg", ...
  int width = 0;
  int height = 0;
};

class SubmissionStore {
 public:
  // Flag on every submission whose bytes were also uploaded for another TPS.
  static constexpr char kDuplicateOtherTps[] = "duplicate_other_tps";
  static constexpr char kNamePrefix[] = "submissions/";

  SubmissionStore(Database* db, BlobStore* blobs,
                  std::function<absl::Time()> clock = absl::Now);

  struct Created {
    v1::Submission submission;
    // False when the same bytes were already a submission of this TPS.
    bool created = false;
  };

  // Stores `photo` as a RECEIVED submission, or returns the existing one of
  // the same bytes and TPS (nothing is written then, and the quota is not
  // charged). INVALID_ARGUMENT: malformed code or not a TPS; NOT_FOUND: TPS
  // not in the region tree; RESOURCE_EXHAUSTED: over `quota`.
  absl::StatusOr<Created> Create(const NewPhoto& photo,
                                 const UploadQuota& quota)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // By name ("submissions/{tps}-{sha256 hex}"). INVALID_ARGUMENT for a
  // malformed name, NOT_FOUND for an unknown one.
  absl::StatusOr<v1::Submission> Get(absl::string_view name) const;

  // Submissions of a TPS, by hash; or of an uploader, by upload time. The
  // page token is opaque.
  absl::StatusOr<Page<v1::Submission>> ListByTps(
      absl::string_view tps, int page_size,
      const std::string& page_token) const;
  absl::StatusOr<Page<v1::Submission>> ListByUploader(
      absl::string_view uploader, int page_size,
      const std::string& page_token) const;

  // The photo of a submission.
  absl::StatusOr<std::string> ReadPhoto(const v1::Submission& submission) const;

  // Create()'s errors for the TPS code alone; lets a service refuse an
  // upload after its first chunk instead of after 25 MB. (The quota cannot
  // be checked that early: a repeat of a stored photo, e.g. a retry after a
  // lost answer, costs nothing and must succeed even at the limit.)
  absl::Status CheckTps(absl::string_view tps) const;

  // A change to one stored submission by a caller that writes it together
  // with other stores' keys (PhotoLifecycle). It holds the store's write
  // lock from Edit() until it is destroyed, so that Create()'s flags on the
  // same submission are not lost in between: the caller edits submission(),
  // adds Stage() to its batch and writes the batch while the Edit lives.
  // A thread holds at most one Edit and calls neither Create() nor Edit()
  // meanwhile (the lock is not reentrant).
  class Edit {
   public:
    ~Edit();
    Edit(const Edit&) = delete;
    Edit& operator=(const Edit&) = delete;

    v1::Submission& submission() { return submission_; }

    // Adds the submission as edited to `batch`, and takes it out of the
    // RECEIVED queue when it has left that state: the queue is this
    // store's index of the state, kept by the store alone.
    void Stage(rocksdb::WriteBatch* batch) const;

   private:
    friend class SubmissionStore;
    Edit(SubmissionStore* store, std::string key, v1::Submission stored);

    SubmissionStore* store_;
    std::string key_;
    v1::Submission::State stored_state_;
    v1::Submission submission_;
  };

  // The stored submission `name`, opened for a change. INVALID_ARGUMENT for
  // a malformed name, NOT_FOUND for an unknown one.
  absl::StatusOr<std::unique_ptr<Edit>> BeginEdit(absl::string_view name)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // Calls `visit` with every stored submission in key order (TPS, then
  // hash) and stops at its first error, which it returns. Takes no lock:
  // a submission changed meanwhile is seen before or after the change.
  absl::Status ForEach(
      const std::function<absl::Status(const v1::Submission&)>& visit) const;

  // The first submission waiting in the RECEIVED queue at or after
  // `queue_key` ("" = from the start) and its queue key; NOT_FOUND past the
  // end.
  struct Queued {
    std::string queue_key;
    std::string name;
  };
  absl::StatusOr<Queued> NextReceived(absl::string_view queue_key) const;

  static std::string NameOf(absl::string_view tps,
                            absl::string_view sha256_hex);
  // The storage key of a submission name. INVALID_ARGUMENT when malformed.
  static absl::StatusOr<std::string> KeyOf(absl::string_view name);

 private:
  // The stored submission under `key`, NOT_FOUND when absent.
  absl::StatusOr<v1::Submission> ReadKey(absl::string_view key) const;
  // RESOURCE_EXHAUSTED when one more photo of `size` bytes by `uploader` at
  // `now` would break `quota`. Counts the uploader's index entries of the
  // last 24 hours, so there are no counters to drift.
  absl::Status CheckQuota(absl::string_view uploader, int64_t size,
                          absl::Time now, const UploadQuota& quota) const;
  // Writes the new submission with its indexes, and flags the other
  // submissions of the same bytes.
  absl::StatusOr<v1::Submission> Insert(const NewPhoto& photo,
                                        const std::string& sha256_hex,
                                        absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Lists `family` under `prefix` after `page_token`, turning each entry
  // into a submission with `resolve`.
  absl::StatusOr<Page<v1::Submission>> ListRange(
      Family family, const std::string& prefix, int page_size,
      const std::string& page_token,
      const std::function<absl::StatusOr<v1::Submission>(
          absl::string_view key)>& resolve) const;

  Database* db_;
  BlobStore* blobs_;
  RegionTree tree_;
  std::function<absl::Time()> clock_;
  absl::Mutex write_mu_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SUBMISSION_STORE_H_
