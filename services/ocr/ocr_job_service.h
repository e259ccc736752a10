// OcrJobServiceImpl: c1tally.v1.OcrJobService, the server side of the OCR
// queue. Workers (c1tallyd --services=ocr, any number, anywhere) lease jobs
// with their photo, read them and report a reading or a failure; the queue
// makes sure each job yields exactly one reading.
//
// The queue and the authorizer must outlive the service.
#ifndef C1TALLY_SERVICES_OCR_OCR_JOB_SERVICE_H_
#define C1TALLY_SERVICES_OCR_OCR_JOB_SERVICE_H_

#include "c1tally/v1/ocr.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "storage/ocr_queue.h"

namespace c1tally {

class OcrJobServiceImpl final : public v1::OcrJobService::Service {
 public:
  OcrJobServiceImpl(OcrQueue* queue, const Authorizer* authorizer)
      : queue_(queue), authorizer_(authorizer) {}

  grpc::Status LeaseOcrJob(grpc::ServerContext* context,
                           const v1::LeaseOcrJobRequest* request,
                           v1::OcrJob* response) override;
  grpc::Status CompleteOcrJob(grpc::ServerContext* context,
                              const v1::CompleteOcrJobRequest* request,
                              v1::CompleteOcrJobResponse* response) override;
  grpc::Status FailOcrJob(grpc::ServerContext* context,
                          const v1::FailOcrJobRequest* request,
                          v1::FailOcrJobResponse* response) override;

 private:
  OcrQueue* queue_;
  const Authorizer* authorizer_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_OCR_OCR_JOB_SERVICE_H_
