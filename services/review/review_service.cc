#include "services/review/review_service.h"

#include <algorithm>

#include "services/common/grpc_status.h"

namespace c1tally {
namespace {

constexpr char kClaim[] = "/c1tally.v1.ReviewService/ClaimReviewTask";
constexpr char kEntry[] = "/c1tally.v1.ReviewService/CreateReviewEntry";
constexpr char kSkip[] = "/c1tally.v1.ReviewService/SkipReviewTask";
constexpr char kList[] = "/c1tally.v1.ReviewService/ListReviewTasks";
constexpr char kGet[] = "/c1tally.v1.ReviewService/GetReviewTask";
constexpr char kResolve[] = "/c1tally.v1.ReviewService/ResolveReviewTask";
constexpr char kStats[] = "/c1tally.v1.ReviewService/GetVolunteerStats";

}  // namespace

grpc::Status ReviewServiceImpl::ClaimReviewTask(
    grpc::ServerContext* context, const v1::ClaimReviewTaskRequest*,
    v1::ReviewTask* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kClaim);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::ReviewTask> task = store_->Claim(caller->name());
  if (!task.ok()) return ToGrpcStatus(task.status());
  *response = *std::move(task);
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::CreateReviewEntry(
    grpc::ServerContext* context, const v1::CreateReviewEntryRequest* request,
    v1::ReviewEntry* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kEntry);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::ReviewTask> task =
      photos_->Enter(caller->name(), request->lease_id(), request->entry());
  if (!task.ok()) return ToGrpcStatus(task.status());
  // The entry as taken; never the outcome, which would tell a volunteer
  // what others typed.
  *response = request->entry();
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::SkipReviewTask(
    grpc::ServerContext* context, const v1::SkipReviewTaskRequest* request,
    v1::SkipReviewTaskResponse*) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kSkip);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return ToGrpcStatus(
      store_->Skip(caller->name(), request->task(), request->lease_id()));
}

grpc::Status ReviewServiceImpl::ListReviewTasks(
    grpc::ServerContext* context, const v1::ListReviewTasksRequest* request,
    v1::ListReviewTasksResponse* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kList);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<Page<v1::ReviewTask>> page = store_->List(
      request->filter(), request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::ReviewTask& task : page->items) {
    *response->add_tasks() = std::move(task);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::GetReviewTask(
    grpc::ServerContext* context, const v1::GetReviewTaskRequest* request,
    v1::ReviewTask* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kGet);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::ReviewTask> task = store_->Get(request->name());
  if (!task.ok()) return ToGrpcStatus(task.status());
  *response = *std::move(task);
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::ResolveReviewTask(
    grpc::ServerContext* context, const v1::ResolveReviewTaskRequest* request,
    v1::ReviewTask* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kResolve);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::ReviewTask> task = photos_->Resolve(
      caller->name(), request->task(), request->decision(), request->reason());
  if (!task.ok()) return ToGrpcStatus(task.status());
  *response = *std::move(task);
  return grpc::Status::OK;
}

grpc::Status ReviewServiceImpl::GetVolunteerStats(
    grpc::ServerContext* context, const v1::GetVolunteerStatsRequest* request,
    v1::VolunteerStats* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kStats);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const std::string volunteer =
      request->volunteer().empty() ? caller->name() : request->volunteer();
  if (volunteer != caller->name() &&
      !Authorizer::HasRole(*caller, v1::ROLE_MODERATOR) &&
      !Authorizer::HasRole(*caller, v1::ROLE_ADMIN)) {
    return ToGrpcStatus(
        absl::PermissionDeniedError("volunteers see their own counts only"));
  }
  absl::StatusOr<v1::VolunteerStats> stats = store_->Stats(volunteer);
  if (!stats.ok()) return ToGrpcStatus(stats.status());
  *response = *std::move(stats);
  return grpc::Status::OK;
}

}  // namespace c1tally
