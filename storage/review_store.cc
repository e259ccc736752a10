#include "storage/review_store.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "storage/keys.h"
#include "storage/listing_page.h"
#include "storage/secret_hash.h"
#include "storage/status_macros.h"
#include "storage/tps_pages.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kPageTask[] = "page";
// Equal entries needed to verify a task, and entries before a dispute.
constexpr int kAgreeing = 2;
constexpr int kMostEntries = 3;

int64_t MicrosOf(absl::Time time) { return absl::ToUnixMicros(time); }

// "{tps}-{sha256}-" : the prefix of every task of a submission.
std::string TaskPrefix(const v1::Submission& submission) {
  return absl::StrCat(submission.tps_code(), "-", submission.sha256(), "-");
}

// What two entries must share to agree: verdict, page and every value.
std::string AgreementKey(const v1::ReviewEntry& entry) {
  std::map<std::string, int64_t> values(entry.values().begin(),
                                        entry.values().end());
  return absl::StrCat(entry.verdict(), "|", entry.page(), "|",
                      absl::StrJoin(values, ",", absl::PairFormatter("=")));
}

bool IsSettled(const v1::ReviewTask& task) {
  return task.state() == v1::ReviewTask::STATE_VERIFIED ||
         task.state() == v1::ReviewTask::STATE_RESOLVED;
}

std::string VerdictRemark(v1::ReviewEntry::Verdict verdict) {
  switch (verdict) {
    case v1::ReviewEntry::VERDICT_NOT_A_FORM:
      return "people: not a C.Hasil form";
    case v1::ReviewEntry::VERDICT_WRONG_TPS:
      return "people: the photo is of another TPS";
    default:
      return "people: unreadable";
  }
}

}  // namespace

ReviewStore::ReviewStore(Database* db, SubmissionStore* submissions,
                         TallyStore* tally, Options options)
    : db_(db),
      submissions_(submissions),
      tally_(tally),
      options_(std::move(options)) {}

absl::Status ReviewStore::AddTasks(const v1::Submission& submission,
                                   rocksdb::WriteBatch* batch) const {
  const v1::Reading& reading = submission.reading();
  const int64_t now = MicrosOf(options_.clock());
  // A task for `field`, or for the whole page when it is null.
  auto add = [&](const v1::FieldReading* field) {
    storage::StoredReviewTask stored;
    const std::string key =
        TaskPrefix(submission) + (field != nullptr ? field->name() : kPageTask);
    v1::ReviewTask* task = stored.mutable_task();
    task->set_name(absl::StrCat(kNamePrefix, key));
    task->set_kind(field != nullptr ? v1::ReviewTask::KIND_FIELD
                                    : v1::ReviewTask::KIND_PAGE);
    task->set_state(v1::ReviewTask::STATE_OPEN);
    task->set_submission(submission.name());
    task->set_tps_code(submission.tps_code());
    task->set_page(reading.page());
    if (field != nullptr) {
      task->set_field(field->name());
      task->set_image_png(field->crop_png());
      *stored.mutable_box_png() = field->box_png();
    }
    stored.set_uploader(submission.uploader());
    stored.set_queue_key(keys::Sequence(now) + key);
    batch->Put(db_->handle(Family::kReviewTasks), key,
               stored.SerializeAsString());
    batch->Put(db_->handle(Family::kReviewOpen), stored.queue_key(), "");
  };
  if (reading.error() != v1::Reading::ERROR_NONE) {
    add(nullptr);
    return absl::OkStatus();
  }
  for (const v1::FieldReading& field : reading.fields()) {
    if (options_.review_every_field ||
        field.status() != v1::FieldReading::STATUS_ACCEPTED) {
      add(&field);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReviewStore::KeyOf(absl::string_view name) {
  absl::string_view key = name;
  if (!absl::ConsumePrefix(&key, kNamePrefix) || key.empty() ||
      key.find('/') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad review task name \"", name,
                     "\"; expected reviewTasks/{tps}-{sha256}-{field}"));
  }
  return std::string(key);
}

absl::StatusOr<storage::StoredReviewTask> ReviewStore::Load(
    absl::string_view key) const {
  std::string value;
  RETURN_IF_ERROR(db_->Get(Family::kReviewTasks, key, &value,
                           absl::StrCat("review task ", key)));
  storage::StoredReviewTask stored;
  if (!stored.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("review task ", key, " corrupt"));
  }
  return stored;
}

v1::ReviewTask ReviewStore::Served(const storage::StoredReviewTask& stored) {
  v1::ReviewTask task = stored.task();
  task.set_lease_id(stored.lease_id());
  if (!stored.lease_id().empty()) {
    *task.mutable_lease_expire_time() =
        TimeUtil::MicrosecondsToTimestamp(stored.lease_expire_micros());
  }
  task.set_entry_count(stored.entries_size());
  return task;
}

absl::StatusOr<v1::ReviewTask> ReviewStore::Claim(absl::string_view volunteer) {
  absl::MutexLock lock(&mu_);
  const int64_t now = MicrosOf(options_.clock());
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kReviewOpen);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view queue_key = View(it->key());
    if (queue_key.size() <= 8) continue;
    const std::string key(queue_key.substr(8));
    ASSIGN_OR_RETURN(storage::StoredReviewTask stored, Load(key));
    const bool leased_to_other = !stored.lease_id().empty() &&
                                 stored.lease_expire_micros() > now &&
                                 stored.lease_holder() != volunteer;
    const bool entered =
        std::any_of(stored.entries().begin(), stored.entries().end(),
                    [&](const storage::StoredReviewEntry& e) {
                      return e.volunteer() == volunteer;
                    });
    if (leased_to_other || entered || stored.uploader() == volunteer) {
      continue;
    }
    absl::StatusOr<std::string> lease = RandomBytes(16);
    if (!lease.ok()) return lease.status();
    stored.set_lease_holder(std::string(volunteer));
    stored.set_lease_id(absl::BytesToHexString(*lease));
    stored.set_lease_expire_micros(now +
                                   absl::ToInt64Microseconds(options_.lease));
    rocksdb::WriteBatch batch;
    batch.Put(db_->handle(Family::kReviewTasks), key,
              stored.SerializeAsString());
    RETURN_IF_ERROR(db_->Write(&batch));
    v1::ReviewTask task = Served(stored);
    RETURN_IF_ERROR(AddPhoto(&task));
    return task;
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "review queue");
  return absl::NotFoundError("no review task waiting for you");
}

absl::Status ReviewStore::CheckEntry(const storage::StoredReviewTask& stored,
                                     const v1::ReviewEntry& entry) const {
  const v1::ReviewTask& task = stored.task();
  if (entry.verdict() == v1::ReviewEntry::VERDICT_UNSPECIFIED) {
    return absl::InvalidArgumentError("an entry needs a verdict");
  }
  if (entry.verdict() != v1::ReviewEntry::VERDICT_VALUE) {
    if (!entry.values().empty()) {
      return absl::InvalidArgumentError(
          "numbers go with the VALUE verdict only");
    }
    return absl::OkStatus();
  }
  for (const auto& [field, value] : entry.values()) {
    if (value < 0 || value > kMaxFieldValue) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " = ", value, ": a field holds 0 to ",
                       kMaxFieldValue, " (three boxes)"));
    }
  }
  if (task.kind() == v1::ReviewTask::KIND_FIELD) {
    if (entry.values().size() != 1 || !entry.values().contains(task.field())) {
      return absl::InvalidArgumentError(
          absl::StrCat("this task takes one number, for ", task.field()));
    }
    return absl::OkStatus();
  }
  auto page = options_.page_fields.find(entry.page());
  if (page == options_.page_fields.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("page ", entry.page(), " is not a page of the form"));
  }
  for (const std::string& field : page->second) {
    if (!entry.values().contains(field)) {
      return absl::InvalidArgumentError(
          absl::StrCat("page ", entry.page(), " needs ", field));
    }
  }
  if (entry.values().size() != page->second.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page ", entry.page(), " has only ", page->second.size(), " fields"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReviewTask> ReviewStore::Enter(
    absl::string_view volunteer, absl::string_view lease_id,
    const v1::ReviewEntry& entry) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(std::string key, KeyOf(entry.task()));
  absl::StatusOr<storage::StoredReviewTask> stored = Load(key);
  if (absl::IsNotFound(stored.status())) {
    return absl::NotFoundError(absl::StrCat(entry.task(), " not found"));
  }
  if (!stored.ok()) return stored.status();
  if (stored->task().state() != v1::ReviewTask::STATE_OPEN ||
      lease_id.empty() || stored->lease_id() != lease_id ||
      stored->lease_holder() != volunteer) {
    return absl::FailedPreconditionError(
        absl::StrCat(entry.task(),
                     " is not claimed by you under this lease (it ran out, "
                     "was entered, or was settled); claim a task again"));
  }
  RETURN_IF_ERROR(CheckEntry(*stored, entry));
  if (options_.max_entries_per_minute > 0) {
    const absl::Time now = options_.clock();
    std::deque<absl::Time>& recent = recent_entries_[std::string(volunteer)];
    while (!recent.empty() && recent.front() <= now - absl::Minutes(1)) {
      recent.pop_front();
    }
    if (static_cast<int>(recent.size()) >= options_.max_entries_per_minute) {
      return absl::ResourceExhaustedError(
          absl::StrCat("more than ", options_.max_entries_per_minute,
                       " entries a minute; slow down"));
    }
    recent.push_back(now);
  }

  storage::StoredReviewEntry* added = stored->add_entries();
  added->set_volunteer(std::string(volunteer));
  *added->mutable_entry() = entry;
  *added->mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(MicrosOf(options_.clock()));
  stored->clear_lease_holder();
  stored->clear_lease_id();
  stored->clear_lease_expire_micros();

  // Two equal entries settle it; a third breaks a tie; else a moderator.
  std::map<std::string, int> counts;
  const v1::ReviewEntry* agreed = nullptr;
  for (const storage::StoredReviewEntry& e : stored->entries()) {
    if (++counts[AgreementKey(e.entry())] >= kAgreeing) agreed = &e.entry();
  }
  rocksdb::WriteBatch batch;
  if (agreed != nullptr) {
    const v1::ReviewEntry outcome = *agreed;
    stored->mutable_task()->set_state(v1::ReviewTask::STATE_VERIFIED);
    RETURN_IF_ERROR(SettleTask(&*stored, outcome, &batch));
  } else if (stored->entries_size() >= kMostEntries) {
    stored->mutable_task()->set_state(v1::ReviewTask::STATE_DISPUTED);
    batch.Delete(db_->handle(Family::kReviewOpen), stored->queue_key());
  }
  batch.Put(db_->handle(Family::kReviewTasks), key,
            stored->SerializeAsString());
  RETURN_IF_ERROR(db_->Write(&batch));
  if (IsSettled(stored->task())) {
    RETURN_IF_ERROR(AfterSettled(*stored));
  }
  return Served(*stored);
}

absl::Status ReviewStore::SettleTask(storage::StoredReviewTask* stored,
                                     const v1::ReviewEntry& outcome,
                                     rocksdb::WriteBatch* batch) const {
  *stored->mutable_outcome() = outcome;
  stored->clear_lease_holder();
  stored->clear_lease_id();
  stored->clear_lease_expire_micros();
  batch->Delete(db_->handle(Family::kReviewOpen), stored->queue_key());
  const std::string agreed = AgreementKey(outcome);
  for (const storage::StoredReviewEntry& e : stored->entries()) {
    ASSIGN_OR_RETURN(v1::VolunteerStats stats, Stats(e.volunteer()));
    stats.set_entries(stats.entries() + 1);
    if (AgreementKey(e.entry()) == agreed) {
      stats.set_agreed(stats.agreed() + 1);
    } else {
      stats.set_disagreed(stats.disagreed() + 1);
    }
    // Two entries of one volunteer's in one batch cannot happen: a
    // volunteer enters a task once.
    batch->Put(db_->handle(Family::kVolunteerStats), e.volunteer(),
               stats.SerializeAsString());
  }
  return absl::OkStatus();
}

absl::Status ReviewStore::AfterSettled(const storage::StoredReviewTask& stored) {
  const v1::ReviewEntry& outcome = stored.outcome();
  if (outcome.verdict() == v1::ReviewEntry::VERDICT_VALUE) {
    return SettleLocked(stored.task().submission());
  }
  // People say the photo is no usable form: it ends, and its other tasks
  // with it.
  absl::StatusOr<v1::Submission> failed = submissions_->Update(
      stored.task().submission(),
      [&](v1::Submission* submission, rocksdb::WriteBatch* batch) {
        if (submission->state() != v1::Submission::STATE_READ) {
          return absl::OkStatus();
        }
        submission->set_state(v1::Submission::STATE_FAILED);
        submission->add_remarks(VerdictRemark(outcome.verdict()));
        const std::string prefix = TaskPrefix(*submission);
        std::unique_ptr<rocksdb::Iterator> it =
            db_->NewIterator(Family::kReviewTasks);
        for (it->Seek(prefix);
             it->Valid() && absl::StartsWith(View(it->key()), prefix);
             it->Next()) {
          storage::StoredReviewTask other;
          if (!other.ParseFromString(std::string(View(it->value())))) {
            return absl::DataLossError("corrupt review task");
          }
          if (IsSettled(other.task())) continue;
          other.mutable_task()->set_state(v1::ReviewTask::STATE_RESOLVED);
          other.set_resolve_reason(VerdictRemark(outcome.verdict()));
          batch->Delete(db_->handle(Family::kReviewOpen), other.queue_key());
          batch->Put(db_->handle(Family::kReviewTasks),
                     std::string(View(it->key())), other.SerializeAsString());
        }
        return FromRocksStatus(it->status(), "review tasks");
      });
  return failed.status();
}

absl::Status ReviewStore::SettleIfDone(absl::string_view submission_name) {
  absl::MutexLock lock(&mu_);
  return SettleLocked(submission_name);
}

absl::Status ReviewStore::SettleLocked(absl::string_view submission_name) {
  ASSIGN_OR_RETURN(v1::Submission submission,
                   submissions_->Get(submission_name));
  if (submission.state() == v1::Submission::STATE_SETTLED) {
    return PublishTps(submission.tps_code());
  }
  if (submission.state() != v1::Submission::STATE_READ) {
    return absl::OkStatus();
  }
  // The tasks of this photo, by field.
  std::map<std::string, storage::StoredReviewTask> tasks;
  const std::string prefix = TaskPrefix(submission);
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kReviewTasks);
  for (it->Seek(prefix);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    storage::StoredReviewTask task;
    if (!task.ParseFromString(std::string(View(it->value())))) {
      return absl::DataLossError("corrupt review task");
    }
    if (!IsSettled(task.task())) return absl::OkStatus();  // not yet
    if (task.outcome().verdict() != v1::ReviewEntry::VERDICT_VALUE) {
      // People said it is no usable form; a crash may have come between
      // their verdict and ending the photo.
      return AfterSettled(task);
    }
    tasks[std::string(View(it->key()).substr(prefix.size()))] = task;
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "tasks");

  int page = submission.reading().page();
  std::map<std::string, int64_t> values;
  std::map<std::string, std::string> by;
  auto people = [](const storage::StoredReviewTask& task) {
    return task.resolved_by().empty() ? "people" : "moderator";
  };
  if (auto whole = tasks.find(kPageTask); whole != tasks.end()) {
    page = whole->second.outcome().page();
    for (const auto& [field, value] : whole->second.outcome().values()) {
      values[field] = value;
      by[field] = people(whole->second);
    }
  } else {
    for (const v1::FieldReading& field : submission.reading().fields()) {
      auto task = tasks.find(field.name());
      if (task != tasks.end()) {
        values[field.name()] = task->second.outcome().values().at(field.name());
        by[field.name()] = people(task->second);
      } else if (field.status() == v1::FieldReading::STATUS_ACCEPTED &&
                 field.has_value()) {
        values[field.name()] = field.value();
        by[field.name()] = "machine";
      } else {
        return absl::InternalError(
            absl::StrCat("field ", field.name(), " of ", submission_name,
                         " is neither accepted nor a task"));
      }
    }
  }
  absl::StatusOr<v1::Submission> settled = submissions_->Update(
      submission_name, [&](v1::Submission* s, rocksdb::WriteBatch*) {
        if (s->state() != v1::Submission::STATE_READ) return absl::OkStatus();
        s->set_state(v1::Submission::STATE_SETTLED);
        s->set_settled_page(page);
        s->mutable_settled_values()->insert(values.begin(), values.end());
        s->mutable_settled_by()->insert(by.begin(), by.end());
        return absl::OkStatus();
      });
  if (!settled.ok()) return settled.status();
  return PublishTps(settled->tps_code());
}

absl::StatusOr<int> ReviewStore::Recover() {
  absl::MutexLock lock(&mu_);
  std::vector<std::string> read;
  std::set<std::string> settled_tps;
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kSubmissions);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::Submission submission;
    if (!submission.ParseFromString(std::string(View(it->value())))) {
      return absl::DataLossError("corrupt submission");
    }
    if (submission.state() == v1::Submission::STATE_READ) {
      read.push_back(submission.name());
    } else if (submission.state() == v1::Submission::STATE_SETTLED) {
      settled_tps.insert(submission.tps_code());
    }
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "submissions");
  int settled = 0;
  for (const std::string& name : read) {
    RETURN_IF_ERROR(SettleLocked(name));
    ASSIGN_OR_RETURN(v1::Submission now, submissions_->Get(name));
    settled += now.state() == v1::Submission::STATE_SETTLED;
  }
  for (const std::string& tps : settled_tps) {
    RETURN_IF_ERROR(PublishTps(tps));
  }
  return settled;
}

absl::Status ReviewStore::PublishTps(absl::string_view tps) {
  std::vector<v1::Submission> all;
  std::string token;
  do {
    ASSIGN_OR_RETURN(Page<v1::Submission> page,
                     submissions_->ListByTps(tps, 0, token));
    for (v1::Submission& submission : page.items) {
      all.push_back(std::move(submission));
    }
    token = page.next_page_token;
  } while (!token.empty());
  std::optional<v1::TpsResult> result =
      JoinSettledPages(*options_.form_kind, all);
  if (!result.has_value()) return absl::OkStatus();
  // Moderators' reasons travel with the result into the journal.
  std::vector<std::string> reasons;
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kReviewTasks);
  const std::string prefix = absl::StrCat(tps, "-");
  for (it->Seek(prefix);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    storage::StoredReviewTask task;
    if (task.ParseFromString(std::string(View(it->value()))) &&
        !task.resolved_by().empty() && !task.resolve_reason().empty()) {
      reasons.push_back(absl::StrCat(task.task().field(), ": ",
                                     task.resolve_reason(), " (",
                                     task.resolved_by(), ")"));
    }
  }
  result->mutable_provenance()->set_note(absl::StrJoin(reasons, "; "));
  return tally_->SetResults({*std::move(result)}).status();
}

absl::Status ReviewStore::Skip(absl::string_view volunteer,
                               absl::string_view task,
                               absl::string_view lease_id) {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(std::string key, KeyOf(task));
  ASSIGN_OR_RETURN(storage::StoredReviewTask stored, Load(key));
  if (lease_id.empty() || stored.lease_id() != lease_id ||
      stored.lease_holder() != volunteer) {
    return absl::FailedPreconditionError(
        absl::StrCat(task, " is not claimed by you under this lease"));
  }
  stored.clear_lease_holder();
  stored.clear_lease_id();
  stored.clear_lease_expire_micros();
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(Family::kReviewTasks), key, stored.SerializeAsString());
  return db_->Write(&batch);
}

absl::Status ReviewStore::AddPhoto(v1::ReviewTask* task) const {
  if (task->kind() != v1::ReviewTask::KIND_PAGE) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Submission submission,
                   submissions_->Get(task->submission()));
  ASSIGN_OR_RETURN(std::string photo, submissions_->ReadPhoto(submission));
  task->set_photo(std::move(photo));
  return absl::OkStatus();
}

absl::StatusOr<v1::ReviewTask> ReviewStore::Get(absl::string_view name) const {
  ASSIGN_OR_RETURN(std::string key, KeyOf(name));
  ASSIGN_OR_RETURN(storage::StoredReviewTask stored, Load(key));
  v1::ReviewTask task = Served(stored);
  RETURN_IF_ERROR(AddPhoto(&task));
  return task;
}

absl::StatusOr<Page<v1::ReviewTask>> ReviewStore::List(
    absl::string_view filter, int page_size,
    const std::string& page_token) const {
  if (filter != "" && filter != "open" && filter != "disputed") {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown filter \"", filter, "\"; use open, disputed or nothing"));
  }
  // A token holds the last task key returned.
  const std::string listing = absl::StrCat("review-tasks/", filter);
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(listing, page_token));
  page_size = ClampPageSize(page_size);
  Page<v1::ReviewTask> page;
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kReviewTasks);
  after.empty() ? it->SeekToFirst() : it->Seek(after + '\0');
  for (; it->Valid(); it->Next()) {
    storage::StoredReviewTask stored;
    if (!stored.ParseFromString(std::string(View(it->value())))) {
      return absl::DataLossError("corrupt review task");
    }
    const v1::ReviewTask::State state = stored.task().state();
    if ((filter == "open" && state != v1::ReviewTask::STATE_OPEN) ||
        (filter == "disputed" && state != v1::ReviewTask::STATE_DISPUTED)) {
      continue;
    }
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_page_token = EncodePageToken(listing, after);
      break;
    }
    after = std::string(View(it->key()));
    page.items.push_back(Served(stored));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "tasks");
  return page;
}

absl::StatusOr<v1::ReviewTask> ReviewStore::Resolve(
    absl::string_view moderator, absl::string_view task,
    const v1::ReviewEntry& decision, absl::string_view reason) {
  absl::MutexLock lock(&mu_);
  if (reason.empty()) {
    return absl::InvalidArgumentError("a moderator's decision needs a reason");
  }
  ASSIGN_OR_RETURN(std::string key, KeyOf(task));
  absl::StatusOr<storage::StoredReviewTask> stored = Load(key);
  if (absl::IsNotFound(stored.status())) {
    return absl::NotFoundError(absl::StrCat(task, " not found"));
  }
  if (!stored.ok()) return stored.status();
  if (IsSettled(stored->task())) {
    return absl::FailedPreconditionError(
        absl::StrCat(task, " is already settled"));
  }
  RETURN_IF_ERROR(CheckEntry(*stored, decision));
  stored->mutable_task()->set_state(v1::ReviewTask::STATE_RESOLVED);
  stored->set_resolved_by(std::string(moderator));
  stored->set_resolve_reason(std::string(reason));
  rocksdb::WriteBatch batch;
  RETURN_IF_ERROR(SettleTask(&*stored, decision, &batch));
  batch.Put(db_->handle(Family::kReviewTasks), key,
            stored->SerializeAsString());
  RETURN_IF_ERROR(db_->Write(&batch));
  RETURN_IF_ERROR(AfterSettled(*stored));
  return Served(*stored);
}

absl::StatusOr<int> ReviewStore::ExportTrainingCrops(
    Database* db, const std::string& out_dir) {
  int written = 0;
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kReviewTasks);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    storage::StoredReviewTask stored;
    if (!stored.ParseFromString(std::string(View(it->value())))) {
      return absl::DataLossError("corrupt review task");
    }
    const v1::ReviewTask& task = stored.task();
    const v1::ReviewEntry& outcome = stored.outcome();
    if (!IsSettled(task) || task.kind() != v1::ReviewTask::KIND_FIELD ||
        outcome.verdict() != v1::ReviewEntry::VERDICT_VALUE ||
        !outcome.values().contains(task.field())) {
      continue;
    }
    const std::string digits = absl::StrCat(outcome.values().at(task.field()));
    const int boxes = stored.box_png_size();
    if (digits == "0" || static_cast<int>(digits.size()) > boxes) continue;
    for (size_t d = 0; d < digits.size(); ++d) {
      const int box = boxes - static_cast<int>(digits.size()) + d;
      const std::string dir = absl::StrCat(out_dir, "/", digits.substr(d, 1));
      std::error_code error;
      std::filesystem::create_directories(dir, error);
      if (error) {
        return absl::InternalError(
            absl::StrCat("cannot create ", dir, ": ", error.message()));
      }
      const std::string path =
          absl::StrCat(dir, "/", View(it->key()), "-", box, ".png");
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      file << stored.box_png(box);
      if (!file.good()) {
        return absl::InternalError(absl::StrCat("cannot write ", path));
      }
      ++written;
    }
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "tasks");
  return written;
}

absl::StatusOr<v1::VolunteerStats> ReviewStore::Stats(
    absl::string_view volunteer) const {
  std::string value;
  v1::VolunteerStats stats;
  absl::Status read =
      db_->Get(Family::kVolunteerStats, volunteer, &value, "volunteer stats");
  if (absl::IsNotFound(read)) {
    stats.set_volunteer(std::string(volunteer));
    return stats;
  }
  if (!read.ok()) return read;
  if (!stats.ParseFromString(value)) {
    return absl::DataLossError("corrupt volunteer stats");
  }
  return stats;
}

}  // namespace c1tally
