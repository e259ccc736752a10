// Record states and form values, and the race table they rely on.
#include "audit/sirekap_record.h"

#include "audit/sirekap_parser.h"
#include "audit/sirekap_race.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

v1::SirekapRecord Parse(const std::string& json) {
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json, {"ppwp", "3101011001001"});
  EXPECT_TRUE(record.ok()) << record.status();
  return record.value_or(v1::SirekapRecord());
}

TEST(SirekapRecordTest, States) {
  EXPECT_EQ(StateOf(Parse(R"({"chart":{"null":null},"administrasi":null})")),
            SirekapState::kEmpty);
  EXPECT_EQ(StateOf(Parse(R"({"chart":{"100025":0}})")),
            SirekapState::kChartOnly);
  EXPECT_EQ(StateOf(Parse(R"({"administrasi":{"suara_sah":0}})")),
            SirekapState::kAdministrasiOnly);
  EXPECT_EQ(StateOf(Parse(R"({"chart":{"100025":0},
                              "administrasi":{"suara_sah":0}})")),
            SirekapState::kComplete);
  // An administrasi object of nulls holds nothing.
  EXPECT_EQ(StateOf(Parse(R"({"administrasi":{"suara_sah":null}})")),
            SirekapState::kEmpty);
  EXPECT_EQ(StateName(SirekapState::kAdministrasiOnly), "administrasi_only");
}

TEST(SirekapRecordTest, FormValuesUseOurFieldNames) {
  v1::SirekapRecord record = Parse(
      R"({"chart":{"100025":83,"100027":38},
          "administrasi":{"suara_sah":228,"pengguna_dpt_l":3}})");
  EXPECT_THAT(FormValues(record, *FindSirekapRace("ppwp")),
              ElementsAre(Pair("pengguna_dpt_l", 3), Pair("suara_paslon_1", 83),
                          Pair("suara_paslon_3", 38), Pair("suara_sah", 228)));
  EXPECT_EQ(Administrasi(record, "suara_sah"), 228);
  EXPECT_FALSE(Administrasi(record, "suara_total").has_value());
  // A DPD chart is keyed by candidate id: suara_caleg_{id}.
  EXPECT_EQ(
      FormValues(record, *FindSirekapRace("pdpd")).at("suara_caleg_100025"),
      83);
}

TEST(SirekapRecordTest, Races) {
  const SirekapRace* ppwp = FindSirekapRace("ppwp");
  ASSERT_NE(ppwp, nullptr);
  EXPECT_EQ(FindSirekapRaceForFormKind("ppwp"), ppwp);
  EXPECT_TRUE(ppwp->AcceptsCandidate("100026"));
  EXPECT_FALSE(ppwp->AcceptsCandidate("100028"));
  EXPECT_EQ(ppwp->FieldOf("100026"), "suara_paslon_2");
  const SirekapRace* dpd = FindSirekapRace("pdpd");
  ASSERT_NE(dpd, nullptr);
  EXPECT_TRUE(dpd->AcceptsCandidate("1234567"));
  EXPECT_FALSE(dpd->AcceptsCandidate("12a"));
  EXPECT_FALSE(dpd->AcceptsCandidate(""));
  const SirekapRace* dpr = FindSirekapRace("pdpr");
  ASSERT_NE(dpr, nullptr);
  EXPECT_TRUE(dpr->has_parties());
  EXPECT_EQ(FindSirekapRaceForFormKind("pdprdk")->name, "pdprdk");
  EXPECT_TRUE(dpr->AcceptsCandidate("24"));  // a region aggregate's party
  EXPECT_FALSE(dpr->AcceptsCandidate("024"));
  EXPECT_EQ(dpr->FieldOf("24"), "suara_total_partai_24");
  EXPECT_TRUE(dpr->IsVoteField("suara_partai_24"));
  EXPECT_TRUE(dpr->IsVoteField("suara_caleg_100281"));
  EXPECT_FALSE(dpr->IsVoteField("suara_total_partai_24"));
  EXPECT_TRUE(dpr->IsBallotField("suara_total_partai_24"));
  EXPECT_FALSE(dpr->IsBallotField("suara_sah"));
  EXPECT_FALSE(ppwp->IsBallotField("suara_paslon_1"));
  EXPECT_TRUE(ppwp->IsVoteField("suara_paslon_1"));
  EXPECT_EQ(FindSirekapRace("pilkada"), nullptr);
  EXPECT_TRUE(IsSirekapAdministrasiKey("pengguna_non_dpt_p"));
  EXPECT_FALSE(IsSirekapAdministrasiKey("persen"));
}

}  // namespace
}  // namespace c1tally
