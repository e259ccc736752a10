// The audit service, the audit pages of the HTTP gateway and `c1ctl audit
// compare`, against a real server on loopback with the fixture tree.
//
// Verified results and Sirekap records (numbers chosen by hand):
//   1101012001001  ours 144/19/2 (+1 invalid)  Sirekap the same   equal
//   1101012001002  ours 209/37/6 (+1)          Sirekap 209/37/60  pair 03 +54
//   1101012001003  ours 100/50/10 (+2)         none               only ours
//   1101012002001  none                        Sirekap 10/20/30   only Sirekap
//   3101011001001  ours 90/100/40 (+0)         Sirekap 83/107/38  -7 +7 -2
// So: 3 TPS compared, 2 differing, 1 only ours, 1 only Sirekap; sizes 54
// and 7 + 7 + 2 = 16; net per pair -7, +7, 54 - 2 = 52.
#include "services/audit/audit_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/server/server.h"
#include "storage/sample_results.h"
#include "tests/fixture_server.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string TpsJson(int p1, int p2, int p3, int invalid, bool administrasi,
                    const std::string& image = "https://sirekap/a.jpg") {
  std::string json = absl::StrCat(
      R"({"chart":{"null":null,"100025":)", p1, R"(,"100026":)", p2,
      R"(,"100027":)", p3, R"(},"images":[)", nlohmann::json(image).dump(),
      R"(,null],"ts":"2024-02-16 10:00:00","administrasi":)");
  if (!administrasi) return json + "null}";
  const int sah = p1 + p2 + p3;
  return absl::StrCat(json, R"({"suara_sah":)", sah, R"(,"suara_tidak_sah":)",
                      invalid, R"(,"suara_total":)", sah + invalid, "}}");
}

v1::SirekapFile File(const std::string& code, const std::string& json) {
  v1::SirekapFile file;
  file.set_path(absl::StrCat("pemilu/hhcw/ppwp/", code.substr(0, 2), "/",
                             code.substr(0, 4), "/", code.substr(0, 6), "/",
                             code.substr(0, 10), "/", code, ".json"));
  file.set_json(json);
  return file;
}

class AuditServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::FixtureServer>> fixture =
        testing::FixtureServer::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
    server_ = fixture_->server();
    channel_ = &fixture_->channel();
    ASSERT_TRUE(server_->store()
                    ->SetResults({PpwpResult("1101012001001", 144, 19, 2, 1),
                                  PpwpResult("1101012001002", 209, 37, 6, 1),
                                  PpwpResult("1101012001003", 100, 50, 10, 2),
                                  PpwpResult("3101011001001", 90, 100, 40, 0)})
                    .ok());
    auto stub = v1::AuditService::NewStub(*channel_);
    v1::ImportSirekapRecordsRequest request;
    *request.add_files() = File("1101012001001", TpsJson(144, 19, 2, 1, true));
    // Pair 03's 6 read as 60 in the chart only; administrasi has 252 valid.
    *request.add_files() =
        File("1101012001002",
             R"({"chart":{"100025":209,"100026":37,"100027":60},"images":[],
            "administrasi":{"suara_sah":252,"suara_tidak_sah":1,
                            "suara_total":253}})");
    *request.add_files() = File("1101012002001", TpsJson(10, 20, 30, 0, false));
    *request.add_files() = File(
        "3101011001001", TpsJson(83, 107, 38, 0, false,
                                 "https://x/\"><script>alert(1)</script>"));
    *request.add_files() = File("3101011001002", R"({"chart":{"100025":-5}})");
    request.mutable_fetch_time()->set_seconds(1708074000);
    v1::ImportSirekapRecordsResponse response;
    grpc::ClientContext context;
    grpc::Status status =
        stub->ImportSirekapRecords(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.imported_count(), 4);
    ASSERT_EQ(response.rejections_size(), 1);
    ASSERT_THAT(response.rejections(0).reason(), HasSubstr("negative"));
  }

  static void TearDownTestSuite() { delete fixture_; }

  void SetUp() override { stub_ = v1::AuditService::NewStub(*channel_); }

  v1::ListDiscrepanciesResponse List(const std::string& region, int page_size,
                                     const std::string& token = "") {
    v1::ListDiscrepanciesRequest request;
    request.set_region(region);
    request.set_page_size(page_size);
    request.set_page_token(token);
    v1::ListDiscrepanciesResponse response;
    grpc::ClientContext context;
    grpc::Status status =
        stub_->ListDiscrepancies(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  static testing::FixtureServer* fixture_;
  static Server* server_;
  static const std::shared_ptr<grpc::Channel>* channel_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

testing::FixtureServer* AuditServiceTest::fixture_ = nullptr;
Server* AuditServiceTest::server_ = nullptr;
const std::shared_ptr<grpc::Channel>* AuditServiceTest::channel_ = nullptr;

TEST_F(AuditServiceTest, DiscrepanciesRankedAndPaged) {
  v1::ListDiscrepanciesResponse first = List("", 2);
  EXPECT_EQ(first.total_tps(), 5);
  EXPECT_EQ(first.discrepant_tps(), 4);
  ASSERT_EQ(first.discrepancies_size(), 2);
  const v1::TpsDiscrepancy& largest = first.discrepancies(0);
  EXPECT_EQ(largest.tps_code(), "1101012001002");
  EXPECT_EQ(largest.size(), 54);
  ASSERT_EQ(largest.fields_size(), 1);
  EXPECT_EQ(largest.fields(0).field(), "suara_paslon_3");
  EXPECT_EQ(largest.fields(0).kind(), v1::FieldDiscrepancy::KIND_DIFFERS);
  EXPECT_EQ(largest.fields(0).ours(), 6);
  EXPECT_EQ(largest.fields(0).sirekap(), 60);
  EXPECT_TRUE(largest.sirekap_image_urls().empty());
  EXPECT_EQ(largest.sirekap_fetch_time().seconds(), 1708074000);
  EXPECT_EQ(first.discrepancies(1).tps_code(), "3101011001001");
  EXPECT_EQ(first.discrepancies(1).size(), 16);
  EXPECT_THAT(first.discrepancies(1).sirekap_image_urls(),
              ElementsAre("https://x/\"><script>alert(1)</script>", ""));
  EXPECT_EQ(first.discrepancies(1).sirekap_time(), "2024-02-16 10:00:00");

  v1::ListDiscrepanciesResponse second = List("", 2, first.next_page_token());
  ASSERT_EQ(second.discrepancies_size(), 2);
  // Size 0: more fields disagree first. Ours has 6 fields Sirekap lacks;
  // Sirekap's chart-only record has 3 we lack.
  EXPECT_EQ(second.discrepancies(0).tps_code(), "1101012001003");
  EXPECT_EQ(second.discrepancies(0).fields_size(), 6);
  EXPECT_EQ(second.discrepancies(0).fields(0).kind(),
            v1::FieldDiscrepancy::KIND_ONLY_OURS);
  EXPECT_EQ(second.discrepancies(1).tps_code(), "1101012002001");
  EXPECT_EQ(second.discrepancies(1).fields_size(), 3);
  EXPECT_EQ(second.discrepancies(1).fields(0).kind(),
            v1::FieldDiscrepancy::KIND_ONLY_SIREKAP);
  EXPECT_TRUE(second.next_page_token().empty());

  // Below a kelurahan, and a single TPS.
  EXPECT_EQ(List("1101012001", 10).discrepancies_size(), 2);
  EXPECT_EQ(List("1101012001001", 10).discrepancies_size(), 0);
  EXPECT_EQ(List("1101012001001", 10).total_tps(), 1);
}

TEST_F(AuditServiceTest, RegionsRolledUp) {
  v1::ListRegionDiscrepanciesRequest request;
  v1::ListRegionDiscrepanciesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(
      stub_->ListRegionDiscrepancies(&context, request, &response).ok());
  const v1::RegionDiscrepancy& total = response.total();
  EXPECT_EQ(total.tps_compared(), 3);
  EXPECT_EQ(total.tps_differing(), 2);
  EXPECT_EQ(total.tps_only_ours(), 1);
  EXPECT_EQ(total.tps_only_sirekap(), 1);
  EXPECT_EQ(total.size(), 70);
  EXPECT_EQ(total.net_difference().at("suara_paslon_1"), -7);
  EXPECT_EQ(total.net_difference().at("suara_paslon_2"), 7);
  EXPECT_EQ(total.net_difference().at("suara_paslon_3"), 52);
  // Only 1101012001001 and ...002 have suara_sah on both sides: equal.
  EXPECT_EQ(total.net_difference().at("suara_sah"), 0);
  ASSERT_EQ(response.children_size(), 2);
  EXPECT_EQ(response.children(0).code(), "11");
  EXPECT_EQ(response.children(0).size(), 54);
  EXPECT_EQ(response.children(0).tps_compared(), 2);
  EXPECT_EQ(response.children(1).code(), "31");
  EXPECT_EQ(response.children(1).size(), 16);
}

TEST_F(AuditServiceTest, BadRequests) {
  v1::ListDiscrepanciesRequest request;
  request.set_region("31x");
  v1::ListDiscrepanciesResponse response;
  grpc::ClientContext context;
  EXPECT_EQ(stub_->ListDiscrepancies(&context, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_region("");
  request.set_form_kind("dpr");
  grpc::ClientContext context_kind;
  EXPECT_EQ(
      stub_->ListDiscrepancies(&context_kind, request, &response).error_code(),
      grpc::StatusCode::NOT_FOUND);
  request.set_form_kind("");
  request.set_page_token("abc");
  grpc::ClientContext context_token;
  EXPECT_EQ(
      stub_->ListDiscrepancies(&context_token, request, &response).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AuditServiceTest, HistoryThroughTheService) {
  v1::ImportSirekapRecordsRequest request;
  *request.add_files() = File("1101012002001", TpsJson(10, 20, 31, 0, false));
  request.mutable_fetch_time()->set_seconds(1708074000 + 3600);
  v1::ImportSirekapRecordsResponse imported;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ImportSirekapRecords(&context, request, &imported).ok());
  EXPECT_EQ(imported.imported_count(), 1);

  v1::ListSirekapRecordsRequest list;
  list.set_code("1101012002001");
  v1::ListSirekapRecordsResponse history;
  grpc::ClientContext list_context;
  ASSERT_TRUE(stub_->ListSirekapRecords(&list_context, list, &history).ok());
  ASSERT_EQ(history.records_size(), 2);
  EXPECT_EQ(history.records(0).chart().at("100027"), 31);
  EXPECT_EQ(history.records(1).chart().at("100027"), 30);
  EXPECT_EQ(history.records(1).raw_json(), TpsJson(10, 20, 30, 0, false));

  // Put it back so that the other tests see the first fetch's numbers.
  request.mutable_files(0)->set_json(TpsJson(10, 20, 30, 0, false));
  request.mutable_fetch_time()->set_seconds(1708074000 + 7200);
  grpc::ClientContext again;
  ASSERT_TRUE(stub_->ImportSirekapRecords(&again, request, &imported).ok());
}

TEST_F(AuditServiceTest, JsonEndpoint) {
  absl::StatusOr<testing::HttpResult> result = testing::HttpGet(
      server_->http_port(), "/api/v1/audit/discrepancies?region=11");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_FALSE(result->etag.empty());
  nlohmann::json body = nlohmann::json::parse(result->body);
  EXPECT_EQ(body["region"]["code"], "11");
  EXPECT_EQ(body["region"]["size"], "54");  // int64 as a JSON string
  EXPECT_EQ(body["total_tps"], 4);
  ASSERT_EQ(body["children"].size(), 1u);
  EXPECT_EQ(body["children"][0]["code"], "1101");
  ASSERT_EQ(body["discrepancies"].size(), 3u);
  EXPECT_EQ(body["discrepancies"][0]["tps_code"], "1101012001002");
  EXPECT_EQ(body["discrepancies"][0]["fields"][0]["sirekap"], "60");

  absl::StatusOr<testing::HttpResult> cached =
      testing::HttpGet(server_->http_port(),
                       "/api/v1/audit/discrepancies?region=11", result->etag);
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->status, 304);

  absl::StatusOr<testing::HttpResult> bad = testing::HttpGet(
      server_->http_port(), "/api/v1/audit/discrepancies?region=1x");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("\"error\""));
}

TEST_F(AuditServiceTest, HtmlPageEscapesEverything) {
  absl::StatusOr<testing::HttpResult> result =
      testing::HttpGet(server_->http_port(), "/audit?region=0");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->status, 200) << result->body;
  const std::string& html = result->body;
  EXPECT_THAT(html, HasSubstr("<!doctype html>"));
  EXPECT_THAT(html, HasSubstr("3101011001001"));
  EXPECT_THAT(html, HasSubstr("href=\"/audit?region=11&amp;form_kind=ppwp\""));
  EXPECT_THAT(html, HasSubstr("href=\"https://sirekap/a.jpg\""));
  // The hostile image link from Sirekap stays text inside the attribute.
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("&quot;&gt;&lt;script&gt;alert(1)"));
  // A hostile form kind in the query does not reach the page raw.
  absl::StatusOr<testing::HttpResult> hostile =
      testing::HttpGet(server_->http_port(), "/audit?form_kind=%3Cb%3E");
  ASSERT_TRUE(hostile.ok());
  EXPECT_EQ(hostile->status, 404);
  EXPECT_THAT(hostile->body, Not(HasSubstr("<b>")));
  EXPECT_THAT(hostile->body, HasSubstr("&lt;b&gt;"));
}

TEST_F(AuditServiceTest, CompareCommandBesideTheServer) {
  // The command opens the database read-only, beside the live server.
  testing::ProgramResult csv =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "audit", "compare",
                           "--data=" + fixture_->data_dir(), "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  std::vector<std::string> lines =
      absl::StrSplit(csv.output, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "tps,field,kind,ours,sirekap,difference,tps_size");
  EXPECT_EQ(lines[1], "1101012001002,suara_paslon_3,differs,6,60,54,54");
  // Field rows below the header: 1 for ...002; 6 for 3101011001001 (three
  // pairs differ, and Sirekap's chart-only record lacks the three totals);
  // 6 only ours for ...003; 3 only Sirekap for 1101012002001.
  EXPECT_EQ(lines.size(), 1u + 1 + 6 + 6 + 3);

  testing::ProgramResult regions =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "audit", "compare",
                           "--data=" + fixture_->data_dir(), "--region=31",
                           "--csv", "--by_region"});
  ASSERT_EQ(regions.exit_code, 0) << regions.output;
  lines = absl::StrSplit(regions.output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << regions.output;
  EXPECT_THAT(lines[1], ::testing::StartsWith("31,1,1,0,0,16,-7,7,-2,"));
  EXPECT_THAT(lines[2], ::testing::StartsWith("3101,1,1,0,0,16,"));
}

}  // namespace
}  // namespace c1tally
