#include "services/ocr/ocr_job_service.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/grpc_status.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kLease[] = "/c1tally.v1.OcrJobService/LeaseOcrJob";
constexpr char kComplete[] = "/c1tally.v1.OcrJobService/CompleteOcrJob";
constexpr char kFail[] = "/c1tally.v1.OcrJobService/FailOcrJob";

// A worker that names no lease gets a minute.
constexpr absl::Duration kDefaultLease = absl::Minutes(1);

}  // namespace

grpc::Status OcrJobServiceImpl::LeaseOcrJob(
    grpc::ServerContext* context, const v1::LeaseOcrJobRequest* request,
    v1::OcrJob* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kLease);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const absl::Duration lease =
      request->has_lease_duration()
          ? absl::Milliseconds(
                TimeUtil::DurationToMilliseconds(request->lease_duration()))
          : kDefaultLease;
  // The worker id is for the operator's eyes; the caller's name makes it
  // traceable to an account.
  absl::StatusOr<v1::OcrJob> job = photos_->Lease(
      absl::StrCat(caller->name(), "/", request->worker_id()), lease);
  if (!job.ok()) return ToGrpcStatus(job.status());
  *response = *std::move(job);
  return grpc::Status::OK;
}

grpc::Status OcrJobServiceImpl::CompleteOcrJob(
    grpc::ServerContext* context, const v1::CompleteOcrJobRequest* request,
    v1::CompleteOcrJobResponse* /*response*/) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kComplete);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::Submission> read =
      photos_->Read(request->name(), request->lease_id(), request->reading());
  return ToGrpcStatus(read.status());
}

grpc::Status OcrJobServiceImpl::FailOcrJob(grpc::ServerContext* context,
                                           const v1::FailOcrJobRequest* request,
                                           v1::FailOcrJobResponse* response) {
  absl::StatusOr<v1::User> caller = authorizer_->Authorize(*context, kFail);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<bool> final = photos_->FailReading(
      request->name(), request->lease_id(), request->reason());
  if (!final.ok()) return ToGrpcStatus(final.status());
  response->set_final(*final);
  return grpc::Status::OK;
}

}  // namespace c1tally
