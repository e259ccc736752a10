// Checks of Sirekap records on their own: one record per issue kind, with
// numbers worked out by hand in the comments.
#include "audit/sirekap_checks.h"

#include "audit/sirekap_parser.h"
#include "audit/sirekap_record.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::SirekapRecord Parse(const std::string& json,
                        const std::string& code = "3101011001003") {
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json, {"ppwp", code});
  EXPECT_TRUE(record.ok()) << record.status();
  return record.ok() ? *record : v1::SirekapRecord();
}

std::vector<std::string> KindsOf(const std::vector<SirekapIssue>& issues) {
  std::vector<std::string> kinds;
  for (const SirekapIssue& issue : issues) kinds.push_back(issue.kind);
  return kinds;
}

std::vector<std::string> Check(const std::string& json) {
  return KindsOf(CheckTpsRecord(Parse(json), *FindSirekapRace("ppwp")));
}

// A consistent record: 83 + 107 + 38 = 228 valid, + 5 invalid = 233 votes;
// 233 voters used their right (230 DPT + 2 DPTb + 1 DPK), 147 + 145 = 292
// on the roll.
constexpr char kGood[] = R"({
  "chart":{"null":null,"100025":83,"100026":107,"100027":38},
  "administrasi":{"suara_sah":228,"suara_tidak_sah":5,"suara_total":233,
    "pemilih_dpt_l":147,"pemilih_dpt_p":145,"pemilih_dpt_j":292,
    "pengguna_dpt_j":230,"pengguna_dptb_j":2,"pengguna_non_dpt_j":1,
    "pengguna_total_l":120,"pengguna_total_p":113,"pengguna_total_j":233}})";

TEST(SirekapChecksTest, ConsistentRecordHasNoIssue) {
  EXPECT_THAT(Check(kGood), IsEmpty());
  EXPECT_EQ(StateOf(Parse(kGood)), SirekapState::kComplete);
}

TEST(SirekapChecksTest, ChartSumMismatch) {
  // 62 read as 941 (DOMAIN.md's case): 83 + 941 + 38 = 1062 != 228, and
  // 1062 + 5 votes is above both the 295 voters and a TPS's 306 ballots.
  std::string json = kGood;
  json.replace(json.find("107"), 3, "941");
  std::vector<SirekapIssue> issues =
      CheckTpsRecord(Parse(json), *FindSirekapRace("ppwp"));
  EXPECT_THAT(KindsOf(issues), ElementsAre(sirekap_issue::kChartSumMismatch,
                                           sirekap_issue::kVotesAboveVoters,
                                           sirekap_issue::kAboveTpsCapacity));
  EXPECT_EQ(issues[0].detail, "chart sum 1062 != suara_sah 228");
  EXPECT_EQ(issues[1].detail, "1067 votes > 295 voters (DPT + DPTb + DPK)");
  EXPECT_THAT(issues[2].detail, HasSubstr("chart[100026] 941"));
}

TEST(SirekapChecksTest, TotalMismatch) {
  // 228 + 5 = 233, not 234; and 234 != 233 voters who used their right.
  std::string json = kGood;
  json.replace(json.find("\"suara_total\":233"), 17, "\"suara_total\":234");
  EXPECT_THAT(Check(json), ElementsAre(sirekap_issue::kTotalMismatch,
                                       sirekap_issue::kVotersMismatch));
}

TEST(SirekapChecksTest, Incomplete) {
  EXPECT_THAT(Check(R"({"chart":null,"administrasi":null})"),
              ElementsAre(sirekap_issue::kIncomplete));
  EXPECT_THAT(Check(R"({"chart":{"100025":1,"100026":2},
                        "administrasi":{"suara_sah":3,"suara_tidak_sah":0,
                                        "suara_total":3}})"),
              ElementsAre(sirekap_issue::kIncomplete));
  // A missing candidate leaves the chart sum unchecked.
  std::vector<SirekapIssue> issues = CheckTpsRecord(
      Parse(R"({"chart":{"100025":1},"administrasi":{"suara_sah":9}})"),
      *FindSirekapRace("ppwp"));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].detail,
            "no some candidates, suara_tidak_sah, suara_total");
}

TEST(SirekapChecksTest, VotesAboveVoters) {
  // 100 on the roll, 3 DPTb and 2 DPK voters: at most 105 votes; the
  // administrasi says 106.
  EXPECT_THAT(Check(R"({"chart":{"100025":50,"100026":50,"100027":1},
                "administrasi":{"suara_sah":101,"suara_tidak_sah":5,
                  "suara_total":106,"pemilih_dpt_j":100,
                  "pengguna_dptb_j":3,"pengguna_non_dpt_j":2,
                  "pengguna_dpt_j":101,"pengguna_total_j":106}})"),
              ElementsAre(sirekap_issue::kVotesAboveVoters));
}

TEST(SirekapChecksTest, AboveTpsCapacityWithoutVoterCounts) {
  // Chart only: 71 + 641 + 511 = 1223 votes (a real record, 3101011003008),
  // where no TPS has more than 306 ballots.
  EXPECT_THAT(Check(R"({"chart":{"100025":71,"100026":641,"100027":511},
                "administrasi":null})"),
              ElementsAre(sirekap_issue::kIncomplete,
                          sirekap_issue::kAboveTpsCapacity));
  // A voter count read wrong is caught too.
  std::string json = kGood;
  json.replace(json.find("\"pemilih_dpt_j\":292"), 19, "\"pemilih_dpt_j\":792");
  EXPECT_THAT(Check(json), ElementsAre(sirekap_issue::kAboveTpsCapacity,
                                       sirekap_issue::kGenderSumMismatch));
}

TEST(SirekapChecksTest, VoterCounts) {
  // 230 + 2 + 1 = 233 users, not 234; 120 + 113 = 233, not 234; and the
  // 233 votes differ from the 234 users.
  std::string json = kGood;
  json.replace(json.find("\"pengguna_total_j\":233"), 22,
               "\"pengguna_total_j\":234");
  EXPECT_THAT(Check(json), ElementsAre(sirekap_issue::kVotersMismatch,
                                       sirekap_issue::kVotersSumMismatch,
                                       sirekap_issue::kGenderSumMismatch));
}

TEST(SirekapChecksTest, AggregateAgainstItsRowsAndChildren) {
  // 144 + 209 = 353, but the chart says 354 for pair 01.
  v1::SirekapRecord aggregate = Parse(
      R"({"chart":{"100025":354,"100026":56},
          "table":{"1101012001001":{"100025":144,"100026":19},
                   "1101012001002":{"100025":209,"100026":37},
                   "1101012001003":{"persen":0}}})",
      "1101012001");
  std::vector<SirekapIssue> issues = CheckAggregateRecord(aggregate);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].kind, sirekap_issue::kAggregateSumMismatch);
  EXPECT_EQ(issues[0].detail, "chart[100025] 354 != sum of rows 353");

  v1::SirekapRecord child =
      Parse(R"({"chart":{"100025":144,"100026":19},"administrasi":null})",
            "1101012001001");
  EXPECT_FALSE(
      CheckChildRow(aggregate, "1101012001001", VotesOf(child.chart())));
  child = Parse(R"({"chart":{"100025":145,"100026":19},"administrasi":null})",
                "1101012001001");
  std::optional<SirekapIssue> row =
      CheckChildRow(aggregate, "1101012001001", VotesOf(child.chart()));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->detail,
            "row 1101012001001 says 100025=144 100026=19, its own record "
            "100025=145 100026=19");
  // A row without votes is not compared.
  EXPECT_FALSE(
      CheckChildRow(aggregate, "1101012001003", VotesOf(child.chart())));
}

}  // namespace
}  // namespace c1tally
