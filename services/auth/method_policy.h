// MethodPolicy: who may call each gRPC method of c1tally.v1. The rule is
// declared once, as the (access) option on each RPC in the protos
// (proto/c1tally/v1/access.proto); this reads them from the compiled-in
// descriptors on first use. A method without the option is refused to
// everyone.
#ifndef C1TALLY_SERVICES_AUTH_METHOD_POLICY_H_
#define C1TALLY_SERVICES_AUTH_METHOD_POLICY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "c1tally/v1/access.pb.h"

namespace c1tally {

struct MethodPolicy {
  // Full gRPC method name, "/c1tally.v1.IngestService/CreateSubmission".
  std::string method;
  // Needs no token (reads of published results).
  bool open = false;
  // Roles any one of which allows the call (when not open).
  std::vector<v1::Role> roles;
  // Any valid token allows the call, whatever its roles.
  bool signed_in = false;
};

// The policy of `method`, or null when there is none (refuse the call).
// Thread-safe; the table lives as long as the process.
const MethodPolicy* FindMethodPolicy(absl::string_view method);

// The policy of every method of every c1tally.v1 service that declares
// one, for tests and documentation.
const std::vector<MethodPolicy>& AllMethodPolicies();

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_AUTH_METHOD_POLICY_H_
