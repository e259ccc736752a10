#include "tools/c1ctl/user_admin.h"

#include "services/common/grpc_status.h"
#include "services/ingest/upload_client.h"
#include "storage/status_macros.h"

namespace c1tally::c1ctl {
namespace {

class Local : public UserAdmin {
 public:
  explicit Local(UserStore* users) : users_(users) {}

  absl::StatusOr<v1::User> Create(const v1::User& user,
                                  const std::string& password) override {
    return users_->CreateUser(user, password);
  }

  absl::StatusOr<std::vector<v1::User>> List() override {
    std::vector<v1::User> all;
    std::string token;
    do {
      ASSIGN_OR_RETURN(Page<v1::User> page,
                       users_->ListUsers(kMaxPageSize, token));
      all.insert(all.end(), page.items.begin(), page.items.end());
      token = page.next_page_token;
    } while (!token.empty());
    return all;
  }

  absl::StatusOr<v1::User> Disable(const std::string& name) override {
    return users_->DisableUser(name);
  }

 private:
  UserStore* users_;
};

class Remote : public UserAdmin {
 public:
  Remote(std::shared_ptr<grpc::ChannelInterface> channel, std::string token)
      : stub_(v1::AuthService::NewStub(channel)), token_(std::move(token)) {}

  absl::StatusOr<v1::User> Create(const v1::User& user,
                                  const std::string& password) override {
    v1::CreateUserRequest request;
    *request.mutable_user() = user;
    request.set_password(password);
    v1::User created;
    grpc::ClientContext context;
    AddBearerToken(token_, &context);
    grpc::Status status = stub_->CreateUser(&context, request, &created);
    if (!status.ok()) return FromGrpcStatus(status);
    return created;
  }

  absl::StatusOr<std::vector<v1::User>> List() override {
    std::vector<v1::User> all;
    v1::ListUsersRequest request;
    request.set_page_size(kMaxPageSize);
    do {
      v1::ListUsersResponse response;
      grpc::ClientContext context;
      AddBearerToken(token_, &context);
      grpc::Status status = stub_->ListUsers(&context, request, &response);
      if (!status.ok()) return FromGrpcStatus(status);
      all.insert(all.end(), response.users().begin(), response.users().end());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  absl::StatusOr<v1::User> Disable(const std::string& name) override {
    v1::DisableUserRequest request;
    request.set_name(name);
    v1::User disabled;
    grpc::ClientContext context;
    AddBearerToken(token_, &context);
    grpc::Status status = stub_->DisableUser(&context, request, &disabled);
    if (!status.ok()) return FromGrpcStatus(status);
    return disabled;
  }

 private:
  std::unique_ptr<v1::AuthService::Stub> stub_;
  std::string token_;
};

}  // namespace

std::unique_ptr<UserAdmin> LocalUserAdmin(UserStore* users) {
  return std::make_unique<Local>(users);
}

std::unique_ptr<UserAdmin> RemoteUserAdmin(
    std::shared_ptr<grpc::ChannelInterface> channel, std::string token) {
  return std::make_unique<Remote>(std::move(channel), std::move(token));
}

}  // namespace c1tally::c1ctl
