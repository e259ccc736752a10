// The operator's and uploader's workflow through the built binaries: users
// made with c1ctl against the data directory, c1tallyd serving ingest,
// c1ctl login / upload / submissions against it.
#include <signal.h>
#include <stdlib.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

class IngestCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    photo_ = testing::SharedDataDir() + "/forms/photos/2024/ppwp-page2-a.jpg";
    C1TALLY_NEED(!testing::SharedDataDir().empty(), "../shared/data");
    data_ = testing::FixtureDataDir(dir_);
    unsetenv("C1TALLY_TOKEN");
  }
  void TearDown() override {
    unsetenv("C1TALLY_PASSWORD");
    unsetenv("C1TALLY_TOKEN");
  }

  testing::ProgramResult C1ctl(std::vector<std::string> args) {
    args.insert(args.begin(), testing::BinaryPath("c1ctl"));
    return testing::RunProgram(args);
  }

  // Starts c1tallyd on the data directory; returns "127.0.0.1:PORT".
  std::string StartServer(const std::string& log) {
    server_ = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{testing::BinaryPath("c1tallyd"),
                                 "--data=" + data_, "--grpc=127.0.0.1:0",
                                 "--http=127.0.0.1:0",
                                 "--services=tally,ingest"},
        dir_.Sub(log));
    const std::string line = server_->WaitForLine("gRPC on port", 60);
    int port = 0;
    const size_t at = line.find("port ");
    if (at != std::string::npos) {
      std::string digits = line.substr(at + 5);
      absl::SimpleAtoi(digits.substr(0, digits.find_first_not_of("0123456789")),
                       &port);
    }
    EXPECT_GT(port, 0) << testing::ReadFile(dir_.Sub(log));
    return absl::StrCat("127.0.0.1:", port);
  }

  testing::TempDir dir_;
  std::string data_;
  std::string photo_;
  std::unique_ptr<testing::ChildProcess> server_;
};

TEST_F(IngestCliTest, CreateUserLogInUploadList) {
  setenv("C1TALLY_PASSWORD", "saksi-password", 1);
  testing::ProgramResult created = C1ctl(
      {"users", "create", "saksi", "--roles=uploader", "--data=" + data_});
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_THAT(created.output, HasSubstr("saksi roles=uploader"));
  testing::ProgramResult bad_role =
      C1ctl({"users", "create", "x", "--roles=king", "--data=" + data_});
  EXPECT_NE(bad_role.exit_code, 0);
  EXPECT_THAT(bad_role.output, HasSubstr("unknown role"));

  const std::string server = StartServer("server1.log");
  testing::ProgramResult login =
      C1ctl({"login", "saksi", "--server=" + server});
  ASSERT_EQ(login.exit_code, 0) << login.output;
  const std::string token(absl::StripAsciiWhitespace(login.output));
  ASSERT_THAT(token, ::testing::StartsWith("c1t_"));

  const std::string text = dir_.Sub("notes.txt");
  testing::WriteFile(text, "suara sah 235\n");
  testing::ProgramResult uploaded =
      C1ctl({"upload", "--tps=3101011001001", photo_, text,
             "--server=" + server, "--token=" + token});
  EXPECT_EQ(uploaded.exit_code, 3) << uploaded.output;
  std::vector<std::string> lines =
      absl::StrSplit(uploaded.output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << uploaded.output;
  nlohmann::json stored = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(stored["submission"]["state"], "STATE_RECEIVED");
  EXPECT_EQ(stored["submission"]["uploader"], "saksi");
  nlohmann::json refused = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(refused["error"], "INVALID_ARGUMENT");

  setenv("C1TALLY_TOKEN", token.c_str(), 1);
  testing::ProgramResult listed =
      C1ctl({"submissions", "list", "--server=" + server});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_THAT(listed.output,
              HasSubstr(stored["submission"]["name"].get<std::string>()));
  unsetenv("C1TALLY_TOKEN");
  testing::ProgramResult anonymous =
      C1ctl({"submissions", "list", "--server=" + server});
  EXPECT_NE(anonymous.exit_code, 0);
  EXPECT_THAT(anonymous.output, HasSubstr("needs a token"));
  EXPECT_EQ(server_->Stop(SIGTERM), 0);

  // Disabled while the server is down: the old token no longer works.
  ASSERT_EQ(C1ctl({"users", "disable", "saksi", "--data=" + data_}).exit_code,
            0);
  const std::string restarted = StartServer("server2.log");
  testing::ProgramResult after = C1ctl(
      {"submissions", "list", "--server=" + restarted, "--token=" + token});
  EXPECT_NE(after.exit_code, 0);
  EXPECT_THAT(after.output, HasSubstr("disabled"));
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
}

TEST_F(IngestCliTest, AdminManagesUsersOnARunningServer) {
  setenv("C1TALLY_PASSWORD", "admin-password", 1);
  ASSERT_EQ(
      C1ctl({"users", "create", "admin", "--roles=admin", "--data=" + data_})
          .exit_code,
      0);
  testing::ProgramResult issued =
      C1ctl({"users", "token", "admin", "--data=" + data_});
  ASSERT_EQ(issued.exit_code, 0) << issued.output;
  const std::string admin_token =
      std::vector<std::string>(absl::StrSplit(issued.output, '\n'))[0];
  ASSERT_THAT(admin_token, ::testing::StartsWith("c1t_"));

  const std::string server = StartServer("server.log");
  setenv("C1TALLY_PASSWORD", "clerk-password", 1);
  testing::ProgramResult created =
      C1ctl({"users", "create", "clerk", "--roles=volunteer,uploader",
             "--server=" + server, "--token=" + admin_token});
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_THAT(created.output, HasSubstr("clerk roles=volunteer,uploader"));
  testing::ProgramResult listed =
      C1ctl({"users", "list", "--server=" + server, "--token=" + admin_token});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_THAT(listed.output, HasSubstr("admin roles=admin"));
  EXPECT_THAT(listed.output, HasSubstr("clerk roles=volunteer,uploader"));

  // The new user logs in; an uploader's token is no admin's.
  testing::ProgramResult login =
      C1ctl({"login", "clerk", "--server=" + server});
  ASSERT_EQ(login.exit_code, 0) << login.output;
  const std::string clerk_token(absl::StripAsciiWhitespace(login.output));
  testing::ProgramResult refused =
      C1ctl({"users", "disable", "admin", "--server=" + server,
             "--token=" + clerk_token});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.output, HasSubstr("ROLE_ADMIN"));
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace c1tally
