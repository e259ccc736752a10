// JsonApi over a PublicResults reading a real server: the region, TPS and
// search JSON, ETag and 304, Cache-Control by depth, paging, and bad codes,
// form kinds and methods answered with the canonical HTTP codes.
#include "services/gateway/json_api.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/public_results_fixture.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class JsonApiTest : public testing::PublicResultsFixture {
 protected:
  JsonApiTest() : api_(results_) {}

  // Handles a GET and parses the body; fails the test on another status.
  nlohmann::json GetJson(const std::string& path,
                         std::map<std::string, std::string> query = {},
                         int expected_status = 200) {
    const HttpResponse response = api_.Handle(Get(path, std::move(query)));
    EXPECT_EQ(response.status, expected_status)
        << path << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/json; charset=utf-8");
    return nlohmann::json::parse(response.body, nullptr, false);
  }

  static std::vector<std::string> Codes(const nlohmann::json& list) {
    std::vector<std::string> codes;
    for (const nlohmann::json& item : list) codes.push_back(item["code"]);
    return codes;
  }

  JsonApi api_;
};

TEST_F(JsonApiTest, ServesItsPathsOnly) {
  EXPECT_TRUE(JsonApi::Serves("/api/v1/regions"));
  EXPECT_TRUE(JsonApi::Serves("/api/v1/regions/11"));
  EXPECT_TRUE(JsonApi::Serves("/api/v1/tps/1101012001001"));
  EXPECT_TRUE(JsonApi::Serves("/api/v1/search"));
  EXPECT_FALSE(JsonApi::Serves("/api/v1/regionsX"));
  EXPECT_FALSE(JsonApi::Serves("/api/v1/search/x"));
  EXPECT_TRUE(JsonApi::Serves("/api/v1/dapil/pdpr/1101"));
  EXPECT_FALSE(JsonApi::Serves("/api/v1/volunteer/tasks"));
  EXPECT_FALSE(JsonApi::Serves("/wilayah/11"));
}

TEST_F(JsonApiTest, TheNationListsItsProvinces) {
  for (const std::string path :
       {"/api/v1/regions", "/api/v1/regions/", "/api/v1/regions/0"}) {
    const nlohmann::json nation = GetJson(path);
    EXPECT_EQ(nation["region"]["level"], "REGION_LEVEL_NATIONAL") << path;
    EXPECT_EQ(nation["region"]["tps_count"], "12") << path;
    EXPECT_THAT(Codes(nation["children"]), ElementsAre("11", "31")) << path;
    EXPECT_TRUE(nation["ancestors"].empty());
  }
  const nlohmann::json kabupaten = GetJson("/api/v1/regions/1101");
  EXPECT_EQ(kabupaten["region"]["name"], "ACEH SELATAN");
  EXPECT_THAT(Codes(kabupaten["ancestors"]), ElementsAre("", "11"));
  EXPECT_THAT(Codes(kabupaten["children"]), ElementsAre("110101", "110102"));
}

TEST_F(JsonApiTest, AKelurahanListsItsTpsWithResults) {
  SetPpwp("1101022001901", 10, 20, 30);
  const nlohmann::json kelurahan = GetJson("/api/v1/regions/1101022001");
  EXPECT_EQ(kelurahan["region"]["name"], "PASAR, LAMA");
  EXPECT_FALSE(kelurahan.contains("children"));
  EXPECT_THAT(Codes(kelurahan["tps"]),
              ElementsAre("1101022001001", "1101022001002", "1101022001901"));
  const nlohmann::json& with_result = kelurahan["tps"][2];
  ASSERT_EQ(with_result["results"].size(), 1u);
  EXPECT_EQ(with_result["results"][0]["values"]["suara_paslon_3"], "30");
  EXPECT_EQ(kelurahan["region"]["aggregate"]["sums"]["suara_sah"], "60");
  EXPECT_EQ(kelurahan["region"]["aggregate"]["tps_with_result"], "1");

  // Paging: one TPS per page, then the token for the next.
  const nlohmann::json first =
      GetJson("/api/v1/regions/1101022001", {{"page_size", "1"}});
  EXPECT_THAT(Codes(first["tps"]), ElementsAre("1101022001001"));
  ASSERT_NE(first["next_page_token"], "");
  const nlohmann::json second =
      GetJson("/api/v1/regions/1101022001",
              {{"page_size", "2"}, {"page_token", first["next_page_token"]}});
  EXPECT_THAT(Codes(second["tps"]),
              ElementsAre("1101022001002", "1101022001901"));
  EXPECT_EQ(second["next_page_token"], "");
}

TEST_F(JsonApiTest, ATpsCarriesItsResultJournalAndNoPhotosYet) {
  SetPpwp("3101011001003", 5, 6, 7);
  const nlohmann::json tps = GetJson("/api/v1/tps/3101011001003");
  EXPECT_EQ(tps["tps"]["name"], "TPS 003");
  EXPECT_EQ(tps["tps"]["results"][0]["values"]["suara_paslon_2"], "6");
  EXPECT_THAT(Codes(tps["ancestors"]),
              ElementsAre("", "31", "3101", "310101", "3101011001"));
  ASSERT_EQ(tps["journal"].size(), 1u);
  EXPECT_EQ(tps["journal"][0]["tps_code"], "3101011001003");
  EXPECT_EQ(tps["journal"][0]["current"]["values"]["suara_paslon_1"], "5");
  EXPECT_TRUE(tps["photos"].empty());
  EXPECT_TRUE(tps["sirekap"].is_null());
}

TEST_F(JsonApiTest, EtagAndCacheControlByDepth) {
  const HttpResponse nation = api_.Handle(Get("/api/v1/regions/0"));
  const HttpResponse kecamatan = api_.Handle(Get("/api/v1/regions/110101"));
  const HttpResponse tps = api_.Handle(Get("/api/v1/tps/1101012001001"));
  EXPECT_EQ(Header(nation, "Cache-Control"), "public, max-age=5");
  EXPECT_EQ(Header(kecamatan, "Cache-Control"), "public, max-age=15");
  EXPECT_EQ(Header(tps, "Cache-Control"), "public, max-age=60");
  const std::string etag = Header(nation, "ETag");
  ASSERT_EQ(etag.size(), 34u) << etag;  // 32 hex digits in quotes

  // The same ETag again: 304 without a body.
  HttpRequest again = Get("/api/v1/regions/0");
  again.headers["if-none-match"] = etag;
  const HttpResponse not_modified = api_.Handle(again);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body, "");
  // Once something below changes, the ETag does too.
  SetPpwp("1101012001003", 1, 1, 1);
  const HttpResponse changed = api_.Handle(again);
  EXPECT_EQ(changed.status, 200);
  EXPECT_NE(Header(changed, "ETag"), etag);
}

TEST_F(JsonApiTest, SearchFindsPlacesWithTheirPages) {
  const nlohmann::json found =
      GetJson("/api/v1/search", {{"q", "pulau panggang"}});
  ASSERT_FALSE(found["results"].empty());
  const nlohmann::json& first = found["results"][0];
  EXPECT_EQ(first["code"], "3101011001");
  EXPECT_EQ(first["level"], "REGION_LEVEL_KELURAHAN");
  EXPECT_EQ(first["url"], "/wilayah/3101011001");
  EXPECT_THAT(std::string(first["path"]), HasSubstr("DKI JAKARTA"));
  const nlohmann::json tps =
      GetJson("/api/v1/search", {{"q", "3101011001004"}});
  ASSERT_EQ(tps["results"].size(), 1u);
  EXPECT_EQ(tps["results"][0]["url"], "/tps/3101011001004");
  EXPECT_TRUE(
      GetJson("/api/v1/search", {{"q", "no such place"}})["results"].empty());
}

TEST_F(JsonApiTest, ADapilShowsItsBallotAndItsSums) {
  v1::UpdateTpsResultRequest request;
  v1::TpsResult* result = request.mutable_result();
  result->set_tps_code("3101011001001");
  result->set_form_kind("pdpr");
  auto& values = *result->mutable_values();
  values["suara_partai_1"] = 4;
  values["suara_caleg_300001"] = 6;
  values["suara_total_partai_1"] = 10;
  values["suara_sah"] = 10;
  values["suara_tidak_sah"] = 0;
  values["suara_total"] = 10;
  v1::UpdateTpsResultResponse response;
  grpc::ClientContext context;
  const grpc::Status status =
      tally_->UpdateTpsResult(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const nlohmann::json dapil = GetJson("/api/v1/dapil/pdpr/3101");
  EXPECT_EQ(dapil["name"], "DKI JAKARTA I");
  EXPECT_EQ(dapil["ballot"]["parties"][0]["candidates"][0]["name"], "D. SATU");
  EXPECT_EQ(dapil["parties"][0]["name"], "PKB");
  EXPECT_EQ(dapil["aggregate"]["sums"]["suara_caleg_300001"], "6");
  EXPECT_EQ(dapil["aggregate"]["tps_with_result"], "1");
  // The region's pdpr aggregate carries the same sums.
  const nlohmann::json dki =
      GetJson("/api/v1/regions/31", {{"form_kind", "pdpr"}});
  EXPECT_EQ(dki["region"]["aggregate"]["sums"]["suara_total_partai_1"], "10");

  EXPECT_EQ(GetJson("/api/v1/dapil/pdpr/9999", {}, 404)["error"]["code"], 404);
  EXPECT_EQ(GetJson("/api/v1/dapil/ppwp/3101", {}, 400)["error"]["code"], 400);
  EXPECT_EQ(GetJson("/api/v1/dapil/", {}, 400)["error"]["code"], 400);
  // The race alone lists its dapil.
  EXPECT_EQ(GetJson("/api/v1/dapil/pdpr")["dapil"].size(), 4u);
  EXPECT_EQ(GetJson("/api/v1/dapil/pdpr/31/01", {}, 400)["error"]["code"], 400);
}

TEST_F(JsonApiTest, BadInputGetsTheCanonicalCode) {
  struct Case {
    std::string path;
    std::map<std::string, std::string> query;
    int status;
  };
  const Case cases[] = {
      {"/api/v1/regions/99", {}, 404},             // no such province
      {"/api/v1/regions/11x", {}, 400},            // not a code
      {"/api/v1/regions/1101012001001", {}, 400},  // a TPS is not a region
      {"/api/v1/tps/3101011001099", {}, 404},      // no such TPS
      {"/api/v1/tps/31010110010", {}, 400},        // too short
      {"/api/v1/tps/<script>", {}, 400},
      {"/api/v1/regions/11", {{"form_kind", "nope"}}, 400},  // no such race
      {"/api/v1/regions/11", {{"page_token", "garbage"}}, 400},
  };
  for (const Case& c : cases) {
    const nlohmann::json error = GetJson(c.path, c.query, c.status);
    EXPECT_EQ(error["error"]["code"], c.status) << c.path;
    EXPECT_FALSE(std::string(error["error"]["message"]).empty()) << c.path;
  }
  HttpRequest post = Get("/api/v1/regions/0");
  post.method = "POST";
  EXPECT_EQ(api_.Handle(post).status, 405);
}

}  // namespace
}  // namespace c1tally
