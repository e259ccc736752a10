// Authentication and roles on a real server on loopback: the method policy
// table, tokens in metadata, and the AuthService.
#include "services/auth/auth_service.h"

#include "c1tally/v1/audit.grpc.pb.h"
#include "c1tally/v1/auth.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/ocr.pb.h"
#include "c1tally/v1/review.pb.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/auth/method_policy.h"
#include "services/ingest/upload_client.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

TEST(MethodPolicyTest, EveryMethodOfEveryServiceHasAPolicy) {
  // Touch one message of each file so that its descriptors are linked in.
  const google::protobuf::FileDescriptor* files[] = {
      v1::GetRegionRequest::descriptor()->file(),
      v1::ImportSirekapRecordsRequest::descriptor()->file(),
      v1::CreateTokenRequest::descriptor()->file(),
      v1::CreateSubmissionRequest::descriptor()->file(),
      v1::LeaseOcrJobRequest::descriptor()->file(),
      v1::ClaimReviewTaskRequest::descriptor()->file(),
  };
  int methods = 0;
  for (const google::protobuf::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const std::string name = absl::StrCat("/", service->full_name(), "/",
                                              service->method(m)->name());
        EXPECT_NE(FindMethodPolicy(name), nullptr) << name;
        ++methods;
      }
    }
  }
  // And no policy names a method that does not exist.
  EXPECT_EQ(static_cast<int>(AllMethodPolicies().size()), methods);
  for (const MethodPolicy& policy : AllMethodPolicies()) {
    EXPECT_TRUE(policy.open || policy.signed_in || !policy.roles.empty())
        << policy.method;
  }
}

TEST(MethodPolicyTest, RulesAreTheProtosAccessOptions) {
  const MethodPolicy* create_user =
      FindMethodPolicy("/c1tally.v1.AuthService/CreateUser");
  ASSERT_NE(create_user, nullptr);
  EXPECT_FALSE(create_user->open);
  EXPECT_THAT(create_user->roles, ::testing::ElementsAre(v1::ROLE_ADMIN));
  const MethodPolicy* import =
      FindMethodPolicy("/c1tally.v1.AuditService/ImportSirekapRecords");
  ASSERT_NE(import, nullptr);
  EXPECT_THAT(import->roles,
              ::testing::ElementsAre(v1::ROLE_AUDITOR, v1::ROLE_ADMIN));
  const MethodPolicy* get_region =
      FindMethodPolicy("/c1tally.v1.TallyService/GetRegion");
  ASSERT_NE(get_region, nullptr);
  EXPECT_TRUE(get_region->open);
  EXPECT_EQ(FindMethodPolicy("/c1tally.v1.TallyService/NoSuchMethod"), nullptr);
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::StartIngestServer(testing::FixtureDataDir(dir_));
    ASSERT_NE(server_, nullptr);
    auth_ = v1::AuthService::NewStub(testing::ChannelTo(*server_));
    ingest_ = v1::IngestService::NewStub(testing::ChannelTo(*server_));
    tally_ = v1::TallyService::NewStub(testing::ChannelTo(*server_));
  }

  grpc::Status ListSubmissions(const std::string& authorization) {
    grpc::ClientContext context;
    if (!authorization.empty()) {
      context.AddMetadata("authorization", authorization);
    }
    v1::ListSubmissionsRequest request;
    v1::ListSubmissionsResponse response;
    return ingest_->ListSubmissions(&context, request, &response);
  }

  testing::TempDir dir_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::AuthService::Stub> auth_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<v1::TallyService::Stub> tally_;
};

TEST_F(AuthServiceTest, ReadingResultsNeedsNoLogin) {
  grpc::ClientContext context;
  v1::GetRegionRequest request;
  request.set_code("31");
  v1::Region region;
  EXPECT_TRUE(tally_->GetRegion(&context, request, &region).ok());
}

TEST_F(AuthServiceTest, TallyWritesNeedAnAdmin) {
  v1::DeleteTpsResultRequest request;
  request.set_tps_code("3101011001001");
  request.set_reason("test");
  v1::DeleteTpsResultResponse response;
  {
    grpc::ClientContext context;
    EXPECT_EQ(
        tally_->DeleteTpsResult(&context, request, &response).error_code(),
        grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext context;
    AddBearerToken(testing::UserToken(server_.get(), "relawan",
                                      {v1::ROLE_VOLUNTEER, v1::ROLE_UPLOADER}),
                   &context);
    EXPECT_EQ(
        tally_->DeleteTpsResult(&context, request, &response).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  grpc::ClientContext context;
  AddBearerToken(testing::UserToken(server_.get(), "admin", {v1::ROLE_ADMIN}),
                 &context);
  // Past the check: there is no result to delete.
  EXPECT_EQ(tally_->DeleteTpsResult(&context, request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AuthServiceTest, SirekapImportNeedsAnAuditorOrAdmin) {
  auto audit = v1::AuditService::NewStub(testing::ChannelTo(*server_));
  v1::ImportSirekapRecordsRequest request;
  v1::ImportSirekapRecordsResponse response;
  {
    grpc::ClientContext context;
    EXPECT_EQ(
        audit->ImportSirekapRecords(&context, request, &response).error_code(),
        grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext context;
    AddBearerToken(
        testing::UserToken(server_.get(), "moderator", {v1::ROLE_MODERATOR}),
        &context);
    EXPECT_EQ(
        audit->ImportSirekapRecords(&context, request, &response).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  grpc::ClientContext context;
  AddBearerToken(
      testing::UserToken(server_.get(), "auditor", {v1::ROLE_AUDITOR}),
      &context);
  EXPECT_TRUE(audit->ImportSirekapRecords(&context, request, &response).ok());
}

TEST_F(AuthServiceTest, NoOrBadTokenIsUnauthenticated) {
  for (const std::string& header :
       {std::string(), std::string("Basic abc"), std::string("Bearer "),
        std::string("Bearer c1t_not-a-real-token")}) {
    grpc::Status status = ListSubmissions(header);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << "\"" << header << "\": " << status.error_message();
  }
}

TEST_F(AuthServiceTest, WrongRoleIsPermissionDenied) {
  const std::string volunteer =
      testing::UserToken(server_.get(), "relawan", {v1::ROLE_VOLUNTEER});
  grpc::Status status = ListSubmissions("Bearer " + volunteer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("ROLE_UPLOADER"));
  absl::Status upload =
      UploadPhoto(ingest_.get(), volunteer, "3101011001001", "bytes").status();
  EXPECT_TRUE(absl::IsPermissionDenied(upload)) << upload;

  const std::string uploader =
      testing::UserToken(server_.get(), "saksi", {v1::ROLE_UPLOADER});
  EXPECT_TRUE(ListSubmissions("Bearer " + uploader).ok());
}

TEST_F(AuthServiceTest, LoginGivesAWorkingToken) {
  testing::UserToken(server_.get(), "saksi", {v1::ROLE_UPLOADER});
  v1::CreateTokenRequest request;
  request.set_user("saksi");
  request.set_password("password-saksi");
  request.set_ttl_seconds(3600);
  v1::CreateTokenResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(auth_->CreateToken(&context, request, &response).ok());
  }
  EXPECT_TRUE(ListSubmissions("Bearer " + response.token()).ok());

  request.set_password("wrong-password");
  grpc::ClientContext context;
  EXPECT_EQ(auth_->CreateToken(&context, request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthServiceTest, CurrentUserIsWhoeverTheTokenSays) {
  // Any role will do: the web asks it for every signed-in page.
  for (v1::Role role : {v1::ROLE_UPLOADER, v1::ROLE_OCR_WORKER}) {
    const std::string name = absl::StrCat("user", static_cast<int>(role));
    const std::string token = testing::UserToken(server_.get(), name, {role});
    grpc::ClientContext context;
    AddBearerToken(token, &context);
    v1::User user;
    ASSERT_TRUE(auth_->GetCurrentUser(&context, {}, &user).ok()) << name;
    EXPECT_EQ(user.name(), name);
    ASSERT_EQ(user.roles_size(), 1);
    EXPECT_EQ(user.roles(0), role);
  }
  for (const std::string& token : {std::string(), std::string("c1t_00")}) {
    grpc::ClientContext context;
    if (!token.empty()) AddBearerToken(token, &context);
    v1::User user;
    EXPECT_EQ(auth_->GetCurrentUser(&context, {}, &user).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << token;
  }
}

TEST_F(AuthServiceTest, AdminsManageUsersOthersMayNot) {
  const std::string admin =
      testing::UserToken(server_.get(), "admin", {v1::ROLE_ADMIN});
  const std::string moderator =
      testing::UserToken(server_.get(), "moderator", {v1::ROLE_MODERATOR});
  v1::CreateUserRequest create;
  create.mutable_user()->set_name("saksi2");
  create.mutable_user()->add_roles(v1::ROLE_UPLOADER);
  create.set_password("password-saksi2");
  v1::User user;
  {
    grpc::ClientContext context;
    AddBearerToken(moderator, &context);
    EXPECT_EQ(auth_->CreateUser(&context, create, &user).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AddBearerToken(admin, &context);
    ASSERT_TRUE(auth_->CreateUser(&context, create, &user).ok());
  }
  absl::StatusOr<IssuedToken> token =
      server_->user_store()->IssueToken("saksi2", absl::Hours(1));
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(ListSubmissions("Bearer " + token->token).ok());
  {
    v1::ListUsersRequest request;
    v1::ListUsersResponse response;
    grpc::ClientContext context;
    AddBearerToken(admin, &context);
    ASSERT_TRUE(auth_->ListUsers(&context, request, &response).ok());
    EXPECT_EQ(response.users_size(), 3);
  }
  {
    v1::DisableUserRequest request;
    request.set_name("saksi2");
    grpc::ClientContext context;
    AddBearerToken(admin, &context);
    ASSERT_TRUE(auth_->DisableUser(&context, request, &user).ok());
    EXPECT_TRUE(user.disabled());
  }
  EXPECT_EQ(ListSubmissions("Bearer " + token->token).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace c1tally
