// Conversion between absl::Status and grpc::Status (same canonical codes).
#ifndef C1TALLY_SERVICES_COMMON_GRPC_STATUS_H_
#define C1TALLY_SERVICES_COMMON_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
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

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_COMMON_GRPC_STATUS_H_
