#include "storage/photo_settlement.h"

#include "absl/strings/str_cat.h"
#include "storage/review_store.h"

namespace c1tally {
namespace {

std::string SettledBy(const storage::StoredReviewTask& task) {
  return task.resolved_by().empty() ? "people" : "moderator";
}

// Whether people's verdict on a settled task is that the photo holds no
// usable form; a task closed with its photo has no verdict and says so too.
bool RejectsPhoto(const storage::StoredReviewTask& task) {
  return task.outcome().verdict() != v1::ReviewEntry::VERDICT_VALUE;
}

// The values of a whole-page task's outcome.
Settlement FromPageTask(const storage::StoredReviewTask& task) {
  Settlement settlement;
  settlement.outcome = Settlement::Outcome::kSettled;
  settlement.page = task.outcome().page();
  settlement.form_kind = task.outcome().form_kind();
  for (const auto& [field, value] : task.outcome().values()) {
    settlement.values[field] = value;
    settlement.settled_by[field] = SettledBy(task);
  }
  return settlement;
}

// Field by field: a task's outcome where there is one, else the machine's.
absl::StatusOr<Settlement> FromFields(
    const v1::Submission& photo,
    const std::map<std::string, const storage::StoredReviewTask*>& tasks) {
  Settlement settlement;
  settlement.outcome = Settlement::Outcome::kSettled;
  settlement.page = photo.reading().page();
  for (const v1::FieldReading& field : photo.reading().fields()) {
    auto task = tasks.find(field.name());
    if (task != tasks.end() &&
        task->second->outcome().values().contains(field.name())) {
      settlement.values[field.name()] =
          task->second->outcome().values().at(field.name());
      settlement.settled_by[field.name()] = SettledBy(*task->second);
    } else if (task == tasks.end() &&
               field.status() == v1::FieldReading::STATUS_ACCEPTED &&
               field.has_value()) {
      settlement.values[field.name()] = field.value();
      settlement.settled_by[field.name()] = "machine";
    } else {
      return absl::InternalError(
          absl::StrCat("field ", field.name(), " of ", photo.name(),
                       " is neither accepted nor a task"));
    }
  }
  return settlement;
}

}  // namespace

absl::StatusOr<Settlement> SettlementOf(
    const v1::Submission& photo,
    const std::vector<storage::StoredReviewTask>& tasks) {
  std::map<std::string, const storage::StoredReviewTask*> by_field;
  const storage::StoredReviewTask* page_task = nullptr;
  const storage::StoredReviewTask* rejecting = nullptr;
  for (const storage::StoredReviewTask& task : tasks) {
    if (!ReviewStore::IsSettled(task.task())) return Settlement();
    if (RejectsPhoto(task)) {
      // The verdict people gave wins over the tasks closed with it.
      if (rejecting == nullptr || rejecting->outcome().verdict() ==
                                      v1::ReviewEntry::VERDICT_UNSPECIFIED) {
        rejecting = &task;
      }
      continue;
    }
    if (task.task().kind() == v1::ReviewTask::KIND_PAGE) {
      page_task = &task;
    } else {
      by_field[task.task().field()] = &task;
    }
  }
  if (rejecting != nullptr) {
    Settlement rejected;
    rejected.outcome = Settlement::Outcome::kRejected;
    rejected.remark =
        ReviewStore::VerdictRemark(rejecting->outcome().verdict());
    return rejected;
  }
  if (page_task != nullptr) return FromPageTask(*page_task);
  return FromFields(photo, by_field);
}

void ApplySettlement(const Settlement& settlement, v1::Submission* photo) {
  if (settlement.outcome == Settlement::Outcome::kRejected) {
    photo->set_state(v1::Submission::STATE_FAILED);
    photo->add_remarks(settlement.remark);
    return;
  }
  photo->set_state(v1::Submission::STATE_SETTLED);
  photo->set_settled_page(settlement.page);
  photo->set_settled_form_kind(settlement.form_kind);
  photo->mutable_settled_values()->insert(settlement.values.begin(),
                                          settlement.values.end());
  photo->mutable_settled_by()->insert(settlement.settled_by.begin(),
                                      settlement.settled_by.end());
}

}  // namespace c1tally
