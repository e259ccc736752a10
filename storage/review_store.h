// ReviewStore: blind double entry of what the machine was not sure of.
//
// When a photo is read, every field in review becomes a task with the
// field's crop; a page the machine could not read becomes one whole-page
// task (a person picks the page and types its fields). A legislative
// photo, which no machine reads yet, is always one whole-page task: the
// person picks race and sheet (ballot_sheets.h) and types that sheet.
// Volunteers claim tasks one at a time (leased, so an abandoned claim comes
// back), never their own uploads and never a task they already entered; they
// are shown neither the machine's reading nor anybody's entry. Two equal
// entries verify a task; two different ones call for a third; if no two of
// three agree, the task is disputed and a moderator decides, with a reason that
// is kept with the task (and goes with the TPS's result into the tally
// journal, see TpsPublisher). Besides numbers, people may say "not a
// C.Hasil", "wrong TPS" or "unreadable"; once that is agreed the photo's
// other tasks close with it, and the photo is to end as FAILED.
//
// The store owns the review_tasks, review_open and volunteer_stats
// families and writes nothing else: what a settled task means for its
// photo is PhotoLifecycle's business (it calls Enter() and Resolve() and
// takes the next step). AddTasks() adds a read photo's tasks to the
// caller's batch, so that they land with the reading.
//
// Thread-safe: claims, entries, skips and decisions are serialized by the
// store's lock. The Database and SubmissionStore must outlive the store.
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
#include "storage/listing_page.h"
#include "storage/reference/race_forms.h"
#include "storage/submission_store.h"

namespace c1tally {

class ReviewStore {
 public:
  // Three digit boxes per field.
  static constexpr int64_t kMaxFieldValue = 999;
  static constexpr char kNamePrefix[] = "reviewTasks/";
  // What a whole-page task stands in for of its photo, where a field
  // task has its field's name.
  static constexpr char kPageTask[] = "page";

  struct Options {
    // How long a claimed task stays with its volunteer.
    absl::Duration lease = absl::Minutes(2);
    // The fields of each page, for whole-page tasks (from the form specs).
    std::map<int, std::vector<std::string>> page_fields;
    // The sheets of legislative photos (ballot_sheets.h), whose whole-page
    // tasks take one sheet per entry; null: such entries are refused.
    // Must outlive the store.
    const RaceForms* race_forms = nullptr;
    // Entries one volunteer may make per minute; a person reading crops
    // does not type faster, a script does. 0: no limit.
    int max_entries_per_minute = 60;
    // Every field goes to people, even those the machine accepted: a pilot
    // that measures the machine against people before trusting it.
    bool review_every_field = false;
    std::function<absl::Time()> clock = absl::Now;
  };

  ReviewStore(Database* db, const SubmissionStore* submissions,
              Options options);

  // Adds the tasks of the freshly read `submission` (state READ, reading
  // set) to `batch`. INVALID_ARGUMENT for a reading no photo can be
  // settled from: one that does not say whether the page was read, a read
  // page without its number, a field without a name, or an accepted field
  // without a value.
  absl::Status AddTasks(const v1::Submission& submission,
                        rocksdb::WriteBatch* batch) const;

  // The tasks of one photo (none when the machine read all of it), or of
  // every photo of a TPS, in task order.
  absl::StatusOr<std::vector<storage::StoredReviewTask>> TasksOf(
      const v1::Submission& submission) const;
  absl::StatusOr<std::vector<storage::StoredReviewTask>> TasksOfTps(
      absl::string_view tps) const;

  // Calls `visit` with every task of the database in task order and stops
  // at its first error. Static: it needs the database only (c1ctl runs it
  // on a stopped server's data).
  static absl::Status ForEachTask(
      Database* db,
      const std::function<absl::Status(
          const std::string& key, const storage::StoredReviewTask&)>& visit);

  // The oldest open task `volunteer` may enter, leased to them.
  // NOT_FOUND when there is none.
  absl::StatusOr<v1::ReviewTask> Claim(absl::string_view volunteer)
      ABSL_LOCKS_EXCLUDED(mu_);

  // One entry for the task leased as `lease_id` to `volunteer`. Returns the
  // task with its new state. RESOURCE_EXHAUSTED above the rate limit;
  // INVALID_ARGUMENT for an entry that does not fit the task (a number out
  // of 0..999, a field it does not have, a number with a verdict other
  // than VALUE, a sheet the TPS's ballot lacks, a sheet not typed whole);
  // FAILED_PRECONDITION when the lease is not theirs any more; NOT_FOUND for an
  // unknown task.
  absl::StatusOr<v1::ReviewTask> Enter(absl::string_view volunteer,
                                       absl::string_view lease_id,
                                       const v1::ReviewEntry& entry)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Gives a claimed task back; the volunteer may get it again later.
  absl::Status Skip(absl::string_view volunteer, absl::string_view task,
                    absl::string_view lease_id) ABSL_LOCKS_EXCLUDED(mu_);

  // One task by name, with the photo for a whole-page task.
  // INVALID_ARGUMENT for a malformed name, NOT_FOUND for an unknown one.
  absl::StatusOr<v1::ReviewTask> Get(absl::string_view name) const;

  // Tasks in task order; `filter` is "open", "disputed" or "" (all).
  absl::StatusOr<Page<v1::ReviewTask>> List(
      absl::string_view filter, int page_size,
      const std::string& page_token) const;

  // A moderator settles a task (disputed or not) with `decision`.
  // INVALID_ARGUMENT without a reason or for a decision that does not fit;
  // FAILED_PRECONDITION for a task already settled.
  absl::StatusOr<v1::ReviewTask> Resolve(absl::string_view moderator,
                                         absl::string_view task,
                                         const v1::ReviewEntry& decision,
                                         absl::string_view reason)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Counts of `volunteer` (zeros when they have none yet).
  absl::StatusOr<v1::VolunteerStats> Stats(absl::string_view volunteer) const;

  // Verified by people or resolved by a moderator (or closed with its
  // photo).
  static bool IsSettled(const v1::ReviewTask& task);
  // What people's verdict other than VALUE says about the photo, as a
  // remark.
  static std::string VerdictRemark(v1::ReviewEntry::Verdict verdict);

 private:
  absl::StatusOr<storage::StoredReviewTask> Load(absl::string_view key) const;
  // The task key of a task name. INVALID_ARGUMENT when malformed.
  static absl::StatusOr<std::string> KeyOf(absl::string_view name);
  // The tasks whose keys start with `prefix`.
  absl::StatusOr<std::vector<storage::StoredReviewTask>> TasksUnder(
      const std::string& prefix) const;
  absl::Status CheckEntry(const storage::StoredReviewTask& task,
                          const v1::ReviewEntry& entry) const;
  // RESOURCE_EXHAUSTED when `volunteer` is over the rate limit; else
  // counts this entry.
  absl::Status CountEntry(absl::string_view volunteer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Settles `stored` (under `key`) with `outcome` in `batch`: out of the
  // open queue, volunteers' counts updated, and, when people say the photo
  // is no usable form, the photo's other tasks closed.
  absl::Status SettleTask(const std::string& key,
                          storage::StoredReviewTask* stored,
                          const v1::ReviewEntry& outcome,
                          rocksdb::WriteBatch* batch) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Closes the unsettled tasks of the photo of `stored` but itself.
  absl::Status CloseOtherTasks(const std::string& key,
                               const storage::StoredReviewTask& stored,
                               rocksdb::WriteBatch* batch) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The task as served: lease fields and entry count filled.
  static v1::ReviewTask Served(const storage::StoredReviewTask& stored);
  // Adds the photo to a whole-page task, and a legislative one's sheets.
  absl::Status AddPageMaterial(v1::ReviewTask* task) const;
  // A whole-page entry for a legislative photo: one sheet's fields exactly.
  absl::Status CheckSheetEntry(const v1::ReviewTask& task,
                               const v1::ReviewEntry& entry) const;

  Database* db_;
  const SubmissionStore* submissions_;
  Options options_;
  absl::Mutex mu_;
  // Times of each volunteer's entries in the last minute (for the rate
  // limit; a restart forgets them, which costs at most a minute's slack).
  std::map<std::string, std::deque<absl::Time>> recent_entries_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REVIEW_STORE_H_
