// The legislative rules of `c1ctl audit sirekap check` on Sirekap's own
// numbers (each party's block, the party totals against suara_sah, DPD's
// candidates) and against our reference data (a candidate or party not on
// the dapil's ballot, a kode_dapil our TPS -> dapil map contradicts): each
// fires on a record that breaks it and stays quiet on a clean one. Published
// data is flagged, never refused.
#include <filesystem>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "audit/sirekap_audit.h"
#include "audit/sirekap_ballot_checks.h"
#include "audit/sirekap_checks.h"
#include "audit/sirekap_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/reference/reference_store.h"
#include "tests/sirekap_legislative_fixtures.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Json = nlohmann::json;

v1::SirekapRecord Parse(const Json& json, const std::string& race = "pdpr",
                        const std::string& tps = "1101012001001") {
  absl::StatusOr<SirekapLocation> where =
      LocateSirekapFile(testing::SirekapTpsPath(race, tps), "ppwp");
  EXPECT_TRUE(where.ok()) << where.status();
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json.dump(), where.value_or(SirekapLocation()));
  EXPECT_TRUE(record.ok()) << record.status();
  return record.value_or(v1::SirekapRecord());
}

v1::SirekapRecord ParseDapil(const Json& json, const std::string& path) {
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json.dump(), *LocateSirekapFile(path, "ppwp"));
  EXPECT_TRUE(record.ok()) << record.status();
  return record.value_or(v1::SirekapRecord());
}

std::vector<std::string> KindsOf(const std::vector<SirekapIssue>& issues) {
  std::vector<std::string> kinds;
  for (const SirekapIssue& issue : issues) kinds.push_back(issue.kind);
  return kinds;
}

std::vector<SirekapIssue> Check(const v1::SirekapRecord& record) {
  return CheckTpsRecord(record, *FindSirekapRace(record.race()));
}

std::string DetailOf(const std::vector<SirekapIssue>& issues,
                     const std::string& kind) {
  for (const SirekapIssue& issue : issues) {
    if (issue.kind == kind) return issue.detail;
  }
  return "";
}

TEST(SirekapLegislativeChecksTest, CleanRecordsHaveNoIssues) {
  EXPECT_THAT(Check(Parse(testing::AcehIDprRecord())), IsEmpty());
  for (const char* race : {"pdprdp", "pdprdk"}) {
    EXPECT_THAT(Check(Parse(testing::AcehIDprRecord(), race)), IsEmpty());
  }
  EXPECT_THAT(Check(Parse(testing::AcehDpdRecord(), "pdpd")), IsEmpty());
  EXPECT_THAT(CheckAggregateRecord(ParseDapil(testing::AcehIDapilAggregate(),
                                              "pemilu/hhcd/pdpr/1101.json")),
              IsEmpty());
}

TEST(SirekapLegislativeChecksTest, PartyTotalIsPartyOnlyPlusCandidates) {
  Json json = testing::AcehIDprRecord();
  json["caleg"]["1"]["100281"] = 21;           // 10 + 21 + 5 != 35
  json["chart"]["2"]["jml_suara_partai"] = 4;  // 4 + 7 != 10
  const std::vector<SirekapIssue> issues = Check(Parse(json));
  EXPECT_THAT(KindsOf(issues), ElementsAre("party_sum_mismatch"));
  EXPECT_EQ(DetailOf(issues, "party_sum_mismatch"),
            "partai 1: jml_suara_total 35 != jml_suara_partai 10 + "
            "candidates 26; partai 2: jml_suara_total 10 != "
            "jml_suara_partai 4 + candidates 7");

  // Not checked where a number of the block is not published.
  for (const auto& unpublish : std::vector<std::function<void(Json&)>>{
           [](Json& j) { j["caleg"]["1"]["100282"] = nullptr; },
           [](Json& j) { j["caleg"]["1"] = nullptr; },
           [](Json& j) { j["chart"]["1"]["jml_suara_partai"] = nullptr; }}) {
    Json broken = testing::AcehIDprRecord();
    broken["caleg"]["1"]["100281"] = 21;
    unpublish(broken);
    EXPECT_THAT(KindsOf(Check(Parse(broken))),
                ::testing::Not(::testing::Contains("party_sum_mismatch")))
        << broken.dump();
  }

  // A dapil aggregate's rows obey the same rule.
  Json aggregate = testing::AcehIDapilAggregate();
  aggregate["table"]["24"]["jml_suara_partai"] = 7;
  const std::vector<SirekapIssue> dapil =
      CheckAggregateRecord(ParseDapil(aggregate, "pemilu/hhcd/pdpr/1101.json"));
  EXPECT_THAT(KindsOf(dapil), ElementsAre("party_sum_mismatch"));
  EXPECT_THAT(DetailOf(dapil, "party_sum_mismatch"), HasSubstr("partai 24"));
}

TEST(SirekapLegislativeChecksTest, PartyTotalsSumToValidVotes) {
  Json json = testing::AcehIDprRecord();
  json["administrasi"]["suara_sah"] = 49;
  json["administrasi"]["suara_total"] = 51;
  json["administrasi"]["pengguna_total_j"] = 51;
  json["administrasi"]["pengguna_dpt_j"] = 51;
  json["administrasi"]["pengguna_dpt_p"] = 21;
  const std::vector<SirekapIssue> issues = Check(Parse(json));
  EXPECT_THAT(KindsOf(issues), ElementsAre("chart_sum_mismatch"));
  EXPECT_EQ(DetailOf(issues, "chart_sum_mismatch"),
            "sum of party totals 50 != suara_sah 49");
  // A party without a published total: the sum is unknown, not checked.
  json["chart"]["24"]["jml_suara_total"] = nullptr;
  EXPECT_THAT(KindsOf(Check(Parse(json))), ElementsAre("incomplete"));
  EXPECT_EQ(DetailOf(Check(Parse(json)), "incomplete"), "no some party totals");

  // DPD: the candidates sum to suara_sah.
  Json dpd = testing::AcehDpdRecord();
  dpd["chart"]["500002"] = 21;
  EXPECT_THAT(KindsOf(Check(Parse(dpd, "pdpd"))),
              UnorderedElementsAre("chart_sum_mismatch"));
}

TEST(SirekapLegislativeChecksTest, MissingBlocksAndMisreadings) {
  Json no_caleg = testing::AcehIDprRecord();
  no_caleg["caleg"] = nullptr;
  EXPECT_EQ(DetailOf(Check(Parse(no_caleg)), "incomplete"), "no caleg");
  Json no_chart = testing::AcehIDprRecord();
  no_chart.erase("chart");
  no_chart["administrasi"] = nullptr;
  EXPECT_EQ(DetailOf(Check(Parse(no_chart)), "incomplete"),
            "no chart, administrasi");
  // 62 shown as 941 (DOMAIN.md) in a party's total.
  Json misread = testing::AcehIDprRecord();
  misread["chart"]["2"]["jml_suara_total"] = 941;
  const std::vector<SirekapIssue> issues = Check(Parse(misread));
  EXPECT_THAT(DetailOf(issues, "above_tps_capacity"),
              HasSubstr("suara_total_partai_2 941"));
  EXPECT_THAT(KindsOf(issues), ::testing::IsSupersetOf({"chart_sum_mismatch",
                                                        "party_sum_mismatch",
                                                        "votes_above_voters"}));
}

TEST(SirekapLegislativeChecksTest, RegionAggregateRowsAgainstTheTpsRecords) {
  SirekapAudit audit;
  audit.Add(Parse(testing::AcehIDprRecord()));
  audit.Add(ParseDapil(Json::parse(R"({"chart":{"1":35,"2":10,"24":5},
      "table":{"1101012001001":{"1":35,"2":10,"24":5},
               "1101012001002":{}}})"),
                       "pemilu/hhcw/pdpr/1101012001.json"));
  audit.Add(ParseDapil(Json::parse(R"({"chart":{"1":35,"2":11,"24":5},
      "table":{"1101012001":{"1":35,"2":11,"24":5}}})"),
                       "pemilu/hhcw/pdpr/110101.json"));
  SirekapAudit::Summary summary;
  const std::vector<SirekapAudit::Finding> findings = audit.Finish(&summary);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "110101");
  EXPECT_THAT(KindsOf(findings[0].issues),
              ElementsAre("aggregate_child_mismatch"));
  EXPECT_THAT(findings[0].issues[0].detail,
              HasSubstr("row 1101012001 says 1=35 2=11 24=5"));
}

// Against the fixture reference data: DPR dapil 1101 (province 11 but
// kecamatan 110102, which is dapil 1102, without a ballot) and 3101, DPD
// in province 11.
class SirekapBallotChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    testing::ImportFixtureReference(db_.get());
    reference_ = std::make_unique<ReferenceStore>(db_.get());
    ballots_ = std::make_unique<SirekapBallotChecks>(reference_.get());
  }

  std::vector<SirekapIssue> Check(const v1::SirekapRecord& record) {
    absl::StatusOr<std::vector<SirekapIssue>> issues = ballots_->Check(record);
    EXPECT_TRUE(issues.ok()) << issues.status();
    return issues.value_or(std::vector<SirekapIssue>());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<ReferenceStore> reference_;
  std::unique_ptr<SirekapBallotChecks> ballots_;
};

TEST_F(SirekapBallotChecksTest, CleanRecordsFitTheirBallot) {
  EXPECT_THAT(Check(Parse(testing::AcehIDprRecord())), IsEmpty());
  EXPECT_THAT(Check(Parse(testing::AcehDpdRecord(), "pdpd")), IsEmpty());
  EXPECT_THAT(Check(ParseDapil(testing::AcehIDapilAggregate(),
                               "pemilu/hhcd/pdpr/1101.json")),
              IsEmpty());
  // ppwp has no ballot here; pdprdk has no reference data: nothing flagged
  // for want of it.
  EXPECT_THAT(Check(Parse(testing::AcehIDprRecord(), "pdprdk")), IsEmpty());
}

TEST_F(SirekapBallotChecksTest, CandidatesNotOnTheBallot) {
  Json json = testing::AcehIDprRecord();
  json["caleg"]["1"]["300001"] = 0;  // DKI JAKARTA I's candidate
  json["caleg"]["1"]["100291"] = 0;  // Gerindra's candidate under PKB
  const std::vector<SirekapIssue> issues = Check(Parse(json));
  EXPECT_THAT(KindsOf(issues), ElementsAre("not_on_ballot"));
  EXPECT_EQ(DetailOf(issues, "not_on_ballot"),
            "caleg 100291 under partai 1, stands for partai 2; caleg 300001 "
            "of partai 1 (ballot of pdpr dapil 1101)");
  Json dpd = testing::AcehDpdRecord();
  dpd["chart"]["500003"] = 0;
  EXPECT_EQ(DetailOf(Check(Parse(dpd, "pdpd")), "not_on_ballot"),
            "caleg 500003 (ballot of pdpd dapil 11)");
  Json dapil = testing::AcehIDapilAggregate();
  dapil["table"]["24"]["300001"] = 4;
  EXPECT_THAT(KindsOf(Check(ParseDapil(dapil, "pemilu/hhcd/pdpr/1101.json"))),
              ElementsAre("not_on_ballot"));
}

TEST_F(SirekapBallotChecksTest, PartiesUnknownToTheRace) {
  Json json = testing::AcehIDprRecord();
  json["chart"]["18"] = Json::parse(R"({"jml_suara_total":0})");  // PNA
  json["chart"]["9"] = Json::parse(R"({"jml_suara_total":0})");
  const std::vector<SirekapIssue> issues = Check(Parse(json));
  EXPECT_THAT(KindsOf(issues), ElementsAre("unknown_party"));
  EXPECT_EQ(DetailOf(issues, "unknown_party"),
            "partai 18 (PNA) is not on the ballot of pdpr dapil 1101; "
            "partai 9 is in no party list");
}

TEST_F(SirekapBallotChecksTest, KodeDapilContradictingOurMap) {
  // Kecamatan 110102 is DPR dapil 1102 in our map, not 1101.
  const std::vector<SirekapIssue> issues =
      Check(Parse(testing::AcehIDprRecord(), "pdpr", "1101022001001"));
  EXPECT_THAT(KindsOf(issues), ElementsAre("dapil_mismatch"));
  EXPECT_EQ(DetailOf(issues, "dapil_mismatch"),
            "kode_dapil 1101 != dapil 1102 of the TPS in our pdpr map");
  // In Jakarta the Aceh ballot's candidates and parties are foreign too.
  EXPECT_THAT(
      KindsOf(Check(Parse(testing::AcehIDprRecord(), "pdpr", "3101011001001"))),
      ElementsAre("dapil_mismatch", "unknown_party", "not_on_ballot"));
  Json dpd = testing::AcehDpdRecord();
  dpd["kode_dapil"] = "31";
  EXPECT_THAT(KindsOf(Check(Parse(dpd, "pdpd"))),
              ElementsAre("dapil_mismatch"));
  // A record without kode_dapil contradicts nothing.
  Json silent = testing::AcehIDprRecord();
  silent["kode_dapil"] = nullptr;
  EXPECT_THAT(Check(Parse(silent, "pdpr", "1101022001001")), IsEmpty());
}

TEST_F(SirekapBallotChecksTest, TheAuditFlagsWithTheReason) {
  SirekapAudit audit(ballots_.get());
  audit.Add(Parse(testing::AcehIDprRecord()));
  audit.Add(Parse(testing::AcehIDprRecord(), "pdpr", "1101022001001"));
  Json arithmetic = testing::AcehIDprRecord();
  arithmetic["caleg"]["2"]["100291"] = 8;
  arithmetic["caleg"]["2"]["300001"] = 0;
  audit.Add(Parse(arithmetic, "pdpr", "1101012001002"));
  SirekapAudit::Summary summary;
  const std::vector<SirekapAudit::Finding> findings = audit.Finish(&summary);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].code, "1101012001002");
  EXPECT_THAT(KindsOf(findings[0].issues),
              ElementsAre("party_sum_mismatch", "not_on_ballot"));
  EXPECT_EQ(findings[1].code, "1101022001001");
  EXPECT_THAT(KindsOf(findings[1].issues), ElementsAre("dapil_mismatch"));
  EXPECT_EQ(summary.tps_records, 3);
  EXPECT_EQ(summary.issues["dapil_mismatch"], 1);
  EXPECT_THAT(summary.rejected, IsEmpty());
}

testing::ProgramResult C1ctl(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BinaryPath("c1ctl"));
  return testing::RunProgram(args);
}

TEST(SirekapLegislativeCliTest, CheckWithReferenceDataAndDapilHistory) {
  testing::TempDir dir;
  {
    std::unique_ptr<Database> db = testing::OpenDatabase(dir.Sub("db"));
    testing::ImportFixtureTree(db.get(), dir);
    testing::ImportFixtureReference(db.get());
  }
  const std::string in = dir.Sub("pemilu");
  std::filesystem::create_directories(in + "/hhcw/pdpr/1101022001");
  std::filesystem::create_directories(in + "/hhcw/pdpr/1101012001");
  std::filesystem::create_directories(in + "/hhcd/pdpr");
  testing::WriteFile(in + "/hhcw/pdpr/1101022001/1101022001001.json",
                     testing::AcehIDprRecord().dump());
  testing::WriteFile(in + "/hhcw/pdpr/1101012001/1101012001001.json",
                     testing::AcehIDprRecord().dump());
  Json dapil = testing::AcehIDapilAggregate();
  dapil["table"]["1"]["jml_suara_total"] = 3501;
  testing::WriteFile(in + "/hhcd/pdpr/1101.json", dapil.dump());
  testing::WriteFile(in + "/hhcd/pdpr/1102.json", R"({"table":{"1":3}})");
  const std::string data = "--data=" + dir.Sub("db");

  // Without --ballots only Sirekap's own arithmetic is checked.
  testing::ProgramResult alone =
      C1ctl({"audit", "sirekap", "check", in, "--json", data});
  EXPECT_EQ(alone.exit_code, 3) << alone.output;
  EXPECT_THAT(alone.output, ::testing::Not(HasSubstr(R"(["dapil_mismatch"])")));
  testing::ProgramResult checked =
      C1ctl({"audit", "sirekap", "check", in, "--json", "--ballots", data});
  EXPECT_EQ(checked.exit_code, 3) << checked.output;  // 1102.json refused
  EXPECT_THAT(checked.output,
              HasSubstr(R"({"dapil":"1101","race":"pdpr","issues":)"
                        R"(["party_sum_mismatch"])"));
  EXPECT_THAT(checked.output,
              HasSubstr(R"({"tps":"1101022001001","race":"pdpr","issues":)"
                        R"(["dapil_mismatch"],"details":["kode_dapil 1101 )"
                        R"(!= dapil 1102 of the TPS in our pdpr map"]})"));
  EXPECT_THAT(checked.output, HasSubstr("1102.json"));
  EXPECT_THAT(checked.output, HasSubstr("is 3: not an object"));
  EXPECT_THAT(checked.output, HasSubstr(" dapil_mismatch=1 "));

  // Imported twice, the dapil aggregate has a history of its own.
  std::filesystem::remove(in + "/hhcd/pdpr/1102.json");
  ASSERT_EQ(C1ctl({"audit", "sirekap", "import", in, data,
                   "--fetch_time=2024-02-17T09:00:00Z"})
                .exit_code,
            0);
  dapil["table"]["1"]["jml_suara_total"] = 3500;
  testing::WriteFile(in + "/hhcd/pdpr/1101.json", dapil.dump());
  testing::ProgramResult second = C1ctl({"audit", "sirekap", "import", in, data,
                                         "--fetch_time=2024-02-18T09:00:00Z"});
  EXPECT_THAT(second.output, HasSubstr("imported=1 unchanged=2"));
  testing::ProgramResult history = C1ctl(
      {"audit", "sirekap", "history", "1101", data, "--race=pdpr", "--dapil"});
  ASSERT_EQ(history.exit_code, 0) << history.output;
  std::vector<std::string> lines =
      absl::StrSplit(history.output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << history.output;
  EXPECT_THAT(lines[0], HasSubstr(R"("total":"3500")"));
  EXPECT_THAT(lines[1], HasSubstr(R"("total":"3501")"));
  EXPECT_THAT(lines[0], HasSubstr("\"fetch_time\":\"2024-02-18T09:00:00Z\""));
  EXPECT_THAT(lines[1], HasSubstr("\"fetch_time\":\"2024-02-17T09:00:00Z\""));
}

}  // namespace
}  // namespace c1tally
