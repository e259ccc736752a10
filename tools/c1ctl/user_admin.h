// UserAdmin: what `c1ctl users` does to users, either directly in the data
// directory (the server stopped) or through a running server's AuthService
// as an admin, behind one interface so that the command reads the same.
#ifndef C1TALLY_TOOLS_C1CTL_USER_ADMIN_H_
#define C1TALLY_TOOLS_C1CTL_USER_ADMIN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c1tally/v1/auth.grpc.pb.h"
#include "storage/user_store.h"

namespace c1tally::c1ctl {

class UserAdmin {
 public:
  virtual ~UserAdmin() = default;
  virtual absl::StatusOr<v1::User> Create(const v1::User& user,
                                          const std::string& password) = 0;
  // Every user, in name order.
  virtual absl::StatusOr<std::vector<v1::User>> List() = 0;
  virtual absl::StatusOr<v1::User> Disable(const std::string& name) = 0;
};

// Works on `users`, which must outlive it.
std::unique_ptr<UserAdmin> LocalUserAdmin(UserStore* users);

// Calls the AuthService behind `channel` with `token` (an admin's).
std::unique_ptr<UserAdmin> RemoteUserAdmin(
    std::shared_ptr<grpc::ChannelInterface> channel, std::string token);

}  // namespace c1tally::c1ctl

#endif  // C1TALLY_TOOLS_C1CTL_USER_ADMIN_H_
