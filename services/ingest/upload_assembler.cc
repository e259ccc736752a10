#include "services/ingest/upload_assembler.h"

#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::Status UploadAssembler::Start(const v1::CreateSubmissionRequest& chunk) {
  if (chunk.tps_code().empty()) {
    return absl::InvalidArgumentError(
        "the first chunk must name the TPS (tps_code)");
  }
  if (chunk.size_bytes() <= 0) {
    return absl::InvalidArgumentError(
        "the first chunk must give the photo's total size (size_bytes > 0)");
  }
  if (chunk.size_bytes() > max_bytes_) {
    return absl::InvalidArgumentError(
        absl::StrCat("photo too large: ", chunk.size_bytes(),
                     " bytes; at most ", max_bytes_, " bytes are accepted"));
  }
  started_ = true;
  tps_code_ = chunk.tps_code();
  form_kind_ = chunk.form_kind().empty() ? "ppwp" : chunk.form_kind();
  size_bytes_ = chunk.size_bytes();
  bytes_.reserve(static_cast<size_t>(size_bytes_));
  return absl::OkStatus();
}

absl::Status UploadAssembler::CheckRepeatedFields(
    const v1::CreateSubmissionRequest& chunk) {
  if (!chunk.tps_code().empty() && chunk.tps_code() != tps_code_) {
    return absl::InvalidArgumentError(
        absl::StrCat("chunk at offset ", chunk.offset(), " names TPS ",
                     chunk.tps_code(), " but the upload is for ", tps_code_));
  }
  if (!chunk.form_kind().empty() && chunk.form_kind() != form_kind_) {
    return absl::InvalidArgumentError(
        absl::StrCat("chunk at offset ", chunk.offset(), " says form_kind ",
                     chunk.form_kind(), " but the upload is of ", form_kind_));
  }
  if (chunk.size_bytes() != 0 && chunk.size_bytes() != size_bytes_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "chunk at offset ", chunk.offset(), " gives size ", chunk.size_bytes(),
        " but the upload announced ", size_bytes_));
  }
  return absl::OkStatus();
}

absl::Status UploadAssembler::Place(int64_t offset, const std::string& data) {
  const int64_t received = static_cast<int64_t>(bytes_.size());
  const int64_t length = static_cast<int64_t>(data.size());
  if (offset < 0 || offset > received) {
    return absl::InvalidArgumentError(absl::StrCat(
        "chunk at offset ", offset, " but ", received,
        " bytes have arrived; send the chunk at offset ", received));
  }
  if (offset < received) {
    // A resent chunk: harmless if it is the same bytes.
    if (offset + length <= received &&
        bytes_.compare(static_cast<size_t>(offset), data.size(), data) == 0) {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "chunk at offset ", offset, " (", length,
        " bytes) overlaps bytes already received with different content"));
  }
  if (received + length > size_bytes_) {
    return absl::InvalidArgumentError(
        absl::StrCat("chunk at offset ", offset, " (", length,
                     " bytes) runs past the announced size ", size_bytes_));
  }
  bytes_.append(data);
  return absl::OkStatus();
}

absl::Status UploadAssembler::Add(const v1::CreateSubmissionRequest& chunk) {
  if (!started_) {
    RETURN_IF_ERROR(Start(chunk));
  } else
    RETURN_IF_ERROR(CheckRepeatedFields(chunk));
  return Place(chunk.offset(), chunk.data());
}

absl::StatusOr<std::string> UploadAssembler::Finish() {
  if (!started_) {
    return absl::InvalidArgumentError("the upload carried no chunk");
  }
  if (static_cast<int64_t>(bytes_.size()) != size_bytes_) {
    return absl::InvalidArgumentError(absl::StrCat("the upload ended after ",
                                                   bytes_.size(), " of ",
                                                   size_bytes_, " bytes"));
  }
  return std::move(bytes_);
}

}  // namespace c1tally
