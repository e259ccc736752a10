// Authorizer: the one check every RPC makes before it does anything.
//
// Reads the token from the call's metadata (`authorization: Bearer TOKEN`),
// resolves it to a user through the UserStore and applies the method's
// MethodPolicy. Every handler of a guarded service starts with
// Authorize(context, kMethod); the rules themselves live only in the
// protos, as each RPC's (access) option (method_policy.h reads them).
//
// The UserStore must outlive the Authorizer. Thread-safe.
#ifndef C1TALLY_SERVICES_AUTH_AUTHORIZER_H_
#define C1TALLY_SERVICES_AUTH_AUTHORIZER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/auth.pb.h"
#include "grpcpp/server_context.h"
#include "storage/user_store.h"

namespace c1tally {

class Authorizer {
 public:
  static constexpr char kMetadataKey[] = "authorization";
  static constexpr char kBearerPrefix[] = "Bearer ";

  explicit Authorizer(const UserStore* users) : users_(users) {}

  // The caller of `method` (a full gRPC method name) if allowed: the user
  // holding the token, or an empty User for an open method called without
  // one. UNAUTHENTICATED: no token, a malformed header, an unknown or
  // expired token or a disabled user. PERMISSION_DENIED: the user has none
  // of the method's roles, or the method has no policy.
  absl::StatusOr<v1::User> Authorize(const grpc::ServerContext& context,
                                     absl::string_view method) const;

  // True when `user` has `role`.
  static bool HasRole(const v1::User& user, v1::Role role);

 private:
  const UserStore* users_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_AUTH_AUTHORIZER_H_
