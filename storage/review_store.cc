#include "storage/review_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "storage/keys.h"
#include "storage/listing_page.h"
#include "storage/reference/ballot_sheets.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/secret_hash.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

// Equal entries needed to verify a task, and entries before a dispute.
constexpr int kAgreeing = 2;
constexpr int kMostEntries = 3;

int64_t MicrosOf(absl::Time time) { return absl::ToUnixMicros(time); }

// "{tps}-{sha256}-" : the prefix of every task of a submission.
std::string TaskPrefix(const v1::Submission& submission) {
  return absl::StrCat(submission.tps_code(), "-", submission.sha256(), "-");
}

// The same prefix from the submission's name, "submissions/{tps}-{sha256}".
std::string TaskPrefixOfPhoto(absl::string_view submission_name) {
  absl::ConsumePrefix(&submission_name, SubmissionStore::kNamePrefix);
  return absl::StrCat(submission_name, "-");
}

// What two entries must share to agree: verdict, page and every value.
std::string AgreementKey(const v1::ReviewEntry& entry) {
  std::map<std::string, int64_t> values(entry.values().begin(),
                                        entry.values().end());
  return absl::StrCat(entry.verdict(), "|", entry.form_kind(), "|",
                      entry.page(), "|", entry.party(), "|",
                      absl::StrJoin(values, ",", absl::PairFormatter("=")));
}

// `entry` with the race of a legislative photo's sheet spelt out, so that
// "the task's race" and the race named agree.
v1::ReviewEntry Normalized(const v1::ReviewTask& task,
                           const v1::ReviewEntry& entry) {
  v1::ReviewEntry normalized = entry;
  if (task.kind() == v1::ReviewTask::KIND_PAGE &&
      IsLegislativeRace(task.form_kind()) && entry.form_kind().empty() &&
      entry.verdict() == v1::ReviewEntry::VERDICT_VALUE) {
    normalized.set_form_kind(task.form_kind());
  }
  return normalized;
}

absl::StatusOr<storage::StoredReviewTask> ParseTask(
    const rocksdb::Slice& value) {
  storage::StoredReviewTask task;
  if (!task.ParseFromString(std::string(View(value)))) {
    return absl::DataLossError("corrupt review task");
  }
  return task;
}

// INVALID_ARGUMENT when no task or settling can come from `reading`.
absl::Status CheckReading(const v1::Reading& reading) {
  if (reading.error() == v1::Reading::ERROR_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "a reading must say whether the page was read (error is unset)");
  }
  if (reading.error() != v1::Reading::ERROR_NONE) return absl::OkStatus();
  if (reading.page() <= 0) {
    return absl::InvalidArgumentError("a read page needs its page number");
  }
  for (const v1::FieldReading& field : reading.fields()) {
    if (field.name().empty()) {
      return absl::InvalidArgumentError("a field of the reading has no name");
    }
    if (field.status() == v1::FieldReading::STATUS_ACCEPTED &&
        !field.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "field ", field.name(), " is accepted but has no value"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

ReviewStore::ReviewStore(Database* db, const SubmissionStore* submissions,
                         Options options)
    : db_(db), submissions_(submissions), options_(std::move(options)) {}

bool ReviewStore::IsSettled(const v1::ReviewTask& task) {
  return task.state() == v1::ReviewTask::STATE_VERIFIED ||
         task.state() == v1::ReviewTask::STATE_RESOLVED;
}

std::string ReviewStore::VerdictRemark(v1::ReviewEntry::Verdict verdict) {
  switch (verdict) {
    case v1::ReviewEntry::VERDICT_NOT_A_FORM:
      return "people: not a C.Hasil form";
    case v1::ReviewEntry::VERDICT_WRONG_TPS:
      return "people: the photo is of another TPS";
    default:
      return "people: unreadable";
  }
}

absl::Status ReviewStore::AddTasks(const v1::Submission& submission,
                                   rocksdb::WriteBatch* batch) const {
  const v1::Reading& reading = submission.reading();
  RETURN_IF_ERROR(CheckReading(reading));
  const int64_t now = MicrosOf(options_.clock());
  // A task for `field`, or for the whole page when it is null.
  auto add = [&](const v1::FieldReading* field) {
    storage::StoredReviewTask stored;
    const std::string key =
        TaskPrefix(submission) +
        (field != nullptr ? field->name() : std::string(kPageTask));
    v1::ReviewTask* task = stored.mutable_task();
    task->set_name(absl::StrCat(kNamePrefix, key));
    task->set_kind(field != nullptr ? v1::ReviewTask::KIND_FIELD
                                    : v1::ReviewTask::KIND_PAGE);
    task->set_state(v1::ReviewTask::STATE_OPEN);
    task->set_submission(submission.name());
    task->set_tps_code(submission.tps_code());
    task->set_page(reading.page());
    task->set_form_kind(
        submission.form_kind().empty() ? "ppwp" : submission.form_kind());
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

absl::StatusOr<std::vector<storage::StoredReviewTask>> ReviewStore::TasksUnder(
    const std::string& prefix) const {
  std::vector<storage::StoredReviewTask> tasks;
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kReviewTasks);
  for (it->Seek(prefix);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    ASSIGN_OR_RETURN(storage::StoredReviewTask task, ParseTask(it->value()));
    tasks.push_back(std::move(task));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "tasks");
  return tasks;
}

absl::StatusOr<std::vector<storage::StoredReviewTask>> ReviewStore::TasksOf(
    const v1::Submission& submission) const {
  return TasksUnder(TaskPrefix(submission));
}

absl::StatusOr<std::vector<storage::StoredReviewTask>> ReviewStore::TasksOfTps(
    absl::string_view tps) const {
  return TasksUnder(absl::StrCat(tps, "-"));
}

absl::Status ReviewStore::ForEachTask(
    Database* db,
    const std::function<absl::Status(
        const std::string& key, const storage::StoredReviewTask&)>& visit) {
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kReviewTasks);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ASSIGN_OR_RETURN(storage::StoredReviewTask task, ParseTask(it->value()));
    RETURN_IF_ERROR(visit(std::string(View(it->key())), task));
  }
  return FromRocksStatus(it->status(), "tasks");
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
    RETURN_IF_ERROR(AddPageMaterial(&task));
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
  if (IsLegislativeRace(task.form_kind())) return CheckSheetEntry(task, entry);
  if ((!entry.form_kind().empty() && entry.form_kind() != task.form_kind()) ||
      entry.party() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", task.form_kind(), " photo has pages, not another race's sheets"));
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
  RETURN_IF_ERROR(CountEntry(volunteer));

  storage::StoredReviewEntry* added = stored->add_entries();
  added->set_volunteer(std::string(volunteer));
  *added->mutable_entry() = Normalized(stored->task(), entry);
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
    RETURN_IF_ERROR(SettleTask(key, &*stored, outcome, &batch));
  } else if (stored->entries_size() >= kMostEntries) {
    stored->mutable_task()->set_state(v1::ReviewTask::STATE_DISPUTED);
    batch.Delete(db_->handle(Family::kReviewOpen), stored->queue_key());
  }
  batch.Put(db_->handle(Family::kReviewTasks), key,
            stored->SerializeAsString());
  RETURN_IF_ERROR(db_->Write(&batch));
  return Served(*stored);
}

absl::Status ReviewStore::CountEntry(absl::string_view volunteer) {
  if (options_.max_entries_per_minute <= 0) return absl::OkStatus();
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
  return absl::OkStatus();
}

absl::Status ReviewStore::SettleTask(const std::string& key,
                                     storage::StoredReviewTask* stored,
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
  if (outcome.verdict() == v1::ReviewEntry::VERDICT_VALUE) {
    return absl::OkStatus();
  }
  // People say the photo is no usable form: its other tasks are moot.
  return CloseOtherTasks(key, *stored, batch);
}

absl::Status ReviewStore::CloseOtherTasks(
    const std::string& key, const storage::StoredReviewTask& stored,
    rocksdb::WriteBatch* batch) const {
  const std::string prefix = TaskPrefixOfPhoto(stored.task().submission());
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kReviewTasks);
  for (it->Seek(prefix);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    if (View(it->key()) == key) continue;
    ASSIGN_OR_RETURN(storage::StoredReviewTask other, ParseTask(it->value()));
    if (IsSettled(other.task())) continue;
    other.mutable_task()->set_state(v1::ReviewTask::STATE_RESOLVED);
    other.set_resolve_reason(VerdictRemark(stored.outcome().verdict()));
    other.clear_lease_holder();
    other.clear_lease_id();
    other.clear_lease_expire_micros();
    batch->Delete(db_->handle(Family::kReviewOpen), other.queue_key());
    batch->Put(db_->handle(Family::kReviewTasks), std::string(View(it->key())),
               other.SerializeAsString());
  }
  return FromRocksStatus(it->status(), "review tasks");
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

absl::Status ReviewStore::CheckSheetEntry(const v1::ReviewTask& task,
                                          const v1::ReviewEntry& entry) const {
  if (options_.race_forms == nullptr) {
    return absl::FailedPreconditionError(
        "this server takes no entries of legislative sheets");
  }
  const std::string race =
      entry.form_kind().empty() ? task.form_kind() : entry.form_kind();
  if (!IsLegislativeRace(race)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", race,
                     "\" is not a legislative race; a legislative photo's "
                     "sheet is of pdpr, pdprdp, pdprdk or pdpd"));
  }
  ASSIGN_OR_RETURN(RegionCode tps, RegionCode::Parse(task.tps_code()));
  ASSIGN_OR_RETURN(std::vector<v1::ReviewSheet> sheets,
                   SheetsOfTps(*options_.race_forms, tps));
  const v1::ReviewSheet* sheet =
      FindSheet(sheets, race, entry.page(), entry.party());
  if (sheet == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TPS ", task.tps_code(), " has no ", race, " sheet of page ",
        entry.page(),
        entry.party() != 0 ? absl::StrCat(", party ", entry.party()) : ""));
  }
  for (const v1::ReviewSheet::Field& field : sheet->fields()) {
    if (!entry.values().contains(field.name())) {
      return absl::InvalidArgumentError(
          absl::StrCat("sheet ", sheet->label(), " needs ", field.name(), " (",
                       field.label(), "); type 0 for an empty box"));
    }
  }
  if (entry.values().size() != static_cast<size_t>(sheet->fields_size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("sheet ", sheet->label(), " has only ",
                     sheet->fields_size(), " fields"));
  }
  return absl::OkStatus();
}

absl::Status ReviewStore::AddPageMaterial(v1::ReviewTask* task) const {
  if (task->kind() != v1::ReviewTask::KIND_PAGE) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Submission submission,
                   submissions_->Get(task->submission()));
  ASSIGN_OR_RETURN(std::string photo, submissions_->ReadPhoto(submission));
  task->set_photo(std::move(photo));
  if (IsLegislativeRace(task->form_kind()) && options_.race_forms != nullptr) {
    ASSIGN_OR_RETURN(RegionCode tps, RegionCode::Parse(task->tps_code()));
    ASSIGN_OR_RETURN(std::vector<v1::ReviewSheet> sheets,
                     SheetsOfTps(*options_.race_forms, tps));
    for (v1::ReviewSheet& sheet : sheets) {
      *task->add_sheets() = std::move(sheet);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReviewTask> ReviewStore::Get(absl::string_view name) const {
  ASSIGN_OR_RETURN(std::string key, KeyOf(name));
  ASSIGN_OR_RETURN(storage::StoredReviewTask stored, Load(key));
  v1::ReviewTask task = Served(stored);
  RETURN_IF_ERROR(AddPageMaterial(&task));
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
    ASSIGN_OR_RETURN(storage::StoredReviewTask stored, ParseTask(it->value()));
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
  RETURN_IF_ERROR(
      SettleTask(key, &*stored, Normalized(stored->task(), decision), &batch));
  batch.Put(db_->handle(Family::kReviewTasks), key,
            stored->SerializeAsString());
  RETURN_IF_ERROR(db_->Write(&batch));
  return Served(*stored);
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
