// IngestServiceImpl: c1tally.v1.IngestService. Takes photos from
// authenticated uploaders in chunks, checks them and stores them as
// RECEIVED submissions through the SubmissionStore. Serves everyone the
// photos read as forms (public_submission.h).
//
// An upload is refused as early as possible: after the first chunk for a
// bad TPS, a race the TPS does not vote in, or a size above the limit; after
// the last for bytes that are not a whole photo or an uploader over quota (only
// then is it known whether the photo is a free repeat). Nothing is stored
// before the photo passed every check.
//
// The store and the authorizer must outlive the service.
#ifndef C1TALLY_SERVICES_INGEST_INGEST_SERVICE_H_
#define C1TALLY_SERVICES_INGEST_INGEST_SERVICE_H_

#include <cstdint>

#include "c1tally/v1/ingest.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "services/ingest/upload_slots.h"
#include "storage/photo_lifecycle.h"
#include "storage/reference/race_forms.h"
#include "storage/submission_store.h"

namespace c1tally {

class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  struct Options {
    // The contract's limit on one photo.
    int64_t max_photo_bytes = 25 << 20;
    UploadQuota quota;
    // Uploads in progress at once (each holds up to max_photo_bytes in
    // memory); more are refused with UNAVAILABLE. 0: no bound.
    int max_concurrent_uploads = 32;
    // The races a photo may be of besides ppwp: a legislative race is
    // accepted for a TPS with a dapil in it. Null: ppwp photos only.
    const RaceForms* race_forms = nullptr;
    // Hands legislative photos to people as they arrive (no machine reads
    // them). Null: they wait for the next Lease (PhotoLifecycle::Lease).
    PhotoLifecycle* lifecycle = nullptr;
  };

  IngestServiceImpl(SubmissionStore* store, const Authorizer* authorizer,
                    const Options& options)
      : store_(store),
        authorizer_(authorizer),
        options_(options),
        slots_(options.max_concurrent_uploads) {}

  grpc::Status CreateSubmission(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::CreateSubmissionRequest>* reader,
      v1::Submission* response) override;
  grpc::Status GetSubmission(grpc::ServerContext* context,
                             const v1::GetSubmissionRequest* request,
                             v1::Submission* response) override;
  grpc::Status ListSubmissions(grpc::ServerContext* context,
                               const v1::ListSubmissionsRequest* request,
                               v1::ListSubmissionsResponse* response) override;
  grpc::Status ListPublicSubmissions(
      grpc::ServerContext* context,
      const v1::ListPublicSubmissionsRequest* request,
      v1::ListPublicSubmissionsResponse* response) override;
  grpc::Status GetPublicSubmission(grpc::ServerContext* context,
                                   const v1::GetSubmissionRequest* request,
                                   v1::Submission* response) override;
  grpc::Status GetSubmissionPhoto(
      grpc::ServerContext* context,
      const v1::GetSubmissionPhotoRequest* request,
      grpc::ServerWriter<v1::SubmissionPhotoChunk>* writer) override;

  // Uploads holding a slot now; for operators and tests.
  int uploads_in_progress() const { return slots_.in_use(); }

 private:
  // The public view of submission `name`; NOT_FOUND unless it is public.
  absl::StatusOr<v1::Submission> PublicSubmission(
      const std::string& name) const;
  // INVALID_ARGUMENT for a race that is none of ppwp and the legislative
  // races, FAILED_PRECONDITION for a legislative race without a dapil for
  // `tps` (abroad votes for president and DPR only).
  absl::Status CheckRace(absl::string_view tps, absl::string_view race) const;
  // Reads the stream into a checked photo, refusing early what it can.
  absl::StatusOr<NewPhoto> ReceivePhoto(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::CreateSubmissionRequest>* reader,
      const v1::User& uploader);

  SubmissionStore* store_;
  const Authorizer* authorizer_;
  Options options_;
  UploadSlots slots_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_INGEST_INGEST_SERVICE_H_
