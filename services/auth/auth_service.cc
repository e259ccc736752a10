#include "services/auth/auth_service.h"

#include <google/protobuf/util/time_util.h>

#include "services/common/grpc_status.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kCreateToken[] = "/c1tally.v1.AuthService/CreateToken";
constexpr char kGetCurrentUser[] = "/c1tally.v1.AuthService/GetCurrentUser";
constexpr char kCreateUser[] = "/c1tally.v1.AuthService/CreateUser";
constexpr char kListUsers[] = "/c1tally.v1.AuthService/ListUsers";
constexpr char kDisableUser[] = "/c1tally.v1.AuthService/DisableUser";

}  // namespace

grpc::Status AuthServiceImpl::CreateToken(grpc::ServerContext* context,
                                          const v1::CreateTokenRequest* request,
                                          v1::CreateTokenResponse* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kCreateToken);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<IssuedToken> issued =
      users_->Login(request->user(), request->password(),
                    absl::Seconds(request->ttl_seconds()));
  if (!issued.ok()) return ToGrpcStatus(issued.status());
  response->set_token(issued->token);
  *response->mutable_expire_time() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(issued->expire_time));
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::CreateUser(grpc::ServerContext* context,
                                         const v1::CreateUserRequest* request,
                                         v1::User* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kCreateUser);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::User> created =
      users_->CreateUser(request->user(), request->password());
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = *std::move(created);
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::ListUsers(grpc::ServerContext* context,
                                        const v1::ListUsersRequest* request,
                                        v1::ListUsersResponse* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kListUsers);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<Page<v1::User>> page =
      users_->ListUsers(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::User& user : page->items) *response->add_users() = std::move(user);
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::GetCurrentUser(
    grpc::ServerContext* context, const v1::GetCurrentUserRequest* /*request*/,
    v1::User* response) {
  // The Authorizer has resolved the token to its user already.
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kGetCurrentUser);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  *response = *std::move(caller);
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::DisableUser(grpc::ServerContext* context,
                                          const v1::DisableUserRequest* request,
                                          v1::User* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kDisableUser);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::User> disabled = users_->DisableUser(request->name());
  if (!disabled.ok()) return ToGrpcStatus(disabled.status());
  *response = *std::move(disabled);
  return grpc::Status::OK;
}

}  // namespace c1tally
