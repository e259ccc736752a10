// Kills c1tallyd with SIGKILL in the middle of a bulk load, restarts it, and
// checks that no acknowledged write was lost and that `c1ctl tally verify`
// finds the aggregates and the journal consistent.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/auth/token_channel.h"
#include "services/server/demo_data.h"
#include "storage/user_store.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

// Starts c1tallyd on `data` and returns its gRPC port (0 on failure).
int StartServer(std::unique_ptr<testing::ChildProcess>* server,
                const testing::TempDir& dir, const std::string& log) {
  *server = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{testing::BinaryPath("c1tallyd"),
                               "--data=" + dir.Sub("data"),
                               "--grpc=127.0.0.1:0", "--services=tally"},
      dir.Sub(log));
  std::string line = (*server)->WaitForLine("gRPC on port", 60);
  EXPECT_FALSE(line.empty()) << testing::ReadFile(dir.Sub(log));
  int port = 0;
  size_t at = line.find("port ");
  if (at != std::string::npos) {
    std::string digits = line.substr(at + 5);
    digits = digits.substr(0, digits.find_first_not_of("0123456789"));
    absl::SimpleAtoi(digits, &port);
  }
  return port;
}

// A token of a new admin in the (stopped) database at `data`: writes need
// one.
std::string AdminToken(const std::string& data) {
  Database::Options options;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(data, options);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return "";
  v1::User admin;
  admin.set_name("loader");
  admin.add_roles(v1::ROLE_ADMIN);
  absl::StatusOr<IssuedToken> token =
      UserStore(db->get()).CreateTokenUser(admin, absl::Hours(1));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? token->token : "";
}

std::unique_ptr<v1::TallyService::Stub> Connect(int port,
                                                const std::string& token) {
  return v1::TallyService::NewStub(
      CreateTokenChannel(absl::StrCat("127.0.0.1:", port), token));
}

std::vector<std::string> AllTps(v1::TallyService::Stub* stub) {
  std::vector<std::string> codes;
  v1::ListTpsRequest request;
  request.set_page_size(1000);
  do {
    v1::ListTpsResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->ListTps(&context, request, &response).ok());
    for (const v1::Tps& tps : response.tps()) codes.push_back(tps.code());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return codes;
}

TEST(CrashTest, KilledDuringBulkLoadLosesNoAcknowledgedWrite) {
  testing::TempDir dir;
  testing::ProgramResult generated = testing::RunProgram(
      {testing::BinaryPath("c1ctl"), "regions", "generate",
       "--data=" + dir.Sub("data"), "--scale=0.005", "--seed=3"});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const std::string token = AdminToken(dir.Sub("data"));

  std::unique_ptr<testing::ChildProcess> server;
  int port = StartServer(&server, dir, "server1.log");
  ASSERT_GT(port, 0);
  auto stub = Connect(port, token);
  const std::vector<std::string> tps = AllTps(stub.get());
  ASSERT_GT(tps.size(), 1000u);

  // What the server acknowledged, and what was in flight when it died.
  std::mutex mu;
  std::map<std::string, int64_t> acknowledged;  // TPS -> suara_total
  std::map<std::string, int64_t> in_flight;
  std::atomic<int> batches{0};
  std::atomic<bool> loader_done{false};
  std::thread loader([&] {
    struct Done {
      std::atomic<bool>* flag;
      ~Done() { *flag = true; }
    } done{&loader_done};
    constexpr size_t kBatch = 50;
    // Several rounds, so that later rounds correct earlier results.
    for (int round = 0; round < 100; ++round) {
      for (size_t start = 0; start < tps.size(); start += kBatch) {
        v1::BatchUpdateTpsResultsRequest request;
        std::map<std::string, int64_t> sent;
        for (size_t i = start; i < std::min(tps.size(), start + kBatch); ++i) {
          v1::TpsResult result = SamplePpwpResult(tps[i], round);
          sent[tps[i]] = result.values().at("suara_total");
          *request.add_requests()->mutable_result() = std::move(result);
        }
        {
          std::lock_guard<std::mutex> lock(mu);
          in_flight = sent;
        }
        v1::BatchUpdateTpsResultsResponse response;
        grpc::ClientContext context;
        if (!stub->BatchUpdateTpsResults(&context, request, &response).ok()) {
          return;  // The server is gone.
        }
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& [code, total] : sent) acknowledged[code] = total;
        in_flight.clear();
        ++batches;
      }
    }
  });
  // Kill it mid-load: after a good number of acknowledged batches, while
  // the loader keeps sending.
  while (batches < 150 && !loader_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  loader.join();
  ASSERT_GE(batches.load(), 150);

  port = StartServer(&server, dir, "server2.log");
  ASSERT_GT(port, 0);
  stub = Connect(port, token);
  size_t checked = 0;
  for (const auto& [code, total] : acknowledged) {
    v1::GetTpsRequest request;
    request.set_code(code);
    v1::Tps response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetTps(&context, request, &response).ok()) << code;
    ASSERT_EQ(response.results_size(), 1) << code << " lost its result";
    const int64_t stored = response.results(0).values().at("suara_total");
    // The batch in flight at the kill may or may not have landed.
    auto pending = in_flight.find(code);
    if (pending != in_flight.end() && stored == pending->second) continue;
    EXPECT_EQ(stored, total) << code;
    ++checked;
  }
  EXPECT_GT(checked, 1000u);

  // A graceful stop, then the full verification.
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  testing::ProgramResult verified =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "tally", "verify",
                           "--data=" + dir.Sub("data")});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("differences=0"));
}

TEST(CrashTest, CorruptDataDirectoryIsRefusedAtStart) {
  testing::TempDir dir;
  testing::ProgramResult generated =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "regions", "generate",
                           "--data=" + dir.Sub("data"), "--scale=0.001"});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  // Overwrite the manifest: the database no longer opens.
  for (const auto& entry :
       std::filesystem::directory_iterator(dir.Sub("data"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("MANIFEST", 0) == 0) {
      testing::WriteFile(entry.path().string(), "garbage");
    }
  }
  testing::ProgramResult started = testing::RunProgram(
      {testing::BinaryPath("c1tallyd"), "--data=" + dir.Sub("data"),
       "--grpc=127.0.0.1:0", "--http=127.0.0.1:0"});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_THAT(started.output, HasSubstr("refusing to start"));
  EXPECT_THAT(started.output, HasSubstr("never rebuilt automatically"));
  // Still refused the second time: nothing was "repaired".
  started = testing::RunProgram({testing::BinaryPath("c1tallyd"),
                                 "--data=" + dir.Sub("data"),
                                 "--grpc=127.0.0.1:0", "--http=127.0.0.1:0"});
  EXPECT_EQ(started.exit_code, 1);
}

}  // namespace
}  // namespace c1tally
