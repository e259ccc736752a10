// The public pages of the legislative races over a PublicResults reading a
// real server with the fixture tree and reference data: the race switch on
// region and TPS pages for every race, party totals named from the party
// list, the dapil a region lies in, a TPS's result per party and
// candidate, the dapil page in ballot and vote order, and bad input
// answered 400 or 404 with a page in Bahasa.
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/public_pages.h"
#include "tests/public_results_fixture.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRaces[] = {"ppwp", "pdpr", "pdprdp", "pdprdk", "pdpd"};

class LegislativePagesTest : public testing::PublicResultsFixture {
 protected:
  static void SetUpTestSuite() {
    PublicResultsFixture::SetUpTestSuite();
    // Two ACEH I TPS; on the second A. DUA outpolls A. SATU and Ummat
    // Gerindra, so that vote order differs from ballot order.
    SetResult(testing::AcehIResult("1101012001001"));
    SetResult(testing::AcehIResult("1101012001002", {.pkb = 1,
                                                     .a_satu = 2,
                                                     .a_dua = 60,
                                                     .gerindra = 0,
                                                     .b_satu = 1,
                                                     .ummat = 4,
                                                     .c_satu = 30}));
    SetResult(testing::AcehDpdResult("1101012002001", 30, 12));
  }

  LegislativePagesTest() : pages_(results_) {}

  HttpResponse Page(const std::string& path,
                    std::map<std::string, std::string> query = {}) {
    return pages_.Handle(Get(path, std::move(query)));
  }
  // The page in `race`; fails the test unless it is a 200.
  std::string Body(const std::string& path, const std::string& race) {
    const HttpResponse page = Page(path, {{"form_kind", race}});
    EXPECT_EQ(page.status, 200) << path << " " << race << ": " << page.body;
    return page.body;
  }

  PublicPages pages_;
};

// Where `needle` starts in `haystack`, failing the test when absent.
size_t At(const std::string& haystack, const std::string& needle) {
  const size_t at = haystack.find(needle);
  EXPECT_NE(at, std::string::npos) << "no " << needle;
  return at;
}

TEST_F(LegislativePagesTest, RegionAndTpsPagesSwitchBetweenEveryRace) {
  const std::map<std::string, std::string> labels = {
      {"ppwp", "Presiden"},
      {"pdpr", "DPR"},
      {"pdprdp", "DPRD Provinsi"},
      {"pdprdk", "DPRD Kab/Kota"},
      {"pdpd", "DPD"}};
  for (const std::string path : {"/wilayah/1101", "/tps/1101012001001"}) {
    for (const char* race : kRaces) {
      const std::string body = Body(path, race);
      // The race shown is marked; every other one is a link to this place.
      EXPECT_THAT(body, HasSubstr(absl::StrCat("<strong aria-current=\"page\">",
                                               labels.at(race), "</strong>")))
          << path << " " << race;
      for (const char* other : kRaces) {
        if (std::string(other) == race) continue;
        const std::string href = std::string(other) == "ppwp"
                                     ? path
                                     : absl::StrCat(path, "?form_kind=", other);
        EXPECT_THAT(body, HasSubstr(absl::StrCat("<a href=\"", href, "\">",
                                                 labels.at(other), "</a>")))
            << path << " in " << race << " lacks " << other;
      }
    }
  }
}

TEST_F(LegislativePagesTest, ARegionShowsPartyTotalsAndItsDapil) {
  const std::string aceh = Body("/wilayah/11", "pdpr");
  EXPECT_THAT(aceh, HasSubstr("Pemilihan anggota DPR"));
  // Party totals over both TPS, with their names: PKB 35 + 63, Gerindra
  // 10 + 1, Ummat 5 + 34; 148 valid in all.
  EXPECT_THAT(aceh, HasSubstr("<th>Partai</th>"));
  EXPECT_THAT(aceh, HasSubstr("<td>PKB</td><td class=\"num\">98</td>"));
  EXPECT_THAT(aceh, HasSubstr("<td>Gerindra</td><td class=\"num\">11</td>"));
  EXPECT_THAT(aceh, HasSubstr("<td>Ummat</td><td class=\"num\">39</td>"));
  EXPECT_THAT(aceh, HasSubstr("66,22%"));  // 98 / 148
  // In ballot order; Aceh's own PNA has no votes, so no column.
  EXPECT_LT(At(aceh, "<td>PKB</td>"), At(aceh, "<td>Gerindra</td>"));
  EXPECT_LT(At(aceh, "<td>Gerindra</td>"), At(aceh, "<td>Ummat</td>"));
  EXPECT_THAT(aceh, Not(HasSubstr("PNA")));
  // The province lies in ACEH I and ACEH II (its kecamatan 110102), with
  // their TPS; links down keep the race.
  EXPECT_THAT(aceh, HasSubstr(R"(<a href="/dapil/pdpr/1101">ACEH I</a>)"));
  EXPECT_THAT(aceh, HasSubstr(R"(<a href="/dapil/pdpr/1102">ACEH II</a>)"));
  EXPECT_THAT(aceh, HasSubstr("kode 1101 · 5 TPS di dapil ini"));
  EXPECT_THAT(aceh, Not(HasSubstr("/dapil/pdpr/3101")));
  EXPECT_THAT(aceh, HasSubstr(R"(href="/wilayah/1101?form_kind=pdpr")"));
  EXPECT_THAT(aceh, HasSubstr("2 dari 8"));

  const std::string kluet = Body("/wilayah/110102", "pdpr");
  EXPECT_THAT(kluet, HasSubstr(R"(<a href="/dapil/pdpr/1102">ACEH II</a>)"));
  EXPECT_THAT(kluet, Not(HasSubstr("/dapil/pdpr/1101\"")));
  // A kelurahan's TPS, each with its party totals.
  const std::string keude = Body("/wilayah/1101012001", "pdpr");
  EXPECT_THAT(keude, HasSubstr(R"(href="/tps/1101012001002?form_kind=pdpr")"));
  EXPECT_THAT(keude, HasSubstr(R"(<td class="num" data-sort="63">63</td>)"));
  // The nation links to the race's list of dapil.
  EXPECT_THAT(Body("/", "pdpr"), HasSubstr(R"(href="/dapil/pdpr")"));
  EXPECT_THAT(Body("/", "pdpr"), HasSubstr("Hasil Pemilu DPR 2024"));
}

TEST_F(LegislativePagesTest, DpdShowsTheProvincesCandidates) {
  const std::string aceh = Body("/wilayah/11", "pdpd");
  EXPECT_THAT(aceh, HasSubstr("<th>Calon</th>"));
  EXPECT_THAT(aceh, HasSubstr("<td>1. E. SATU</td><td class=\"num\">30</td>"));
  EXPECT_THAT(aceh, HasSubstr("<td>2. E. DUA</td><td class=\"num\">12</td>"));
  EXPECT_THAT(aceh, HasSubstr(R"(<a href="/dapil/pdpd/11">ACEH</a>)"));
  // Nationally there is no one list of DPD candidates.
  EXPECT_THAT(Body("/", "pdpd"), HasSubstr("pilih provinsi"));
}

TEST_F(LegislativePagesTest, ARaceWithoutResultsSaysSo) {
  for (const std::string path : {"/wilayah/31", "/wilayah/3101011001"}) {
    const std::string body = Body(path, "pdprdk");
    EXPECT_THAT(body, HasSubstr("Belum ada hasil terverifikasi untuk "
                                "pemilihan ini di wilayah ini."))
        << path;
    EXPECT_THAT(body, HasSubstr("belum masuk dapil mana pun")) << path;
  }
  // DKI is in a DPR dapil, without results yet.
  const std::string dki = Body("/wilayah/31", "pdpr");
  EXPECT_THAT(dki, HasSubstr("Belum ada hasil terverifikasi"));
  EXPECT_THAT(dki,
              HasSubstr(R"(<a href="/dapil/pdpr/3101">DKI JAKARTA I</a>)"));
}

TEST_F(LegislativePagesTest, ATpsShowsEachPartyAndCandidate) {
  const std::string tps = Body("/tps/1101012001002", "pdpr");
  EXPECT_THAT(tps,
              HasSubstr(R"(Dapil: <a href="/dapil/pdpr/1101">ACEH I</a>)"));
  // Party-only votes, each candidate by number and name, the totals.
  EXPECT_THAT(tps, HasSubstr("<td>PKB: suara partai</td><td class=\"num "
                             "big\">1</td>"));
  EXPECT_THAT(tps, HasSubstr("<td>PKB 1. A. SATU</td><td class=\"num "
                             "big\">2</td>"));
  EXPECT_THAT(tps, HasSubstr("<td>PKB 2. A. DUA</td><td class=\"num "
                             "big\">60</td>"));
  EXPECT_THAT(tps, HasSubstr("<td>PKB: jumlah suara</td><td class=\"num "
                             "big\">63</td>"));
  EXPECT_THAT(tps, HasSubstr("<td>Ummat 1. C. SATU</td><td class=\"num "
                             "big\">30</td>"));
  EXPECT_THAT(tps, HasSubstr("<td>Ummat</td><td class=\"num\">34</td>"));
  EXPECT_LT(At(tps, "PKB 2. A. DUA"), At(tps, "Gerindra 1. B. SATU"));
  // Its journal is the race's: the change it made, named from the ballot.
  EXPECT_THAT(tps, HasSubstr("PKB 2. A. DUA 60"));
  // The presidential page of the same TPS has none of it.
  const std::string ppwp = Body("/tps/1101012001002", "ppwp");
  EXPECT_THAT(ppwp, Not(HasSubstr("A. DUA")));
  EXPECT_THAT(ppwp, HasSubstr("Belum ada hasil terverifikasi."));
  EXPECT_THAT(ppwp, HasSubstr("Belum ada perubahan."));

  // No result yet, but a dapil; and no dapil at all.
  const std::string empty = Body("/tps/1101012001003", "pdpr");
  EXPECT_THAT(empty, HasSubstr("Belum ada hasil terverifikasi."));
  EXPECT_THAT(empty, HasSubstr(R"(href="/dapil/pdpr/1101")"));
  EXPECT_THAT(Body("/tps/3101011001001", "pdprdp"),
              HasSubstr("TPS ini belum masuk dapil mana pun"));
  const std::string dpd = Body("/tps/1101012002001", "pdpd");
  EXPECT_THAT(dpd,
              HasSubstr("<td>1. E. SATU</td><td class=\"num big\">30</td>"));
}

TEST_F(LegislativePagesTest, TheDapilPageInBallotAndVoteOrder) {
  const HttpResponse page = Page("/dapil/pdpr/1101");
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string& ballot = page.body;
  EXPECT_THAT(ballot, HasSubstr("<h1>Dapil ACEH I</h1>"));
  EXPECT_THAT(ballot,
              HasSubstr(R"(<a href="/wilayah/11?form_kind=pdpr">ACEH</a>)"));
  EXPECT_THAT(ballot, HasSubstr("2 dari 5"));  // TPS with a result / all
  EXPECT_THAT(ballot, HasSubstr("1. PKB</h3>"));
  EXPECT_THAT(ballot,
              HasSubstr("Suara partai saja: 11 · jumlah suara partai: 98"));
  EXPECT_THAT(ballot,
              HasSubstr("<td>A. DUA</td><td class=\"num\" data-sort=\"65\">"
                        "65</td><td class=\"num\">66,33%</td>"));
  // Ballot order: PKB, Gerindra, Ummat; A. SATU before A. DUA.
  EXPECT_LT(At(ballot, "1. PKB</h3>"), At(ballot, "2. Gerindra</h3>"));
  EXPECT_LT(At(ballot, "2. Gerindra</h3>"), At(ballot, "3. Ummat</h3>"));
  EXPECT_LT(At(ballot, "A. SATU"), At(ballot, "A. DUA"));
  EXPECT_THAT(ballot, HasSubstr(R"(<a href="/dapil/pdpr/1101?sort=votes">)"));

  const HttpResponse by_votes = Page("/dapil/pdpr/1101", {{"sort", "votes"}});
  ASSERT_EQ(by_votes.status, 200);
  const std::string& votes = by_votes.body;
  // PKB 98, Ummat 39, Gerindra 11; A. DUA 65 before A. SATU 22.
  EXPECT_LT(At(votes, "1. PKB</h3>"), At(votes, "3. Ummat</h3>"));
  EXPECT_LT(At(votes, "3. Ummat</h3>"), At(votes, "2. Gerindra</h3>"));
  EXPECT_LT(At(votes, "A. DUA"), At(votes, "A. SATU"));
  EXPECT_THAT(
      votes,
      HasSubstr(R"(<strong aria-current="true">perolehan suara</strong>)"));

  // DPD: one list of candidates without party.
  const std::string dpd = Page("/dapil/pdpd/11").body;
  EXPECT_THAT(dpd, HasSubstr("Calon perseorangan"));
  EXPECT_THAT(dpd, HasSubstr("<td>E. SATU</td><td class=\"num\" "
                             "data-sort=\"30\">30</td>"));
  // A dapil without a candidate list or results yet is a page, no error.
  const HttpResponse empty = Page("/dapil/pdpr/1103");
  EXPECT_EQ(empty.status, 200);
  EXPECT_THAT(empty.body, HasSubstr("Daftar calon dapil ini belum diimpor."));
  EXPECT_THAT(Page("/dapil/pdpr/3101").body,
              HasSubstr("Belum ada hasil terverifikasi di dapil ini."));
}

TEST_F(LegislativePagesTest, TheDapilListPages) {
  const HttpResponse first = Page("/dapil/pdpr", {{"page_size", "3"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_THAT(first.body,
              HasSubstr(R"(<a href="/dapil/pdpr/1101">ACEH I</a>)"));
  EXPECT_THAT(first.body, HasSubstr("2/5"));
  EXPECT_THAT(first.body, Not(HasSubstr("DKI JAKARTA I")));
  const size_t at = At(first.body, "/dapil/pdpr?page_token=");
  const std::string token = first.body.substr(
      at + sizeof("/dapil/pdpr?page_token=") - 1,
      first.body.find('"', at) - at - (sizeof("/dapil/pdpr?page_token=") - 1));
  const HttpResponse second =
      Page("/dapil/pdpr", {{"page_size", "3"}, {"page_token", token}});
  ASSERT_EQ(second.status, 200);
  EXPECT_THAT(second.body, HasSubstr("DKI JAKARTA I"));
  EXPECT_THAT(second.body, Not(HasSubstr("ACEH I")));
  EXPECT_THAT(Page("/dapil/pdprdk").body,
              HasSubstr("Belum ada dapil yang diimpor"));
}

TEST_F(LegislativePagesTest, BadInputIsRefusedInBahasa) {
  struct Case {
    std::string path;
    std::map<std::string, std::string> query;
    int status;
  };
  const Case cases[] = {
      {"/wilayah/11", {{"form_kind", "pilkada"}}, 400},
      {"/tps/1101012001001", {{"form_kind", "pilkada"}}, 400},
      {"/dapil/pilkada/1101", {}, 400},
      {"/dapil/ppwp/1101", {}, 400},  // the president has no dapil
      {"/dapil/ppwp", {}, 400},
      {"/dapil/pdpr/9999", {}, 404},
      {"/dapil/pdpr/11/01", {}, 404},
      {"/dapil/pdpr/1101", {{"sort", "name"}}, 400},
      {"/dapil/pdpr", {{"page_token", "garbage"}}, 400},
      {"/dapil/", {}, 400},
  };
  for (const Case& c : cases) {
    const HttpResponse page = Page(c.path, c.query);
    EXPECT_EQ(page.status, c.status) << c.path << ": " << page.body;
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8") << c.path;
    EXPECT_THAT(page.body,
                HasSubstr(c.status == 404 ? "Tidak ditemukan" : "Galat"))
        << c.path;
  }
  EXPECT_THAT(Page("/wilayah/11", {{"form_kind", "pilkada"}}).body,
              HasSubstr("pemilihan &quot;pilkada&quot; tidak dikenal"));
}

}  // namespace
}  // namespace c1tally
