// OcrJobServiceImpl: c1tally.v1.OcrJobService, the server side of the OCR
// queue. Workers (c1tallyd --services=ocr, any number, anywhere) lease jobs
// with their photo, read them and report a reading or a failure; the
// photos' lifecycle makes sure each job yields exactly one reading, and a
// report whose photo could not be settled after it is answered with that
// error.
//
// The lifecycle and the authorizer must outlive the service.
#ifndef C1TALLY_SERVICES_OCR_OCR_JOB_SERVICE_H_
#define C1TALLY_SERVICES_OCR_OCR_JOB_SERVICE_H_

#include "c1tally/v1/ocr.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "storage/photo_lifecycle.h"

namespace c1tally {

class OcrJobServiceImpl final : public v1::OcrJobService::Service {
 public:
  OcrJobServiceImpl(PhotoLifecycle* photos, const Authorizer* authorizer)
      : photos_(photos), authorizer_(authorizer) {}

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
  PhotoLifecycle* photos_;
  const Authorizer* authorizer_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_OCR_OCR_JOB_SERVICE_H_
