// The tally service and the HTTP JSON API, against a real server on
// loopback ports.
#include "services/tally/tally_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/server/server.h"
#include "storage/sample_results.h"
#include "tests/fixture_server.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

v1::TpsResult Ppwp(const std::string& tps, int p1, int p2, int p3) {
  return PpwpResult(tps, p1, p2, p3, /*invalid=*/1);
}

class TallyServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::FixtureServer>> fixture =
        testing::FixtureServer::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
    server_ = fixture_->server();
    channel_ = &fixture_->channel();
  }

  static void TearDownTestSuite() { delete fixture_; }

  void SetUp() override { stub_ = v1::TallyService::NewStub(*channel_); }

  grpc::Status Update(const v1::TpsResult& result,
                      v1::UpdateTpsResultResponse* response) {
    v1::UpdateTpsResultRequest request;
    *request.mutable_result() = result;
    grpc::ClientContext context;
    return stub_->UpdateTpsResult(&context, request, response);
  }

  v1::Region Region(const std::string& code) {
    v1::GetRegionRequest request;
    request.set_code(code);
    v1::Region region;
    grpc::ClientContext context;
    grpc::Status status = stub_->GetRegion(&context, request, &region);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return region;
  }

  nlohmann::json GetJson(const std::string& target, int expected_status = 200) {
    absl::StatusOr<testing::HttpResult> result =
        testing::HttpGet(server_->http_port(), target);
    EXPECT_TRUE(result.ok()) << result.status();
    if (!result.ok()) return nullptr;
    EXPECT_EQ(result->status, expected_status)
        << target << ": " << result->body;
    return nlohmann::json::parse(result->body, nullptr, false);
  }

  static testing::FixtureServer* fixture_;
  static Server* server_;
  static const std::shared_ptr<grpc::Channel>* channel_;
  std::unique_ptr<v1::TallyService::Stub> stub_;
};

testing::FixtureServer* TallyServiceTest::fixture_ = nullptr;
Server* TallyServiceTest::server_ = nullptr;
const std::shared_ptr<grpc::Channel>* TallyServiceTest::channel_ = nullptr;

TEST_F(TallyServiceTest, HealthAndReflection) {
  auto health = grpc::health::v1::Health::NewStub(*channel_);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Reflection: list the services. The request is the wire form of
  // ServerReflectionRequest{list_services: "*"} (field 7, a string).
  grpc::GenericStub generic(*channel_);
  grpc::ClientContext context_reflection;
  grpc::CompletionQueue queue;
  auto call = generic.PrepareCall(
      &context_reflection,
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &queue);
  auto await = [&queue](intptr_t expected) {
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), expected);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(await(1));
  grpc::Slice request_bytes(std::string("\x3a\x01*", 3));
  grpc::ByteBuffer request_buffer(&request_bytes, 1);
  call->Write(request_buffer, reinterpret_cast<void*>(2));
  ASSERT_TRUE(await(2));
  call->WritesDone(reinterpret_cast<void*>(3));
  ASSERT_TRUE(await(3));
  grpc::ByteBuffer response_buffer;
  call->Read(&response_buffer, reinterpret_cast<void*>(4));
  ASSERT_TRUE(await(4));
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response_buffer.Dump(&slices).ok());
  std::string listed;
  for (const grpc::Slice& slice : slices) {
    listed.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  EXPECT_THAT(listed, HasSubstr("c1tally.v1.TallyService"));
  EXPECT_THAT(listed, HasSubstr("grpc.health.v1.Health"));
  grpc::Status finished;
  call->Finish(&finished, reinterpret_cast<void*>(5));
  await(5);
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  queue.Shutdown();
  void* ignored_tag;
  bool ignored_ok;
  while (queue.Next(&ignored_tag, &ignored_ok)) {
  }
}

TEST_F(TallyServiceTest, ListsRegionsPageByPage) {
  v1::ListRegionsRequest request;
  request.set_page_size(1);
  v1::ListRegionsResponse first;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListRegions(&context, request, &first).ok());
  }
  ASSERT_EQ(first.regions_size(), 1);
  EXPECT_EQ(first.regions(0).code(), "11");
  EXPECT_EQ(first.regions(0).aggregate().tps_total(), 8);
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  v1::ListRegionsResponse second;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListRegions(&context, request, &second).ok());
  }
  ASSERT_EQ(second.regions_size(), 1);
  EXPECT_EQ(second.regions(0).code(), "31");
  EXPECT_TRUE(second.next_page_token().empty());

  // A kelurahan's children are TPS; a wrong code is an error, not a list.
  for (const auto& [parent, code] :
       std::vector<std::pair<std::string, grpc::StatusCode>>{
           {"1101012001", grpc::StatusCode::INVALID_ARGUMENT},
           {"12", grpc::StatusCode::NOT_FOUND},
           {"1x", grpc::StatusCode::INVALID_ARGUMENT},
           {"123", grpc::StatusCode::INVALID_ARGUMENT}}) {
    v1::ListRegionsRequest bad;
    bad.set_parent(parent);
    v1::ListRegionsResponse response;
    grpc::ClientContext context;
    EXPECT_EQ(stub_->ListRegions(&context, bad, &response).error_code(), code)
        << parent;
  }
}

TEST_F(TallyServiceTest, UpdateGetAndDelete) {
  v1::UpdateTpsResultResponse response;
  ASSERT_TRUE(Update(Ppwp("1101022001901", 40, 50, 60), &response).ok());
  EXPECT_TRUE(response.changed());
  EXPECT_GT(response.result().journal_sequence(), 0u);
  ASSERT_TRUE(Update(Ppwp("1101022001901", 40, 50, 60), &response).ok());
  EXPECT_FALSE(response.changed());

  v1::GetTpsRequest get;
  get.set_code("1101022001901");
  v1::Tps tps;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetTps(&context, get, &tps).ok());
  }
  EXPECT_EQ(tps.kind(), v1::TPS_KIND_SPECIAL_LOCATION);
  ASSERT_EQ(tps.results_size(), 1);
  EXPECT_EQ(tps.results(0).values().at("suara_paslon_2"), 50);
  EXPECT_EQ(Region("110102").aggregate().sums().at("suara_paslon_3"), 60);

  v1::DeleteTpsResultRequest remove;
  remove.set_tps_code("1101022001901");
  remove.set_reason("test");
  v1::DeleteTpsResultResponse removed;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->DeleteTpsResult(&context, remove, &removed).ok());
  }
  EXPECT_EQ(Region("110102").aggregate().tps_with_result(), 0);
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub_->DeleteTpsResult(&context, remove, &removed).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  v1::ListJournalEntriesRequest list;
  list.set_tps_code("1101022001901");
  v1::ListJournalEntriesResponse journal;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListJournalEntries(&context, list, &journal).ok());
  }
  ASSERT_EQ(journal.entries_size(), 2);
  EXPECT_EQ(journal.entries(1).previous_hash(),
            journal.entries(0).entry_hash());
}

TEST_F(TallyServiceTest, BadInputIsRefusedWithTheReason) {
  v1::UpdateTpsResultResponse response;
  grpc::Status status = Update(Ppwp("1101012001", 1, 2, 3), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("kelurahan"));
  status = Update(Ppwp("1101012001077", 1, 2, 3), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = Update(Ppwp("1101012001001", 999, 2, 3), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Fields are checked in the form kind's order: suara_sah comes first.
  EXPECT_THAT(status.error_message(),
              HasSubstr("field suara_sah = 1004 is outside 0..999"));

  // A batch with one bad result applies nothing.
  const int64_t before = Region("").aggregate().tps_with_result();
  v1::BatchUpdateTpsResultsRequest batch;
  *batch.add_requests()->mutable_result() = Ppwp("3101011001001", 1, 2, 3);
  v1::TpsResult bad = Ppwp("3101011001002", 1, 2, 3);
  bad.mutable_values()->erase("suara_paslon_1");
  *batch.add_requests()->mutable_result() = bad;
  v1::BatchUpdateTpsResultsResponse batched;
  grpc::ClientContext context;
  status = stub_->BatchUpdateTpsResults(&context, batch, &batched);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("result 1"));
  EXPECT_EQ(Region("").aggregate().tps_with_result(), before);
}

TEST_F(TallyServiceTest, HttpJsonReadApi) {
  v1::UpdateTpsResultResponse response;
  ASSERT_TRUE(Update(Ppwp("3101011001003", 100, 120, 30), &response).ok());

  // The upper levels come from a snapshot refreshed every second: the
  // change shows within one refresh.
  nlohmann::json national;
  for (int i = 0; i < 50; ++i) {
    national = GetJson("/api/v1/regions/0");
    ASSERT_TRUE(national.is_object());
    if (national["children"][1]["aggregate"]["sums"]["suara_paslon_2"] ==
        "120") {
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(national["region"]["level"], "REGION_LEVEL_NATIONAL");
  EXPECT_EQ(national["region"]["aggregate"]["tps_total"], "12");
  ASSERT_EQ(national["children"].size(), 2u);
  EXPECT_EQ(national["children"][1]["code"], "31");
  EXPECT_EQ(national["children"][1]["aggregate"]["sums"]["suara_paslon_2"],
            "120");
  EXPECT_EQ(GetJson("/api/v1/regions")["region"]["code"], "");

  nlohmann::json kelurahan = GetJson("/api/v1/regions/3101011001");
  ASSERT_EQ(kelurahan["tps"].size(), 4u);
  EXPECT_EQ(kelurahan["tps"][2]["code"], "3101011001003");
  EXPECT_EQ(kelurahan["tps"][2]["results"][0]["values"]["suara_paslon_1"],
            "100");

  nlohmann::json tps = GetJson("/api/v1/tps/3101011001003");
  EXPECT_EQ(tps["tps"]["name"], "TPS 003");
  ASSERT_GE(tps["journal"].size(), 1u);
  EXPECT_EQ(tps["journal"][0]["tps_code"], "3101011001003");

  EXPECT_THAT(GetJson("/api/v1/tps/3101011001", 400)["error"]["message"]
                  .get<std::string>(),
              HasSubstr("not a TPS code"));
  EXPECT_THAT(GetJson("/api/v1/tps/31010110", 400)["error"]["message"]
                  .get<std::string>(),
              HasSubstr("has 8 digits"));
  GetJson("/api/v1/tps/3101011001099", 404);
  GetJson("/api/v1/regions/99", 404);
  GetJson("/nothing/here", 404);

  // Same bytes again: 304 with no body.
  absl::StatusOr<testing::HttpResult> first =
      testing::HttpGet(server_->http_port(), "/api/v1/regions/31");
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->etag.empty());
  absl::StatusOr<testing::HttpResult> again =
      testing::HttpGet(server_->http_port(), "/api/v1/regions/31", first->etag);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

}  // namespace
}  // namespace c1tally
