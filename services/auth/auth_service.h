// AuthServiceImpl: c1tally.v1.AuthService over a UserStore: logging in
// (password for a token) and, for admins, managing users while the server
// runs (the offline `c1ctl users` commands need the server stopped).
//
// The UserStore and Authorizer must outlive the service.
#ifndef C1TALLY_SERVICES_AUTH_AUTH_SERVICE_H_
#define C1TALLY_SERVICES_AUTH_AUTH_SERVICE_H_

#include "c1tally/v1/auth.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "storage/user_store.h"

namespace c1tally {

class AuthServiceImpl final : public v1::AuthService::Service {
 public:
  AuthServiceImpl(UserStore* users, const Authorizer* authorizer)
      : users_(users), authorizer_(authorizer) {}

  grpc::Status CreateToken(grpc::ServerContext* context,
                           const v1::CreateTokenRequest* request,
                           v1::CreateTokenResponse* response) override;
  grpc::Status CreateUser(grpc::ServerContext* context,
                          const v1::CreateUserRequest* request,
                          v1::User* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context,
                         const v1::ListUsersRequest* request,
                         v1::ListUsersResponse* response) override;
  grpc::Status GetCurrentUser(grpc::ServerContext* context,
                              const v1::GetCurrentUserRequest* request,
                              v1::User* response) override;
  grpc::Status DisableUser(grpc::ServerContext* context,
                           const v1::DisableUserRequest* request,
                           v1::User* response) override;

 private:
  UserStore* users_;
  const Authorizer* authorizer_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_AUTH_AUTH_SERVICE_H_
