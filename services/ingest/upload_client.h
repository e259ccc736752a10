// UploadPhoto: the client side of IngestService.CreateSubmission, shared
// by c1ctl, the benchmark and the tests: sends a photo in chunks with the
// caller's token and returns the submission.
#ifndef C1TALLY_SERVICES_INGEST_UPLOAD_CLIENT_H_
#define C1TALLY_SERVICES_INGEST_UPLOAD_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "grpcpp/client_context.h"

namespace c1tally {

// Chunks of 1 MB: well under gRPC's default 4 MB message limit.
constexpr size_t kUploadChunkBytes = 1 << 20;

// Adds `authorization: Bearer TOKEN` to `context` (nothing when `token` is
// empty).
void AddBearerToken(absl::string_view token, grpc::ClientContext* context);

// Uploads `photo` of a `form_kind` form ("" for ppwp) for `tps_code`; the
// server's status on failure.
absl::StatusOr<v1::Submission> UploadPhoto(
    v1::IngestService::StubInterface* stub, absl::string_view token,
    absl::string_view tps_code, absl::string_view photo,
    absl::string_view form_kind = "", size_t chunk_bytes = kUploadChunkBytes);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_INGEST_UPLOAD_CLIENT_H_
