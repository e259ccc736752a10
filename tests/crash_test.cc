// Kills c1tallyd with SIGKILL in the middle of a bulk load (of ppwp, and of
// all five races), restarts it, and checks that no acknowledged write was
// lost and that `c1ctl tally verify`
// finds the aggregates and the journal consistent.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/auth/token_channel.h"
#include "storage/reference/ballot_index.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/sample_results.h"
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

// One result to load: a TPS in a race, with its ballot there (null for
// ppwp).
struct Item {
  std::string tps;
  std::string race;
  const v1::Ballot* ballot = nullptr;
};

v1::TpsResult Sample(const Item& item, int round) {
  return item.race == "ppwp" ? SamplePpwpResult(item.tps, round)
                             : SampleLegislativeResult(item.tps, item.race,
                                                       *item.ballot, round);
}

// Per (TPS, race): suara_total as acknowledged, and as in flight when the
// server died (which may or may not have landed).
using Key = std::pair<std::string, std::string>;
struct Load {
  std::map<Key, int64_t> acknowledged;
  std::map<Key, int64_t> in_flight;
  int batches = 0;
};

// Loads `items` round after round, `batch` results per call, and kills the
// server with SIGKILL once `kill_after` batches were acknowledged, while
// the loader keeps sending.
Load LoadAndKill(testing::ChildProcess* server, v1::TallyService::Stub* stub,
                 const std::vector<Item>& items, size_t batch, int kill_after) {
  std::mutex mu;
  Load load;
  std::atomic<int> batches{0};
  std::atomic<bool> loader_done{false};
  std::thread loader([&] {
    struct Done {
      std::atomic<bool>* flag;
      ~Done() { *flag = true; }
    } done{&loader_done};
    // Several rounds, so that later rounds correct earlier results.
    for (int round = 0; round < 100; ++round) {
      for (size_t start = 0; start < items.size(); start += batch) {
        v1::BatchUpdateTpsResultsRequest request;
        std::map<Key, int64_t> sent;
        for (size_t i = start; i < std::min(items.size(), start + batch); ++i) {
          v1::TpsResult result = Sample(items[i], round);
          sent[{items[i].tps, items[i].race}] =
              result.values().at("suara_total");
          *request.add_requests()->mutable_result() = std::move(result);
        }
        {
          std::lock_guard<std::mutex> lock(mu);
          load.in_flight = sent;
        }
        v1::BatchUpdateTpsResultsResponse response;
        grpc::ClientContext context;
        if (!stub->BatchUpdateTpsResults(&context, request, &response).ok()) {
          return;  // The server is gone.
        }
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& [key, total] : sent) load.acknowledged[key] = total;
        load.in_flight.clear();
        ++batches;
      }
    }
  });
  while (batches < kill_after && !loader_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  loader.join();
  load.batches = batches;
  return load;
}

// Every acknowledged result is stored (the one in flight as sent or as
// before); returns how many were checked.
size_t ExpectNothingLost(v1::TallyService::Stub* stub, const Load& load) {
  size_t checked = 0;
  for (const auto& [key, total] : load.acknowledged) {
    const auto& [code, race] = key;
    v1::GetTpsRequest request;
    request.set_code(code);
    v1::Tps response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->GetTps(&context, request, &response).ok()) << code;
    const v1::TpsResult* found = nullptr;
    for (const v1::TpsResult& result : response.results()) {
      if (result.form_kind() == race) found = &result;
    }
    if (found == nullptr) {
      ADD_FAILURE() << code << " lost its " << race << " result";
      continue;
    }
    const int64_t stored = found->values().at("suara_total");
    auto pending = load.in_flight.find(key);
    if (pending != load.in_flight.end() && stored == pending->second) continue;
    EXPECT_EQ(stored, total) << code << " " << race;
    ++checked;
  }
  return checked;
}

// A graceful stop, then the full verification of aggregates (regions and
// dapil) and journal.
void ExpectVerified(testing::ChildProcess* server,
                    const testing::TempDir& dir) {
  EXPECT_EQ(server->Stop(SIGTERM), 0);
  testing::ProgramResult verified =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "tally", "verify",
                           "--data=" + dir.Sub("data")});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr("differences=0"));
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
  std::vector<Item> items;
  for (const std::string& code : AllTps(stub.get())) {
    items.push_back({code, "ppwp"});
  }
  ASSERT_GT(items.size(), 1000u);

  const Load load = LoadAndKill(server.get(), stub.get(), items, 50, 150);
  ASSERT_GE(load.batches, 150);

  port = StartServer(&server, dir, "server2.log");
  ASSERT_GT(port, 0);
  stub = Connect(port, token);
  EXPECT_GT(ExpectNothingLost(stub.get(), load), 1000u);
  ExpectVerified(server.get(), dir);
}

TEST(CrashTest, KilledDuringFiveRaceLoadLosesNoAcknowledgedWrite) {
  testing::TempDir dir;
  testing::ProgramResult generated = testing::RunProgram(
      {testing::BinaryPath("c1ctl"), "regions", "generate",
       "--data=" + dir.Sub("data"), "--scale=0.002", "--seed=4"});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  generated = testing::RunProgram({testing::BinaryPath("c1ctl"), "reference",
                                   "generate", "--data=" + dir.Sub("data"),
                                   "--seed=4"});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  const std::string token = AdminToken(dir.Sub("data"));
  // The ballots, read while the server is down.
  BallotIndex ballots;
  {
    Database::Options options;
    options.create_if_missing = false;
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open(dir.Sub("data"), options);
    ASSERT_TRUE(db.ok()) << db.status();
    absl::StatusOr<BallotIndex> index =
        BallotIndex::Load(ReferenceStore(db->get()));
    ASSERT_TRUE(index.ok()) << index.status();
    ballots = *std::move(index);
  }

  std::unique_ptr<testing::ChildProcess> server;
  int port = StartServer(&server, dir, "server1.log");
  ASSERT_GT(port, 0);
  auto stub = Connect(port, token);
  // Each TPS's five races side by side, so that every batch holds all.
  std::vector<Item> items;
  std::map<std::string, int> per_race;
  for (const std::string& code : AllTps(stub.get())) {
    items.push_back({code, "ppwp"});
    for (const char* race : kLegislativeRaces) {
      const v1::Ballot* ballot = ballots.For(race, code);
      if (ballot == nullptr) continue;  // abroad: DPR only
      items.push_back({code, race, ballot});
      ++per_race[race];
    }
  }
  for (const char* race : kLegislativeRaces) {
    ASSERT_GT(per_race[race], 1000) << race;
  }

  const Load load = LoadAndKill(server.get(), stub.get(), items, 50, 150);
  ASSERT_GE(load.batches, 150);
  std::set<std::string> races_acknowledged;
  for (const auto& [key, total] : load.acknowledged) {
    races_acknowledged.insert(key.second);
  }
  EXPECT_EQ(races_acknowledged.size(), 5u);

  port = StartServer(&server, dir, "server2.log");
  ASSERT_GT(port, 0);
  stub = Connect(port, token);
  EXPECT_GT(ExpectNothingLost(stub.get(), load), 5000u);
  ExpectVerified(server.get(), dir);
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
