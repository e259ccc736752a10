#include "tests/ingest_test_support.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "opencv2/core.hpp"
#include "opencv2/imgcodecs.hpp"

namespace c1tally::testing {

std::unique_ptr<Server> StartIngestServer(const std::string& data_dir,
                                          const UploadQuota& quota,
                                          const std::string& photo_store,
                                          int max_uploads) {
  Server::Options options;
  options.data_dir = data_dir;
  options.grpc_address = "127.0.0.1:0";
  options.services = {Server::kTally, Server::kAudit, Server::kIngest};
  options.upload_quota = quota;
  options.photo_store = photo_store;
  options.max_concurrent_uploads = max_uploads;
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

int CountFiles(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) return 0;
  int count = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir, error)) {
    count += entry.is_regular_file() ? 1 : 0;
  }
  return count;
}

std::string FixtureDataDir(const TempDir& dir) {
  const std::string path = dir.Sub("db");
  auto db = OpenDatabase(path);
  ImportFixtureTree(db.get(), dir);
  ImportFixtureReference(db.get());
  return path;
}

std::string UserToken(Server* server, const std::string& name,
                      const std::vector<v1::Role>& roles) {
  v1::User user;
  user.set_name(name);
  for (v1::Role role : roles) user.add_roles(role);
  absl::StatusOr<v1::User> created =
      server->user_store()->CreateUser(user, absl::StrCat("password-", name));
  EXPECT_TRUE(created.ok()) << created.status();
  absl::StatusOr<IssuedToken> token =
      server->user_store()->IssueToken(name, absl::Hours(1));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? token->token : "";
}

std::shared_ptr<grpc::Channel> ChannelTo(const Server& server) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", server.grpc_port()),
                             grpc::InsecureChannelCredentials());
}

std::string RealPhoto(const std::string& name) {
  const std::string shared = SharedDataDir();
  if (shared.empty()) return "";
  return ReadFile(absl::StrCat(shared, "/forms/photos/2024/", name));
}

std::string AnyPhoto() {
  cv::Mat texture(900, 1200, CV_8UC3);
  cv::RNG(20240214).fill(texture, cv::RNG::UNIFORM, 0, 256);
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", texture, jpeg, {cv::IMWRITE_JPEG_QUALITY, 80});
  return std::string(jpeg.begin(), jpeg.end());
}

}  // namespace c1tally::testing
