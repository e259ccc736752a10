// MethodPolicy: who may call each gRPC method of c1tally.v1, in one table
// (method_policy.cc), so that access rules are read and reviewed in one
// place. A method missing from the table is refused to everyone.
#ifndef C1TALLY_SERVICES_AUTH_METHOD_POLICY_H_
#define C1TALLY_SERVICES_AUTH_METHOD_POLICY_H_

#include <initializer_list>
#include <vector>

#include "absl/strings/string_view.h"
#include "c1tally/v1/auth.pb.h"

namespace c1tally {

struct MethodPolicy {
  // Full gRPC method name, "/c1tally.v1.IngestService/CreateSubmission".
  absl::string_view method;
  // Needs no token (reads of published results).
  bool open = false;
  // Roles any one of which allows the call (when not open).
  std::vector<v1::Role> roles;
};

// The policy of `method`, or null when there is none (refuse the call).
const MethodPolicy* FindMethodPolicy(absl::string_view method);

// Every policy, for tests and documentation.
const std::vector<MethodPolicy>& AllMethodPolicies();

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_AUTH_METHOD_POLICY_H_
