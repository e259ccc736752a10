#include "services/ocr/ocr_worker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/grpc_status.h"
#include "services/ocr/reading_proto.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

}  // namespace

OcrWorker::OcrWorker(std::shared_ptr<grpc::Channel> channel,
                     const ocr::PageReader* reader, Options options)
    : stub_(v1::OcrJobService::NewStub(channel)),
      reader_(reader),
      options_(std::move(options)) {}

absl::StatusOr<bool> OcrWorker::RunOnce() {
  v1::LeaseOcrJobRequest lease;
  lease.set_worker_id(options_.worker_id);
  *lease.mutable_lease_duration() = TimeUtil::MillisecondsToDuration(
      absl::ToInt64Milliseconds(options_.lease));
  v1::OcrJob job;
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    grpc::Status leased = stub_->LeaseOcrJob(&context, lease, &job);
    if (leased.error_code() == grpc::StatusCode::NOT_FOUND) return false;
    if (!leased.ok()) return FromGrpcStatus(leased, "leasing a job");
  }
  // The reader never fails: a photo it cannot read is a reading that says
  // why (not a form, unreadable, ...), and people take it from there.
  const ocr::PageReading page = reader_->ReadBytes(job.photo());
  absl::StatusOr<v1::Reading> reading =
      ReadingToProto(page, page.model_version);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  if (!reading.ok()) {
    v1::FailOcrJobRequest fail;
    fail.set_name(job.name());
    fail.set_lease_id(job.lease_id());
    fail.set_reason(std::string(reading.status().message()));
    v1::FailOcrJobResponse response;
    RETURN_IF_ERROR(
        FromGrpcStatus(stub_->FailOcrJob(&context, fail, &response),
                       absl::StrCat("reporting the failure of ", job.name())));
    return true;
  }
  v1::CompleteOcrJobRequest complete;
  complete.set_name(job.name());
  complete.set_lease_id(job.lease_id());
  *complete.mutable_reading() = *std::move(reading);
  v1::CompleteOcrJobResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub_->CompleteOcrJob(&context, complete, &response),
                     absl::StrCat("reporting ", job.name())));
  ++jobs_done_;
  return true;
}

void OcrWorker::Run(absl::Notification* stop) {
  while (!stop->HasBeenNotified()) {
    absl::StatusOr<bool> did = RunOnce();
    // A refused report (the lease ran out and another worker has the job)
    // is not this worker's problem to solve; the queue settles it.
    if (!did.ok() || !*did) {
      stop->WaitForNotificationWithTimeout(options_.idle_wait);
    }
  }
}

OcrWorkers::OcrWorkers(std::shared_ptr<grpc::Channel> channel,
                       std::unique_ptr<ocr::PageReader> reader, int count,
                       const OcrWorker::Options& options)
    : reader_(std::move(reader)) {
  for (int i = 0; i < count; ++i) {
    OcrWorker::Options own = options;
    own.worker_id = absl::StrCat(options.worker_id, "-", i);
    workers_.push_back(
        std::make_unique<OcrWorker>(channel, reader_.get(), own));
  }
  for (auto& worker : workers_) {
    threads_.emplace_back([this, w = worker.get()] { w->Run(&stop_); });
  }
}

OcrWorkers::~OcrWorkers() { Stop(); }

void OcrWorkers::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

int64_t OcrWorkers::jobs_done() const {
  int64_t done = 0;
  for (const auto& worker : workers_) done += worker->jobs_done();
  return done;
}

}  // namespace c1tally
