// TallyService.ListDapil and ListParties through a real gRPC server on
// loopback (the fixture tree and reference data in a real RocksDB): paging
// with opaque tokens, the region filter, each dapil's TPS count, and the
// canonical codes for a bad race, region or token; and the same listing as
// JSON, and the dapil pages, on the server's HTTP port.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/fixture_server.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DapilListingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::FixtureServer>> fixture =
        testing::FixtureServer::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
  }
  static void TearDownTestSuite() { delete fixture_; }

  void SetUp() override {
    stub_ = v1::TallyService::NewStub(fixture_->channel());
  }

  grpc::Status List(const v1::ListDapilRequest& request,
                    v1::ListDapilResponse* response) {
    grpc::ClientContext context;
    return stub_->ListDapil(&context, request, response);
  }

  static v1::ListDapilRequest Request(const std::string& race,
                                      int page_size = 0,
                                      const std::string& page_token = "",
                                      const std::string& region = "") {
    v1::ListDapilRequest request;
    request.set_race(race);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    request.set_region(region);
    return request;
  }

  static std::vector<std::string> Codes(const v1::ListDapilResponse& listed) {
    std::vector<std::string> codes;
    for (const v1::Dapil& dapil : listed.dapil()) codes.push_back(dapil.code());
    return codes;
  }

  static testing::FixtureServer* fixture_;
  std::unique_ptr<v1::TallyService::Stub> stub_;
};

testing::FixtureServer* DapilListingTest::fixture_ = nullptr;

TEST_F(DapilListingTest, PagesThroughARacesDapilWithTheirTps) {
  v1::ListDapilResponse first;
  ASSERT_TRUE(List(Request("pdpr", 2), &first).ok());
  EXPECT_THAT(Codes(first), ElementsAre("1101", "1102"));
  EXPECT_EQ(first.dapil(0).name(), "ACEH I");
  EXPECT_EQ(first.dapil(0).race(), "pdpr");
  // The TPS the map puts in each: province 11 less kecamatan 110102.
  EXPECT_EQ(first.dapil(0).aggregate().tps_total(), 5);
  EXPECT_EQ(first.dapil(1).aggregate().tps_total(), 3);
  EXPECT_EQ(first.dapil(0).aggregate().form_kind(), "pdpr");
  // A listing leaves out what GetDapil has.
  EXPECT_FALSE(first.dapil(0).has_ballot());
  EXPECT_TRUE(first.dapil(0).regions().empty());
  ASSERT_FALSE(first.next_page_token().empty());

  v1::ListDapilResponse second;
  ASSERT_TRUE(List(Request("pdpr", 2, first.next_page_token()), &second).ok());
  EXPECT_THAT(Codes(second), ElementsAre("1103", "3101"));
  EXPECT_EQ(second.dapil(0).aggregate().tps_total(), 0);
  EXPECT_EQ(second.dapil(1).aggregate().tps_total(), 4);
  EXPECT_EQ(second.next_page_token(), "");

  v1::ListDapilResponse all;
  ASSERT_TRUE(List(Request("pdpr"), &all).ok());
  EXPECT_EQ(all.dapil_size(), 4);
  EXPECT_EQ(all.next_page_token(), "");
  v1::ListDapilResponse dpd;
  ASSERT_TRUE(List(Request("pdpd"), &dpd).ok());
  ASSERT_THAT(Codes(dpd), ElementsAre("11"));
  EXPECT_EQ(dpd.dapil(0).name(), "ACEH");
  EXPECT_EQ(dpd.dapil(0).aggregate().tps_total(), 8);
}

TEST_F(DapilListingTest, TheDapilARegionLiesIn) {
  struct Case {
    std::string race;
    std::string region;
    std::vector<std::string> dapil;
  };
  const Case cases[] = {
      {"pdpr", "11", {"1101", "1102"}},
      {"pdpr", "1101", {"1101", "1102"}},
      {"pdpr", "110102", {"1102"}},
      {"pdpr", "1101022001901", {"1102"}},
      {"pdpr", "3101011001", {"3101"}},
      {"pdprdp", "1101012002", {"110001"}},
      {"pdprdp", "31", {}},
      {"pdpd", "3101", {}},  // no DPD list for DKI
  };
  for (const Case& c : cases) {
    v1::ListDapilResponse listed;
    ASSERT_TRUE(List(Request(c.race, 0, "", c.region), &listed).ok())
        << c.region;
    EXPECT_EQ(Codes(listed), c.dapil) << c.race << " " << c.region;
  }
  // Paged the same way; a token is bound to its filter.
  v1::ListDapilResponse first;
  ASSERT_TRUE(List(Request("pdpr", 1, "", "11"), &first).ok());
  EXPECT_THAT(Codes(first), ElementsAre("1101"));
  v1::ListDapilResponse second;
  ASSERT_TRUE(
      List(Request("pdpr", 1, first.next_page_token(), "11"), &second).ok());
  EXPECT_THAT(Codes(second), ElementsAre("1102"));
  v1::ListDapilResponse elsewhere;
  EXPECT_EQ(List(Request("pdpr", 1, first.next_page_token()), &elsewhere)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DapilListingTest, BadRequestsGetCanonicalCodes) {
  v1::ListDapilResponse pdpr;
  ASSERT_TRUE(List(Request("pdpr", 1), &pdpr).ok());
  ASSERT_FALSE(pdpr.next_page_token().empty());
  struct Case {
    v1::ListDapilRequest request;
    grpc::StatusCode code;
    std::string message;
  };
  const Case cases[] = {
      {Request("ppwp"), grpc::StatusCode::INVALID_ARGUMENT, "has no dapil"},
      {Request(""), grpc::StatusCode::INVALID_ARGUMENT, "has no dapil"},
      {Request("pilkada"), grpc::StatusCode::INVALID_ARGUMENT, "has no dapil"},
      {Request("pdpr", 0, "garbage!"), grpc::StatusCode::INVALID_ARGUMENT,
       "page token"},
      {Request("pdprdp", 0, pdpr.next_page_token()),
       grpc::StatusCode::INVALID_ARGUMENT, "another listing"},
      {Request("pdpr", 0, "", "1x"), grpc::StatusCode::INVALID_ARGUMENT, ""},
      {Request("pdpr", 0, "", "99"), grpc::StatusCode::NOT_FOUND, ""},
      {Request("pdpr", 0, "", "3101011001099"), grpc::StatusCode::NOT_FOUND,
       ""},
  };
  for (const Case& c : cases) {
    v1::ListDapilResponse listed;
    const grpc::Status status = List(c.request, &listed);
    EXPECT_EQ(status.error_code(), c.code)
        << c.request.ShortDebugString() << ": " << status.error_message();
    EXPECT_THAT(status.error_message(), HasSubstr(c.message));
  }
}

TEST_F(DapilListingTest, GetDapilCountsItsTpsAndNamesItsRegions) {
  v1::GetDapilRequest request;
  request.set_race("pdpr");
  request.set_code("1102");
  v1::Dapil dapil;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->GetDapil(&context, request, &dapil).ok());
  EXPECT_EQ(dapil.aggregate().tps_total(), 3);
  ASSERT_EQ(dapil.regions_size(), 1);
  EXPECT_EQ(dapil.regions(0).code(), "110102");
  EXPECT_EQ(dapil.regions(0).name(), "KLUET UTARA");
}

TEST_F(DapilListingTest, ListPartiesGivesTheReferencePartyList) {
  v1::ListPartiesResponse listed;
  grpc::ClientContext context;
  ASSERT_TRUE(
      stub_->ListParties(&context, v1::ListPartiesRequest(), &listed).ok());
  std::vector<std::string> names;
  for (const v1::Party& party : listed.parties()) names.push_back(party.name());
  EXPECT_THAT(names, ElementsAre("PKB", "Gerindra", "PNA", "Ummat"));  // by id
  EXPECT_TRUE(listed.parties(2).aceh_only());
}

TEST_F(DapilListingTest, TheJsonListOnTheHttpPort) {
  const int port = fixture_->server()->http_port();
  absl::StatusOr<testing::HttpResult> first =
      testing::HttpGet(port, "/api/v1/dapil/pdpr?page_size=3");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->status, 200) << first->body;
  const nlohmann::json page = nlohmann::json::parse(first->body);
  ASSERT_EQ(page["dapil"].size(), 3u);
  EXPECT_EQ(page["dapil"][0]["name"], "ACEH I");
  EXPECT_EQ(page["dapil"][0]["aggregate"]["tps_total"], "5");
  const std::string token = page["next_page_token"];
  absl::StatusOr<testing::HttpResult> rest = testing::HttpGet(
      port, "/api/v1/dapil/pdpr?page_size=3&page_token=" + token);
  ASSERT_TRUE(rest.ok());
  const nlohmann::json last = nlohmann::json::parse(rest->body);
  ASSERT_EQ(last["dapil"].size(), 1u);
  EXPECT_EQ(last["dapil"][0]["code"], "3101");
  EXPECT_EQ(last["next_page_token"], "");
  for (const std::string target :
       {"/api/v1/dapil/ppwp", "/api/v1/dapil/pilkada",
        "/api/v1/dapil/pdpr?page_token=garbage"}) {
    absl::StatusOr<testing::HttpResult> bad = testing::HttpGet(port, target);
    ASSERT_TRUE(bad.ok());
    EXPECT_EQ(bad->status, 400) << target << ": " << bad->body;
    EXPECT_EQ(nlohmann::json::parse(bad->body)["error"]["code"], 400);
  }
}

TEST_F(DapilListingTest, TheGatewayServesTheDapilPages) {
  const int port = fixture_->server()->http_port();
  absl::StatusOr<testing::HttpResult> dapil =
      testing::HttpGet(port, "/dapil/pdpr/1101?sort=votes");
  ASSERT_TRUE(dapil.ok()) << dapil.status();
  EXPECT_EQ(dapil->status, 200) << dapil->body;
  EXPECT_THAT(dapil->body, HasSubstr("<h1>Dapil ACEH I</h1>"));
  absl::StatusOr<testing::HttpResult> list =
      testing::HttpGet(port, "/dapil/pdpr");
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(list->body, HasSubstr(R"(href="/dapil/pdpr/3101")"));
  absl::StatusOr<testing::HttpResult> aceh =
      testing::HttpGet(port, "/wilayah/11?form_kind=pdpr");
  ASSERT_TRUE(aceh.ok());
  EXPECT_EQ(aceh->status, 200);
  EXPECT_THAT(aceh->body, HasSubstr(R"(href="/dapil/pdpr/1102")"));
}

}  // namespace
}  // namespace c1tally
