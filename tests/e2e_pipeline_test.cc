// End to end with real processes on loopback: a c1tallyd server, two
// c1tallyd OCR worker processes (one killed midway), 200 generated photos
// for 60 TPS uploaded (pages 2 and 3, second photos, exact re-uploads,
// photos that contradict the first, photos of no form), the server killed
// and restarted in the middle of the OCR, simulated volunteers with a 3%
// typo rate and a moderator. At the end every TPS is
// verified or flagged as planned and no published value is wrong.
#include <signal.h>
#include <stdlib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "gtest/gtest.h"
#include "ocr/form_spec.h"
#include "services/auth/token_channel.h"
#include "storage/sha256.h"
#include "storage/synthetic_tree.h"
#include "storage/user_store.h"
#include "tests/test_support.h"
#include "tools/sim/pipeline_scenario.h"

namespace c1tally {
namespace {

// The first `count` TPS codes of the tree in `db`.
std::vector<std::string> TpsCodes(Database* db, int count) {
  std::vector<std::string> codes;
  auto it = db->NewIterator(Family::kTps);
  for (it->SeekToFirst(); it->Valid() && static_cast<int>(codes.size()) < count;
       it->Next()) {
    codes.emplace_back(View(it->key()));
  }
  return codes;
}

std::string Token(UserStore* users, const std::string& name, v1::Role role) {
  v1::User user;
  user.set_name(name);
  user.add_roles(role);
  absl::StatusOr<IssuedToken> token =
      users->CreateTokenUser(user, absl::Hours(2));
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? token->token : "";
}

int PortIn(const std::string& line) {
  int port = 0;
  const size_t at = line.find("port ");
  if (at == std::string::npos) return 0;
  std::string digits = line.substr(at + 5);
  absl::SimpleAtoi(digits.substr(0, digits.find_first_not_of("0123456789")),
                   &port);
  return port;
}

// Submissions of `uploader` that have left the OCR queue.
int ReadSoFar(v1::IngestService::Stub* stub, const std::string& uploader) {
  int read = 0;
  std::string token;
  do {
    v1::ListSubmissionsRequest request;
    request.set_uploader(uploader);
    request.set_page_size(500);
    request.set_page_token(token);
    v1::ListSubmissionsResponse response;
    grpc::ClientContext context;
    if (!stub->ListSubmissions(&context, request, &response).ok()) return 0;
    for (const v1::Submission& submission : response.submissions()) {
      read += submission.state() != v1::Submission::STATE_RECEIVED;
    }
    token = response.next_page_token();
  } while (!token.empty());
  return read;
}

TEST(EndToEndTest, PhotosInVerifiedResultsOut) {
  const std::string shared = testing::SharedDataDir();
  C1TALLY_NEED(!shared.empty(), "../shared/data");
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  std::vector<std::string> codes;
  std::string uploader, worker, moderator;
  std::vector<std::string> volunteers;
  {
    std::unique_ptr<Database> db = testing::OpenDatabase(data);
    SyntheticTreeOptions tree;
    tree.scale = 0.0002;  // a few hundred TPS
    ASSERT_TRUE(GenerateSyntheticTree(db.get(), tree).ok());
    codes = TpsCodes(db.get(), 60);
    ASSERT_EQ(codes.size(), 60u);
    UserStore users(db.get());
    uploader = Token(&users, "saksi", v1::ROLE_UPLOADER);
    worker = Token(&users, "ocr", v1::ROLE_OCR_WORKER);
    moderator = Token(&users, "moderator", v1::ROLE_MODERATOR);
    for (int i = 0; i < 5; ++i) {
      volunteers.push_back(
          Token(&users, absl::StrCat("relawan", i), v1::ROLE_VOLUNTEER));
    }
  }

  absl::StatusOr<synth::FormGenerator> generator = synth::FormGenerator::Load(
      ocr::DefaultFormsDir(), shared + "/forms/templates", C1TALLY_MNIST_DIR);
  ASSERT_TRUE(generator.ok()) << generator.status();
  sim::ScenarioOptions options;
  options.photos = 200;
  options.tps = 60;
  options.typo_rate = 0.03;
  absl::StatusOr<sim::PipelineScenario> scenario =
      sim::PipelineScenario::Create(*generator, codes, options);
  ASSERT_TRUE(scenario.ok()) << scenario.status();

  auto start_server = [&](const std::string& grpc, const std::string& log) {
    return std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{
            testing::BinaryPath("c1tallyd"), "--data=" + data, "--grpc=" + grpc,
            "--http=127.0.0.1:0", "--services=tally,ingest",
            "--upload_photos_per_hour=0", "--upload_bytes_per_day=0"},
        dir.Sub(log));
  };
  std::unique_ptr<testing::ChildProcess> server =
      start_server("127.0.0.1:0", "server.log");
  const int port = PortIn(server->WaitForLine("gRPC on port", 60));
  ASSERT_GT(port, 0) << testing::ReadFile(dir.Sub("server.log"));
  const std::string target = absl::StrCat("127.0.0.1:", port);

  // The workers find their token in the environment, as in production.
  setenv("C1TALLY_TOKEN", worker.c_str(), 1);
  std::vector<std::unique_ptr<testing::ChildProcess>> workers;
  for (int i = 0; i < 2; ++i) {
    workers.push_back(std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{testing::BinaryPath("c1tallyd"),
                                 "--services=ocr", "--queue=" + target,
                                 "--ocr_lease=5s"},
        dir.Sub(absl::StrCat("worker", i, ".log"))));
    ASSERT_FALSE(workers.back()->WaitForLine("OCR worker", 60).empty())
        << testing::ReadFile(dir.Sub(absl::StrCat("worker", i, ".log")));
  }
  unsetenv("C1TALLY_TOKEN");

  ASSERT_TRUE(scenario->Upload(target, uploader).ok());
  // Kill one worker in the middle of the work, job in hand or not.
  auto observer =
      v1::IngestService::NewStub(CreateTokenChannel(target, moderator));
  const absl::Time give_up = absl::Now() + absl::Minutes(5);
  while (ReadSoFar(observer.get(), "saksi") < scenario->unique_photos() / 3 &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_EQ(workers[0]->Stop(SIGKILL), 128 + SIGKILL);
  // And the server too, with jobs leased and readings on their way; it
  // comes back on the same port and the surviving worker carries on.
  EXPECT_EQ(server->Stop(SIGKILL), 128 + SIGKILL);
  server = start_server(target, "server-restarted.log");
  ASSERT_FALSE(server->WaitForLine("gRPC on port", 60).empty())
      << testing::ReadFile(dir.Sub("server-restarted.log"));

  absl::Status reviewed =
      scenario->Review(target, volunteers, moderator, absl::Minutes(10));
  ASSERT_TRUE(reviewed.ok()) << reviewed;
  absl::StatusOr<sim::ScenarioOutcome> outcome =
      scenario->Check(target, moderator);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  for (const std::string& problem : outcome->problems) ADD_FAILURE() << problem;
  EXPECT_EQ(outcome->tps, 60);
  EXPECT_EQ(outcome->wrong_verified, 0);
  EXPECT_EQ(outcome->unexpected, 0);
  EXPECT_GT(outcome->flagged, 0);
  EXPECT_EQ(outcome->verified + outcome->flagged, 60);
  EXPECT_GT(outcome->non_forms, 0);
  EXPECT_EQ(outcome->non_forms_failed, outcome->non_forms);
  // What everyone sees of the photos, with no token: read forms only,
  // without their uploader, the bytes as uploaded.
  auto public_stub = v1::IngestService::NewStub(CreateTokenChannel(target, ""));
  int public_photos = 0;
  for (const std::string& code : codes) {
    v1::ListPublicSubmissionsRequest list;
    list.set_tps_code(code);
    v1::ListPublicSubmissionsResponse listed;
    grpc::ClientContext context;
    ASSERT_TRUE(
        public_stub->ListPublicSubmissions(&context, list, &listed).ok());
    for (const v1::Submission& submission : listed.submissions()) {
      EXPECT_EQ(submission.uploader(), "") << submission.name();
      EXPECT_TRUE(submission.state() == v1::Submission::STATE_SETTLED ||
                  submission.state() == v1::Submission::STATE_READ)
          << submission.name();
      if (++public_photos > 3) continue;
      v1::GetSubmissionPhotoRequest get;
      get.set_name(submission.name());
      grpc::ClientContext photo_context;
      auto reader = public_stub->GetSubmissionPhoto(&photo_context, get);
      std::string bytes;
      v1::SubmissionPhotoChunk chunk;
      while (reader->Read(&chunk)) bytes += chunk.data();
      ASSERT_TRUE(reader->Finish().ok()) << submission.name();
      EXPECT_EQ(static_cast<int64_t>(bytes.size()), submission.size_bytes());
      EXPECT_EQ(ToHex(Sha256(bytes)), submission.sha256());
    }
  }
  EXPECT_GT(public_photos, 0);
  std::cout << "e2e: uploads=" << scenario->uploads()
            << " photos=" << scenario->unique_photos()
            << " verified=" << outcome->verified
            << " flagged=" << outcome->flagged
            << " human_entries=" << outcome->human_entries
            << " fields=" << outcome->fields << "\n";
  EXPECT_EQ(server->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace c1tally
