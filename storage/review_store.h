// ReviewStore: blind double entry of what the machine was not sure of, and
// the settling of photos into TPS results.
//
// When a photo is read, every field in review becomes a task with the
// field's crop; a page the machine could not read becomes one whole-page
// task (a person picks the page and types its fields). Volunteers claim
// tasks one at a time (leased, so an abandoned claim comes back), never
// their own uploads and never a task they already entered; they are shown
// neither the machine's reading nor anybody's entry. Two equal entries
// verify a task; two different ones call for a third; if no two of three
// agree, the task is disputed and a moderator decides, with a reason that
// is kept with the task and in the result's provenance (and so in the
// tally journal). Besides numbers, people may say "not a C.Hasil", "wrong
// TPS" or "unreadable"; agreed, that ends the photo as FAILED.
//
// A photo is settled when every value on it is: its values go on the
// submission, and the TPS's settled pages are joined (tps_pages.h) and
// published through the TallyStore. Settling is idempotent, so running it
// again after a crash is safe.
//
// Thread-safe. Everything passed in must outlive the store.
#ifndef C1TALLY_STORAGE_REVIEW_STORE_H_
#define C1TALLY_STORAGE_REVIEW_STORE_H_

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c1tally/storage/records.pb.h"
#include "c1tally/v1/review.pb.h"
#include "storage/database.h"
#include "storage/submission_store.h"
#include "storage/tally_store.h"

namespace c1tally {

class ReviewStore {
 public:
  // Three digit boxes per field.
  static constexpr int64_t kMaxFieldValue = 999;

  struct Options {
    // How long a claimed task stays with its volunteer.
    absl::Duration lease = absl::Minutes(2);
    // The fields of each page, for whole-page tasks (from the form specs).
    std::map<int, std::vector<std::string>> page_fields;
    // Entries one volunteer may make per minute; a person reading crops
    // does not type faster, a script does. 0: no limit.
    int max_entries_per_minute = 60;
    // Every field goes to people, even those the machine accepted: a pilot
    // that measures the machine against people before trusting it.
    bool review_every_field = false;
    // The kind of the results published ("ppwp"); must outlive the store.
    const v1::FormKind* form_kind = nullptr;
    std::function<absl::Time()> clock = absl::Now;
  };

  ReviewStore(Database* db, SubmissionStore* submissions, TallyStore* tally,
              Options options);

  // For OcrQueue::OnRead: adds the tasks of the freshly read `submission`
  // to `batch`.
  absl::Status AddTasks(const v1::Submission& submission,
                        rocksdb::WriteBatch* batch) const;

  // Settles the submission if every value on it is settled, then publishes
  // its TPS. Does nothing otherwise. Idempotent.
  absl::Status SettleIfDone(absl::string_view submission_name)
      ABSL_LOCKS_EXCLUDED(mu_);

  // After a restart: settles what a crash left between a reading (or the
  // last entry) and its settling, and publishes every TPS with a settled
  // photo again (a no-op where nothing changed). Reads every submission.
  // Returns how many submissions it settled.
  absl::StatusOr<int> Recover() ABSL_LOCKS_EXCLUDED(mu_);

  // The oldest open task `volunteer` may enter, leased to them.
  // NOT_FOUND when there is none.
  absl::StatusOr<v1::ReviewTask> Claim(absl::string_view volunteer)
      ABSL_LOCKS_EXCLUDED(mu_);

  // One entry for the task leased as `lease_id` to `volunteer`. Returns the
  // task with its new state. RESOURCE_EXHAUSTED above the rate limit;
  // INVALID_ARGUMENT for an entry that does not
  // fit the task (a number out of 0..999, a field it does not have, a
  // number with a verdict other than VALUE); FAILED_PRECONDITION when the
  // lease is not theirs any more; NOT_FOUND for an unknown task.
  absl::StatusOr<v1::ReviewTask> Enter(absl::string_view volunteer,
                                       absl::string_view lease_id,
                                       const v1::ReviewEntry& entry)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Gives a claimed task back; the volunteer may get it again later.
  absl::Status Skip(absl::string_view volunteer, absl::string_view task,
                    absl::string_view lease_id) ABSL_LOCKS_EXCLUDED(mu_);

  // Tasks in task order; `filter` is "open", "disputed" or "" (all).
  // One task by name, with the photo for a whole-page task.
  // INVALID_ARGUMENT for a malformed name, NOT_FOUND for an unknown one.
  absl::StatusOr<v1::ReviewTask> Get(absl::string_view name) const;

  absl::StatusOr<Page<v1::ReviewTask>> List(
      absl::string_view filter, int page_size,
      const std::string& page_token) const;

  // A moderator settles a task (disputed or not) with `decision`.
  // INVALID_ARGUMENT without a reason or for a decision that does not fit.
  absl::StatusOr<v1::ReviewTask> Resolve(absl::string_view moderator,
                                         absl::string_view task,
                                         const v1::ReviewEntry& decision,
                                         absl::string_view reason)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Writes the digit boxes of every field people settled as
  // `out_dir`/<class>/<task>-<box>.png, the layout tools/train_digits
  // --extra reads. Only boxes whose class the number fixes: the digits of
  // the number, not the leading boxes (X, blank or 0, the number cannot
  // tell) and nothing of a 0. Returns the boxes written. Static: it needs
  // the database only (c1ctl runs it on a stopped server's data).
  static absl::StatusOr<int> ExportTrainingCrops(Database* db,
                                                 const std::string& out_dir);

  // Counts of `volunteer` (zeros when they have none yet).
  absl::StatusOr<v1::VolunteerStats> Stats(absl::string_view volunteer) const;

  static constexpr char kNamePrefix[] = "reviewTasks/";

 private:
  absl::StatusOr<storage::StoredReviewTask> Load(absl::string_view key) const;
  // The task key of a task name. INVALID_ARGUMENT when malformed.
  static absl::StatusOr<std::string> KeyOf(absl::string_view name);
  absl::Status CheckEntry(const storage::StoredReviewTask& task,
                          const v1::ReviewEntry& entry) const;
  // Settles `stored` with `outcome` in `batch`: out of the open queue,
  // volunteers' counts updated.
  absl::Status SettleTask(storage::StoredReviewTask* stored,
                          const v1::ReviewEntry& outcome,
                          rocksdb::WriteBatch* batch) const;
  // After `stored` settled: ends the submission as FAILED when people said
  // it is no usable form, else settles it if it is done.
  absl::Status AfterSettled(const storage::StoredReviewTask& stored)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SettleLocked(absl::string_view submission_name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status PublishTps(absl::string_view tps)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The task as served: lease fields and entry count filled.
  static v1::ReviewTask Served(const storage::StoredReviewTask& stored);
  // Adds the photo to a whole-page task.
  absl::Status AddPhoto(v1::ReviewTask* task) const;

  Database* db_;
  SubmissionStore* submissions_;
  TallyStore* tally_;
  Options options_;
  absl::Mutex mu_;
  // Times of each volunteer's entries in the last minute (for the rate
  // limit; a restart forgets them, which costs at most a minute's slack).
  std::map<std::string, std::deque<absl::Time>> recent_entries_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REVIEW_STORE_H_
