// Conversion between absl::Status and grpc::Status (same canonical codes).
#ifndef C1TALLY_SERVICES_COMMON_GRPC_STATUS_H_
#define C1TALLY_SERVICES_COMMON_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace c1tally {

inline grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

inline absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

// The same, the message prefixed with what was being done ("leasing a
// job: ...") for clients that report it.
inline absl::Status FromGrpcStatus(const grpc::Status& status,
                                   absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_COMMON_GRPC_STATUS_H_
