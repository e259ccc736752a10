// PublicPages over a PublicResults reading a real server: which paths it
// routes, the pages' content in Bahasa, the search's redirect for an exact
// code, 404 and 400 pages, that what people typed or wrote is escaped, and
// ETag with 304.
#include "services/gateway/public_pages.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/public_results_fixture.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PublicPagesTest : public testing::PublicResultsFixture {
 protected:
  PublicPagesTest() : pages_(results_) {}

  HttpResponse Page(const std::string& path,
                    std::map<std::string, std::string> query = {}) {
    return pages_.Handle(Get(path, std::move(query)));
  }

  PublicPages pages_;
};

TEST_F(PublicPagesTest, ServesItsPathsOnly) {
  for (const char* path : {"/", "/wilayah/11", "/tps/1101012001001", "/cari",
                           "/foto/x", "/foto/x/suara_sah.png"}) {
    EXPECT_TRUE(PublicPages::Serves(path)) << path;
  }
  for (const char* path :
       {"/api/v1/regions", "/unggah", "/periksa", "/cari/x", "/wilayah"}) {
    EXPECT_FALSE(PublicPages::Serves(path)) << path;
  }
}

TEST_F(PublicPagesTest, TheNationAndARegionLinkDownTheTree) {
  const HttpResponse nation = Page("/");
  EXPECT_EQ(nation.status, 200);
  EXPECT_EQ(nation.content_type, "text/html; charset=utf-8");
  EXPECT_THAT(nation.body, HasSubstr(R"(<a href="/wilayah/11">ACEH</a>)"));
  EXPECT_THAT(nation.body,
              HasSubstr(R"(<a href="/wilayah/31">DKI JAKARTA</a>)"));
  EXPECT_THAT(nation.body, HasSubstr("<html lang=\"id\""));

  const HttpResponse kelurahan = Page("/wilayah/1101022001");
  EXPECT_EQ(kelurahan.status, 200);
  EXPECT_THAT(kelurahan.body, HasSubstr("PASAR, LAMA"));
  // A kelurahan lists its TPS (with the non-contiguous 901).
  EXPECT_THAT(kelurahan.body, HasSubstr(R"(href="/tps/1101022001901")"));
  // Its crumbs lead back up.
  EXPECT_THAT(kelurahan.body, HasSubstr(R"(href="/wilayah/110102")"));
}

TEST_F(PublicPagesTest, ATpsPageShowsItsNumbersTheIndonesianWay) {
  SetPpwp("3101011001004", 900, 56, 7);
  SetPpwp("3101011001003", 400, 5, 6);
  const HttpResponse tps = Page("/tps/3101011001004");
  EXPECT_EQ(tps.status, 200);
  EXPECT_THAT(tps.body, HasSubstr("Kode TPS 3101011001004"));
  EXPECT_THAT(tps.body, HasSubstr(">900<"));
  // Sums pass a thousand: the kelurahan's 900 + 400 with a point.
  EXPECT_THAT(Page("/wilayah/3101011001").body, HasSubstr("1.300"));
  EXPECT_THAT(tps.body, HasSubstr("Belum ada foto formulir untuk TPS ini."));
  EXPECT_THAT(tps.body, HasSubstr("Data Sirekap untuk TPS ini belum diimpor."));
  const HttpResponse empty = Page("/tps/3101011001001");
  EXPECT_THAT(empty.body, HasSubstr("Belum ada hasil terverifikasi."));
}

TEST_F(PublicPagesTest, WhatPeopleWroteIsEscaped) {
  // A moderator's note with markup in it, stored through the service.
  v1::UpdateTpsResultRequest request;
  *request.mutable_result() =
      PpwpResult("1101012001002", 3, 2, 1, /*invalid=*/0);
  request.mutable_result()->mutable_provenance()->set_source(
      v1::Provenance::SOURCE_MODERATOR);
  request.mutable_result()->mutable_provenance()->set_note(
      "<script>alert(1)</script> & \"x\"");
  v1::UpdateTpsResultResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(tally_->UpdateTpsResult(&context, request, &response).ok());
  const HttpResponse tps = Page("/tps/1101012001002");
  EXPECT_THAT(tps.body, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(tps.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));

  const HttpResponse search =
      Page("/cari", {{"q", "\"><img src=x onerror=alert(1)>"}});
  EXPECT_EQ(search.status, 200);
  EXPECT_THAT(search.body, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(search.body, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
}

TEST_F(PublicPagesTest, SearchRedirectsAnExactCodeAndListsTheRest) {
  const HttpResponse tps = Page("/cari", {{"q", " 3101011001002 "}});
  EXPECT_EQ(tps.status, 302);
  EXPECT_EQ(Header(tps, "Location"), "/tps/3101011001002");
  const HttpResponse kabupaten = Page("/cari", {{"q", "1101"}});
  EXPECT_EQ(kabupaten.status, 302);
  EXPECT_EQ(Header(kabupaten, "Location"), "/wilayah/1101");

  // A name shared by a kecamatan and a kelurahan: a list, not a redirect.
  const HttpResponse name = Page("/cari", {{"q", "bakongan"}});
  EXPECT_EQ(name.status, 200);
  EXPECT_THAT(name.body, HasSubstr(R"(href="/wilayah/110101")"));
  EXPECT_THAT(name.body, HasSubstr(R"(href="/wilayah/1101012001")"));
  const HttpResponse none = Page("/cari", {{"q", "atlantis"}});
  EXPECT_THAT(none.body, HasSubstr("Tidak ada wilayah atau TPS yang cocok."));
}

TEST_F(PublicPagesTest, UnknownPlacesAndPhotosAre404) {
  for (const char* path :
       {"/wilayah/99", "/wilayah/3101011009", "/tps/3101011001099"}) {
    const HttpResponse page = Page(path);
    EXPECT_EQ(page.status, 404) << path;
    EXPECT_THAT(page.body, HasSubstr("Tidak ditemukan")) << path;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8") << path;
  }
  const HttpResponse bad = Page("/wilayah/1x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("Galat"));
  const std::string unknown_photo = "3101011001001-" + std::string(64, 'a');
  EXPECT_EQ(Page("/foto/" + unknown_photo).status, 404);
  EXPECT_EQ(Page("/foto/" + unknown_photo + "/suara_sah.png").status, 404);
  HttpRequest post = Get("/");
  post.method = "POST";
  EXPECT_EQ(pages_.Handle(post).status, 405);
}

TEST_F(PublicPagesTest, PagesAreCacheableAndAnswer304) {
  const HttpResponse nation = Page("/");
  EXPECT_EQ(Header(nation, "Cache-Control"), "public, max-age=5");
  EXPECT_EQ(Header(Page("/wilayah/1101012001"), "Cache-Control"),
            "public, max-age=60");
  HttpRequest again = Get("/");
  again.headers["if-none-match"] = Header(nation, "ETag");
  EXPECT_EQ(pages_.Handle(again).status, 304);
  // The search page has no ETag: its answers change only with an import.
  EXPECT_EQ(Header(Page("/cari", {{"q", "aceh"}}), "ETag"), "");
}

}  // namespace
}  // namespace c1tally
