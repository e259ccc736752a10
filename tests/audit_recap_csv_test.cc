#include <string>

#include "audit/recap_csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kHeader[] =
    "race,recap,region,kode_dapil,partai,suara_partai,caleg_1,caleg_2,"
    "caleg_3\n";

std::string File(const std::string& rows) { return kHeader + rows; }

// The refusal's message for `rows` under the usual header.
std::string RefusalOf(const std::string& text) {
  absl::StatusOr<std::vector<RecapRow>> rows = ParseRecapCsv(text);
  EXPECT_FALSE(rows.ok()) << text;
  if (rows.ok()) return "";
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(rows.status().message());
}

v1::Ballot Ballot() {
  v1::Ballot ballot;
  ballot.set_race("pdpr");
  ballot.set_dapil("3201");
  v1::Ballot::PartyList* list = ballot.add_parties();
  list->set_party_id(1);
  for (const char* id : {"100001", "100002"})
    list->add_candidates()->set_id(id);
  return ballot;
}

TEST(RecapCsvTest, ReadsRowsOfBothRecapsAndShortPartyLists) {
  absl::StatusOr<std::vector<RecapRow>> rows =
      ParseRecapCsv(File("pdpr,kecamatan,3273011001,3201,1,41,29,12,3\r\n"
                         "pdpr,kecamatan,3273011001,3201,2,7,5,,\n"
                         "pdpr,kabupaten,327301,3201,1,140,90,40,8\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  const RecapRow& first = (*rows)[0];
  EXPECT_EQ(first.race, "pdpr");
  EXPECT_EQ(first.level, RecapLevel::kKecamatan);
  EXPECT_EQ(first.region, "3273011001");
  EXPECT_EQ(first.dapil, "3201");
  EXPECT_EQ(first.party, 1);
  EXPECT_EQ(first.party_only, 41);
  EXPECT_THAT(first.candidates, ElementsAre(29, 12, 3));
  EXPECT_EQ(first.line, 2u);
  EXPECT_THAT((*rows)[1].candidates, ElementsAre(5));
  EXPECT_EQ((*rows)[2].level, RecapLevel::kKabupaten);
  EXPECT_EQ(RecapLevelName((*rows)[2].level), "kabupaten");
}

TEST(RecapCsvTest, DpdRowsHaveNoPartyAndNoPartyOnlyVotes) {
  absl::StatusOr<std::vector<RecapRow>> rows =
      ParseRecapCsv(File("pdpd,kecamatan,3273011001,32,0,,2007,10,0\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)[0].party, 0);
  EXPECT_FALSE((*rows)[0].party_only.has_value());
  EXPECT_THAT(RefusalOf(File("pdpd,kecamatan,3273011001,32,3,,1,1,1\n")),
              HasSubstr("DPD row has partai 0"));
  EXPECT_THAT(RefusalOf(File("pdpd,kecamatan,3273011001,32,0,4,1,1,1\n")),
              HasSubstr("no suara_partai"));
}

TEST(RecapCsvTest, RefusesAFileCutShortOrEmpty) {
  EXPECT_THAT(RefusalOf(File("pdpr,kecamatan,3273011001,3201,1,41,29,12,3")),
              HasSubstr("cut short"));
  EXPECT_THAT(RefusalOf(File("pdpr,kecamatan,3273011001,3201,1,41\n")),
              HasSubstr("line 2: the row has 6 cells, the header 9"));
  EXPECT_THAT(RefusalOf(""), HasSubstr("empty"));
  EXPECT_THAT(RefusalOf(kHeader), HasSubstr("no rows"));
}

TEST(RecapCsvTest, RefusesAnotherHeader) {
  EXPECT_THAT(RefusalOf("race,recap,region,kode_dapil,partai,suara_partai\n"
                        "pdpr,kecamatan,3273011001,3201,1,41\n"),
              HasSubstr("the header must be"));
  EXPECT_THAT(
      RefusalOf("race,recap,region,dapil,partai,suara_partai,caleg_1\n"),
      HasSubstr("column 4 is 'dapil', expected 'kode_dapil'"));
  EXPECT_THAT(RefusalOf("race,recap,region,kode_dapil,partai,suara_partai,"
                        "caleg_1,caleg_3\n"),
              HasSubstr("expected 'caleg_2'"));
}

TEST(RecapCsvTest, RefusesRowsThatNameNothingOrCountWrong) {
  const std::string good = "pdpr,kecamatan,3273011001,3201,1,41,29,12,3\n";
  struct Case {
    std::string row;
    std::string reason;
  };
  for (const Case& c : std::vector<Case>{
           {"ppwp,kecamatan,3273011001,3201,1,41,29,12,3\n", "race 'ppwp'"},
           {"pdpr,desa,3273011001,3201,1,41,29,12,3\n", "recap 'desa'"},
           {"pdpr,kecamatan,327301,3201,1,41,29,12,3\n", "not a kelurahan"},
           {"pdpr,kabupaten,3273011001,3201,1,41,29,12,3\n", "not a kecamatan"},
           {"pdpr,kecamatan,3273011001,32-A,1,41,29,12,3\n",
            "kode_dapil '32-A'"},
           {"pdpr,kecamatan,3273011001,3201,0,41,29,12,3\n", "no party id"},
           {"pdpr,kecamatan,3273011001,3201,1000,41,29,12,3\n", "no party id"},
           {"pdpr,kecamatan,3273011001,3201,1,-3,29,12,3\n",
            "suara_partai '-3' is not a whole number"},
           {"pdpr,kecamatan,3273011001,3201,1,41,2.5,12,3\n",
            "caleg_1 '2.5' is not a whole number"},
           {"pdpr,kecamatan,3273011001,3201,1,,29,12,3\n", "suara_partai ''"},
           {"pdpr,kecamatan,3273011001,3201,1,41,29,99999999,3\n",
            "caleg_2 99999999 is above"},
           {"pdpr,kecamatan,3273011001,3201,1,41,29,,3\n",
            "caleg_2 is empty but caleg_3 is not"},
           {good, "on an earlier line too"},
       }) {
    const std::string message = RefusalOf(File(good + c.row));
    EXPECT_THAT(message, HasSubstr("line 3")) << c.row;
    EXPECT_THAT(message, HasSubstr(c.reason)) << c.row;
  }
  // The same unit in another dapil or the other recap is no duplicate.
  EXPECT_TRUE(ParseRecapCsv(
                  File(good + "pdpr,kecamatan,3273011001,3202,1,41,29,12,3\n"))
                  .ok());
}

TEST(RecapCsvTest, ValuesFollowTheBallotOrder) {
  absl::StatusOr<std::vector<RecapRow>> rows =
      ParseRecapCsv(File("pdpr,kecamatan,3273011001,3201,1,41,29,12,\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  absl::StatusOr<std::map<std::string, int64_t>> values =
      RecapValues((*rows)[0], Ballot());
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_THAT(*values, ElementsAre(Pair("suara_caleg_100001", 29),
                                   Pair("suara_caleg_100002", 12),
                                   Pair("suara_partai_1", 41)));
}

TEST(RecapCsvTest, ValuesRefuseARowTheBallotDoesNotHave) {
  absl::StatusOr<std::vector<RecapRow>> rows =
      ParseRecapCsv(File("pdpr,kecamatan,3273011001,3201,1,41,29,12,3\n"
                         "pdpr,kecamatan,3273011001,3201,2,41,29,12,\n"
                         "pdpr,kecamatan,3273011001,3202,1,41,29,,\n"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_THAT(RecapValues((*rows)[0], Ballot()).status().message(),
              HasSubstr("partai 1 has 2 candidates in dapil 3201, the row "
                        "lists 3"));
  EXPECT_THAT(RecapValues((*rows)[1], Ballot()).status().message(),
              HasSubstr("partai 2 is not on the ballot"));
  EXPECT_THAT(RecapValues((*rows)[2], Ballot()).status().message(),
              HasSubstr("the ballot is of pdpr dapil 3201"));
}

}  // namespace
}  // namespace c1tally
