// c1ctl login, upload and submissions: what an uploader or operator runs
// against a live c1tallyd (--server). The token comes from --token or the
// C1TALLY_TOKEN environment variable.
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "c1tally/v1/auth.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "nlohmann/json.hpp"
#include "ocr/image_decode.h"
#include "services/common/grpc_status.h"
#include "services/ingest/upload_client.h"
#include "tools/c1ctl/command.h"

ABSL_DECLARE_FLAG(absl::Duration, token_ttl);
ABSL_FLAG(std::string, token, "",
          "access token (default: the C1TALLY_TOKEN environment variable)");
ABSL_FLAG(std::string, tps, "", "upload, submissions list: 13-digit TPS code");
// upload: the race of the form photographed (ppwp, pdpr, pdprdp, pdprdk,
// pdpd); legislative photos go to people whole.
ABSL_DECLARE_FLAG(std::string, race);  // audit_command.cc
ABSL_FLAG(std::string, uploader, "",
          "submissions list: whose uploads (default: the caller's)");

namespace c1tally::c1ctl {

std::shared_ptr<grpc::Channel> ServerChannel() {
  return grpc::CreateChannel(absl::GetFlag(FLAGS_server),
                             grpc::InsecureChannelCredentials());
}

std::string CallerToken() {
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty()) {
    if (const char* env = std::getenv("C1TALLY_TOKEN"); env != nullptr) {
      token = env;
    }
  }
  return token;
}

namespace {

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options)
           .ok()) {
    return "{}";
  }
  return json;
}

int Login(const std::string& user) {
  absl::StatusOr<std::string> password = ReadPassword();
  if (!password.ok()) return Fail(password.status());
  auto stub = v1::AuthService::NewStub(ServerChannel());
  v1::CreateTokenRequest request;
  request.set_user(user);
  request.set_password(*password);
  request.set_ttl_seconds(absl::ToInt64Seconds(absl::GetFlag(FLAGS_token_ttl)));
  v1::CreateTokenResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub->CreateToken(&context, request, &response);
  if (!status.ok()) return Fail(FromGrpcStatus(status));
  std::cout << response.token() << "\n";
  return 0;
}

// One JSON line per file; exit 3 when any was refused.
int Upload(const std::vector<std::string>& files) {
  const std::string tps = absl::GetFlag(FLAGS_tps);
  if (tps.empty()) return Fail(absl::InvalidArgumentError("--tps is required"));
  auto stub = v1::IngestService::NewStub(ServerChannel());
  int refused = 0;
  for (const std::string& file : files) {
    absl::StatusOr<v1::Submission> submission;
    absl::StatusOr<std::string> bytes = ocr::ReadPhotoFile(file);
    submission = bytes.ok() ? UploadPhoto(stub.get(), CallerToken(), tps,
                                          *bytes, absl::GetFlag(FLAGS_race))
                            : absl::StatusOr<v1::Submission>(bytes.status());
    nlohmann::json line = {{"file", file}};
    if (submission.ok()) {
      line["submission"] = nlohmann::json::parse(ToJson(*submission));
    } else {
      ++refused;
      line["error"] = absl::StatusCodeToString(submission.status().code());
      line["message"] = std::string(submission.status().message());
    }
    std::cout << line.dump() << "\n";
  }
  return refused == 0 ? 0 : 3;
}

int Get(const std::string& name) {
  auto stub = v1::IngestService::NewStub(ServerChannel());
  v1::GetSubmissionRequest request;
  request.set_name(name);
  v1::Submission submission;
  grpc::ClientContext context;
  AddBearerToken(CallerToken(), &context);
  grpc::Status status = stub->GetSubmission(&context, request, &submission);
  if (!status.ok()) return Fail(FromGrpcStatus(status));
  std::cout << ToJson(submission) << "\n";
  return 0;
}

int List() {
  auto stub = v1::IngestService::NewStub(ServerChannel());
  v1::ListSubmissionsRequest request;
  request.set_tps_code(absl::GetFlag(FLAGS_tps));
  request.set_uploader(absl::GetFlag(FLAGS_uploader));
  request.set_page_size(1000);
  do {
    v1::ListSubmissionsResponse response;
    grpc::ClientContext context;
    AddBearerToken(CallerToken(), &context);
    grpc::Status status = stub->ListSubmissions(&context, request, &response);
    if (!status.ok()) return Fail(FromGrpcStatus(status));
    for (const v1::Submission& submission : response.submissions()) {
      std::cout << ToJson(submission) << "\n";
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return 0;
}

}  // namespace

int RunLogin(const std::vector<std::string>& args) {
  if (args.size() == 1) return Login(args[0]);
  std::cerr << "c1ctl: usage: c1ctl login USER --server HOST:PORT "
               "[--token_ttl=24h] (password from C1TALLY_PASSWORD or stdin)\n";
  return 2;
}

int RunUpload(const std::vector<std::string>& args) {
  if (!args.empty()) return Upload(args);
  std::cerr << "c1ctl: usage: c1ctl upload --tps CODE [--race RACE] FILE... "
               "--server HOST:PORT [--token T]\n";
  return 2;
}

int RunSubmissions(const std::vector<std::string>& args) {
  if (args[0] == "get" && args.size() == 2) return Get(args[1]);
  if (args[0] == "list" && args.size() == 1) return List();
  std::cerr << "c1ctl: usage: c1ctl submissions get NAME | submissions list "
               "[--tps CODE] [--uploader NAME]  (--server, --token)\n";
  return 2;
}

}  // namespace c1tally::c1ctl
