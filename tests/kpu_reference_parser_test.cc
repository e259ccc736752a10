// KPU's reference shapes parsed on their own: which file is which from its
// path, numbers as numbers or digit strings, ballot order, and what makes
// a file or a map row unusable.
#include "storage/reference/kpu_reference_parser.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ReferenceSourceTest, KnowsEachFileByItsPath) {
  using Kind = ReferenceSource::Kind;
  struct Case {
    const char* path;
    Kind kind;
    const char* race;
    const char* code;
  };
  const Case cases[] = {
      {"pemilu/partai.json", Kind::kParties, "", ""},
      {"x/wilayah/pemilu/pdpr/dapil_dpr.json", Kind::kDapilList, "pdpr", ""},
      {"wilayah/pemilu/pdprdp/11.json", Kind::kDapilList, "pdprdp", "11"},
      {"wilayah/pemilu/pdprdk/11/1101.json", Kind::kDapilList, "pdprdk",
       "1101"},
      {"pemilu/caleg/partai/1101.json", Kind::kCandidates, "", "1101"},
      {"pemilu/caleg/dpd/31.json", Kind::kDpdCandidates, "pdpd", "31"},
      {"maps/dapil-2024.csv", Kind::kMap, "", ""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ReferenceSource> source = ReferenceSourceOf(c.path);
    ASSERT_TRUE(source.ok()) << c.path << ": " << source.status();
    EXPECT_EQ(source->kind, c.kind) << c.path;
    EXPECT_EQ(source->race, c.race) << c.path;
    EXPECT_EQ(source->code, c.code) << c.path;
  }
  for (const char* path : {"pemilu/caleg/partai/ACEH.json", "partai.txt",
                           "wilayah/pemilu/ppwp/11.json", "x.json"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ReferenceSourceOf(path).status()))
        << path;
  }
}

TEST(ParsePartiesTest, TakesNumbersAsNumbersOrDigitStrings) {
  absl::StatusOr<std::vector<v1::Party>> parties = ParseParties(R"({
    "10": {"id_partai": "10", "nama": "X", "nomor_urut": "10",
           "is_aceh": null, "warna": null},
    "2": {"id_partai": 2, "nama": " Y ", "nomor_urut": 2, "is_aceh": true}})");
  ASSERT_TRUE(parties.ok()) << parties.status();
  ASSERT_EQ(parties->size(), 2u);
  EXPECT_EQ((*parties)[0].id(), 2);  // by id
  EXPECT_EQ((*parties)[0].name(), "Y");
  EXPECT_TRUE((*parties)[0].aceh_only());
  EXPECT_EQ((*parties)[1].ballot_number(), 10);
  EXPECT_EQ((*parties)[1].color(), "");
}

TEST(ParsePartiesTest, RefusesTheWholeListForOneBadParty) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "not an object"},
      {"{}", "empty"},
      {R"({"x": {"nama": "X", "nomor_urut": 1}})", "party id \"x\""},
      {R"({"1": {"id_partai": 2, "nama": "X", "nomor_urut": 1}})",
       "id_partai says 2"},
      {R"({"1": {"nama": "X"}})", "\"nomor_urut\" is missing"},
      {R"({"1": {"nama": "X", "nomor_urut": -1}})", "not a whole number"},
      {R"({"1": {"nama": "X", "nomor_urut": 1},
           "2": {"nama": "Y", "nomor_urut": 1}})",
       "nomor_urut 1 is not a free ballot number"},
      {R"({"1": {"nomor_urut": 1}})", "\"nama\" is missing"},
      {R"({"1": {"nama": "X", "nomor_urut": 1, "is_aceh": "ya"}})", "is_aceh"},
  };
  for (const auto& [json, reason] : cases) {
    absl::StatusOr<std::vector<v1::Party>> parties = ParseParties(json);
    EXPECT_TRUE(absl::IsInvalidArgument(parties.status())) << json;
    EXPECT_THAT(parties.status().message(), HasSubstr(reason)) << json;
  }
}

TEST(ParseDapilListTest, ReadsBothShapes) {
  absl::StatusOr<std::vector<v1::Dapil>> dpr = ParseDapilList(
      "pdpr", R"([{"id": 7, "nama": "ACEH I", "kode": "1101"}])");
  ASSERT_TRUE(dpr.ok()) << dpr.status();
  EXPECT_EQ((*dpr)[0].code(), "1101");
  EXPECT_EQ((*dpr)[0].name(), "ACEH I");
  EXPECT_EQ((*dpr)[0].kpu_id(), 7);
  EXPECT_EQ((*dpr)[0].race(), "pdpr");
  absl::StatusOr<std::vector<v1::Dapil>> dprd = ParseDapilList(
      "pdprdk",
      R"([{"id_dapil": "9", "kode_dapil": 11010101, "nama_dapil": "A 1"}])");
  ASSERT_TRUE(dprd.ok()) << dprd.status();
  EXPECT_EQ((*dprd)[0].code(), "11010101");
  EXPECT_EQ((*dprd)[0].kpu_id(), 9);

  EXPECT_THAT(ParseDapilList("ppwp", "[]").status().message(),
              HasSubstr("not a legislative race"));
  EXPECT_THAT(ParseDapilList("pdpr", R"([{"kode": "11a", "nama": "X"}])")
                  .status()
                  .message(),
              HasSubstr("not a code of digits"));
  EXPECT_THAT(ParseDapilList("pdpr", R"([{"kode": "1", "nama": "X"},
                                         {"kode": "1", "nama": "Y"}])")
                  .status()
                  .message(),
              HasSubstr("dapil 1 is listed twice"));
  EXPECT_THAT(ParseDapilList("pdpr", R"([{"kode": "1"}])").status().message(),
              HasSubstr("name is missing"));
}

TEST(ParseCandidatesTest, PartiesByIdCandidatesByBallotNumber) {
  absl::StatusOr<v1::Ballot> ballot = ParseCandidates("1101", R"({
    "24": {"100003": {"nama": "C", "nomor_urut": 1}},
    "5": {"100002": {"nama": "B", "nomor_urut": 2, "jenis_kelamin": "P"},
          "100001": {"nama": "A", "nomor_urut": 1, "jenis_kelamin": "L",
                     "tempat_tinggal": "KOTA"}}})");
  ASSERT_TRUE(ballot.ok()) << ballot.status();
  EXPECT_EQ(ballot->dapil(), "1101");
  ASSERT_EQ(ballot->parties_size(), 2);
  EXPECT_EQ(ballot->parties(0).party_id(), 5);
  EXPECT_EQ(ballot->parties(0).candidates(0).id(), "100001");
  EXPECT_EQ(ballot->parties(0).candidates(0).residence(), "KOTA");
  EXPECT_EQ(ballot->parties(0).candidates(1).gender(), "P");
  EXPECT_EQ(ballot->parties(1).party_id(), 24);

  const std::pair<const char*, const char*> bad[] = {
      {"{}", "empty"},
      {R"({"1": {"10000x": {"nama": "A", "nomor_urut": 1}}})",
       "candidate id \"10000x\""},
      {R"({"1": {"100001": {"nama": "A", "nomor_urut": 0}}})",
       "not a ballot number"},
      {R"({"1": {"100001": {"nama": "A", "nomor_urut": 1,
                            "jenis_kelamin": "X"}}})",
       "is not L or P"},
      {R"({"1": {"100001": {"nama": "A", "nomor_urut": 1}},
           "2": {"100001": {"nama": "A", "nomor_urut": 1}}})",
       "listed under two parties"},
      {R"({"1": [1, 2]})", "not an object of candidates"},
  };
  for (const auto& [json, reason] : bad) {
    absl::StatusOr<v1::Ballot> refused = ParseCandidates("1101", json);
    EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << json;
    EXPECT_THAT(refused.status().message(), HasSubstr(reason)) << json;
  }
}

TEST(ParseDpdCandidatesTest, OneListWithoutParty) {
  absl::StatusOr<v1::Ballot> ballot =
      ParseDpdCandidates("31", R"({"500009": {"nama": "Z", "nomor_urut": 3},
               "500001": {"nama": "A", "nomor_urut": 1}})");
  ASSERT_TRUE(ballot.ok()) << ballot.status();
  EXPECT_EQ(ballot->race(), "pdpd");
  EXPECT_EQ(ballot->dapil(), "31");
  ASSERT_EQ(ballot->parties_size(), 1);
  EXPECT_EQ(ballot->parties(0).party_id(), 0);
  EXPECT_EQ(ballot->parties(0).candidates(1).id(), "500009");
  EXPECT_THAT(ParseDpdCandidates("3101", "{}").status().message(),
              HasSubstr("not a province code"));
}

TEST(ParseDapilMapTest, RefusesRowsAloneAndNeedsItsHeader) {
  absl::StatusOr<DapilMap> map = ParseDapilMap(
      "race,kode_dapil,wilayah\r\n"
      "pdpr,1101,11\r\n"
      "pdpr,1101,3101011001003\n"
      "pdpr,11 01,31\n"
      "pdpr,1101,11\n"
      "\"pdpr,1101,31\n");
  ASSERT_TRUE(map.ok()) << map.status();
  ASSERT_EQ(map->areas.size(), 2u);
  EXPECT_EQ(map->areas[1].region, "3101011001003");
  EXPECT_EQ(map->areas[1].line, 3u);
  EXPECT_THAT(map->refused,
              ElementsAre(HasSubstr("line 4: kode_dapil \"11 01\""),
                          HasSubstr("line 5: 11 is mapped twice"),
                          HasSubstr("line 6: ")));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseDapilMap("kode,wilayah\npdpr,11\n").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseDapilMap("").status()));
}

}  // namespace
}  // namespace c1tally
