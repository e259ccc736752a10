#include "storage/tps_publisher.h"

#include <memory>
#include <set>
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

absl::StatusOr<std::vector<v1::TpsResult>> TpsPublisher::ResultsOf(
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
  std::set<std::string> races = {kind_->name()};
  for (const v1::Submission& photo : photos) {
    if (photo.state() == v1::Submission::STATE_SETTLED) {
      races.insert(SettledRace(photo));
    }
  }
  ASSIGN_OR_RETURN(RegionCode code, RegionCode::Parse(tps));
  std::vector<v1::TpsResult> results;
  for (const std::string& race : races) {
    std::shared_ptr<const v1::FormKind> kind(std::shared_ptr<void>(), kind_);
    if (race != kind_->name()) {
      absl::StatusOr<RaceForms::Form> form = tally_->forms().For(code, race);
      // People typed a sheet of a race the TPS has no ballot in: nothing
      // to publish (the sheet check refuses that, so only a dapil map
      // changed since can do it).
      if (absl::IsFailedPrecondition(form.status())) continue;
      RETURN_IF_ERROR(form.status());
      kind = form->kind;
    }
    std::optional<v1::TpsResult> result = JoinSettledPages(*kind, photos);
    if (result.has_value()) results.push_back(*std::move(result));
  }
  if (results.empty()) return results;
  ASSIGN_OR_RETURN(std::string note, ModeratorNote(tps));
  for (v1::TpsResult& result : results) {
    result.mutable_provenance()->set_note(note);
  }
  return results;
}

absl::Status TpsPublisher::Publish(absl::string_view tps,
                                   const v1::Submission* changed,
                                   rocksdb::WriteBatch* batch) const {
  ASSIGN_OR_RETURN(std::vector<v1::TpsResult> results, ResultsOf(tps, changed));
  return tally_->SetResults(std::move(results), batch).status();
}

}  // namespace c1tally
