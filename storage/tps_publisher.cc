#include "storage/tps_publisher.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/status_macros.h"
#include "storage/tps_pages.h"

namespace c1tally {

TpsPublisher::TpsPublisher(const SubmissionStore* submissions,
                           const ReviewStore* reviews, TallyStore* tally,
                           const v1::FormKind* kind)
    : submissions_(submissions),
      reviews_(reviews),
      tally_(tally),
      kind_(kind) {}

absl::StatusOr<std::string> TpsPublisher::ModeratorNote(
    absl::string_view tps) const {
  ASSIGN_OR_RETURN(std::vector<storage::StoredReviewTask> tasks,
                   reviews_->TasksOfTps(tps));
  std::vector<std::string> reasons;
  for (const storage::StoredReviewTask& task : tasks) {
    if (task.resolved_by().empty() || task.resolve_reason().empty()) continue;
    reasons.push_back(absl::StrCat(task.task().field(), ": ",
                                   task.resolve_reason(), " (",
                                   task.resolved_by(), ")"));
  }
  return absl::StrJoin(reasons, "; ");
}

absl::StatusOr<std::optional<v1::TpsResult>> TpsPublisher::ResultOf(
    absl::string_view tps, const v1::Submission* changed) const {
  std::vector<v1::Submission> photos;
  bool replaced = false;
  std::string token;
  do {
    ASSIGN_OR_RETURN(Page<v1::Submission> page,
                     submissions_->ListByTps(tps, 0, token));
    for (v1::Submission& photo : page.items) {
      if (changed != nullptr && photo.name() == changed->name()) {
        photo = *changed;
        replaced = true;
      }
      photos.push_back(std::move(photo));
    }
    token = page.next_page_token;
  } while (!token.empty());
  if (changed != nullptr && !replaced) {
    return absl::InvalidArgumentError(
        absl::StrCat(changed->name(), " is not a stored photo of TPS ", tps));
  }
  std::optional<v1::TpsResult> result = JoinSettledPages(*kind_, photos);
  if (!result.has_value()) return result;
  ASSIGN_OR_RETURN(std::string note, ModeratorNote(tps));
  result->mutable_provenance()->set_note(std::move(note));
  return result;
}

absl::Status TpsPublisher::Publish(absl::string_view tps,
                                   const v1::Submission* changed,
                                   rocksdb::WriteBatch* batch) const {
  ASSIGN_OR_RETURN(std::optional<v1::TpsResult> result, ResultOf(tps, changed));
  std::vector<v1::TpsResult> results;
  if (result.has_value()) results.push_back(*std::move(result));
  return tally_->SetResults(std::move(results), batch).status();
}

}  // namespace c1tally
