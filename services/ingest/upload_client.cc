#include "services/ingest/upload_client.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"

namespace c1tally {

void AddBearerToken(absl::string_view token, grpc::ClientContext* context) {
  if (token.empty()) return;
  context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
}

absl::StatusOr<v1::Submission> UploadPhoto(
    v1::IngestService::StubInterface* stub, absl::string_view token,
    absl::string_view tps_code, absl::string_view photo,
    absl::string_view form_kind, size_t chunk_bytes) {
  grpc::ClientContext context;
  AddBearerToken(token, &context);
  v1::Submission submission;
  std::unique_ptr<grpc::ClientWriterInterface<v1::CreateSubmissionRequest>>
      writer = stub->CreateSubmission(&context, &submission);
  size_t offset = 0;
  do {
    v1::CreateSubmissionRequest chunk;
    if (offset == 0) {
      chunk.set_tps_code(std::string(tps_code));
      chunk.set_form_kind(std::string(form_kind));
      chunk.set_size_bytes(static_cast<int64_t>(photo.size()));
    }
    const size_t length = std::min(chunk_bytes, photo.size() - offset);
    chunk.set_offset(static_cast<int64_t>(offset));
    chunk.set_data(std::string(photo.substr(offset, length)));
    // A failed write means the server has answered (an error); Finish()
    // tells which.
    if (!writer->Write(chunk)) break;
    offset += length;
  } while (offset < photo.size());
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  return submission;
}

}  // namespace c1tally
