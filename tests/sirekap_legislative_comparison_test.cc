// Our verified legislative results (through the tally store, with the
// fixture reference data) against Sirekap's legislative records: compared
// per race over the ballot fields of each TPS's dapil, votes moved between
// candidates and across parties, a candidate Sirekap shows who is not on
// the ballot, a count Sirekap left null, DPD.
#include "absl/strings/str_cat.h"
#include "audit/sirekap_comparison.h"
#include "audit/sirekap_importer.h"
#include "audit/sirekap_parser.h"
#include "audit/sirekap_record.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/reference/race_forms.h"
#include "storage/tally_store.h"
#include "tests/sirekap_legislative_fixtures.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Json = nlohmann::json;

// A field of a discrepancy, compactly: "field kind ours sirekap".
std::string Describe(const v1::FieldDiscrepancy& field) {
  return absl::StrCat(
      field.field(), " ", v1::FieldDiscrepancy::Kind_Name(field.kind()), " ",
      field.has_ours() ? absl::StrCat(field.ours()) : "-", " ",
      field.has_sirekap() ? absl::StrCat(field.sirekap()) : "-");
}

class SirekapLegislativeComparisonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    testing::ImportFixtureReference(db_.get());
    kinds_ = *FormKinds::Builtin();
    store_ = *TallyStore::Open(db_.get(), &kinds_);
    sirekap_ = std::make_unique<SirekapStore>(db_.get());
  }

  // Our verified result of `tps` in `race`: the numbers of a Sirekap JSON
  // record, as the TPS's ballot form has them (Sirekap's administrasi has
  // more keys than our kinds).
  v1::TpsResult Ours(const std::string& race, const std::string& tps,
                     const Json& json) {
    absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(
        json.dump(),
        *LocateSirekapFile(testing::SirekapTpsPath(race, tps), "ppwp"));
    EXPECT_TRUE(record.ok()) << record.status();
    RaceForms forms(&kinds_, db_.get());
    absl::StatusOr<RaceForms::Form> form =
        forms.For(*RegionCode::Parse(tps), race);
    EXPECT_TRUE(form.ok()) << form.status();
    v1::TpsResult result;
    result.set_tps_code(tps);
    result.set_form_kind(race);
    const std::map<std::string, int64_t> values =
        FormValues(*record, *FindSirekapRace(race));
    for (const v1::FormKind::Field& field : form->kind->fields()) {
      if (auto it = values.find(field.name()); it != values.end()) {
        (*result.mutable_values())[field.name()] = it->second;
      }
    }
    result.mutable_provenance()->set_source(v1::Provenance::SOURCE_OPERATOR);
    return result;
  }

  void Verify(std::vector<v1::TpsResult> results) {
    absl::StatusOr<TallyStore::Outcome> stored =
        store_->SetResults(std::move(results));
    ASSERT_TRUE(stored.ok()) << stored.status();
  }

  void ImportSirekap(
      const std::vector<std::pair<std::string, std::string>>& files) {
    const SirekapImportReport report = testing::ImportSirekapTexts(
        sirekap_.get(), absl::FromUnixSeconds(1708074000), files);
    ASSERT_THAT(report.rejected, IsEmpty()) << report.ToString();
  }

  SirekapComparison Compare(const std::string& race,
                            const std::string& region) {
    absl::StatusOr<SirekapComparison> comparison = CompareWithSirekap(
        db_.get(), *sirekap_, **kinds_.Find(race), *RegionCode::Parse(region));
    EXPECT_TRUE(comparison.ok()) << comparison.status();
    return comparison.value_or(SirekapComparison());
  }

  std::vector<std::string> Fields(const std::string& race,
                                  const std::string& tps) {
    absl::StatusOr<v1::TpsDiscrepancy> described = DescribeTpsDiscrepancy(
        db_.get(), *sirekap_, **kinds_.Find(race), *RegionCode::Parse(tps));
    EXPECT_TRUE(described.ok()) << described.status();
    std::vector<std::string> fields;
    if (!described.ok()) return fields;
    for (const v1::FieldDiscrepancy& field : described->fields()) {
      fields.push_back(Describe(field));
    }
    return fields;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  FormKinds kinds_;
  std::unique_ptr<TallyStore> store_;
  std::unique_ptr<SirekapStore> sirekap_;
};

TEST_F(SirekapLegislativeComparisonTest, AgreeingSourcesHaveNoDiscrepancy) {
  const Json record = testing::AcehIDprRecord();
  Verify({Ours("pdpr", "1101012001001", record)});
  ImportSirekap(
      {{testing::SirekapTpsPath("pdpr", "1101012001001"), record.dump()}});
  const SirekapComparison comparison = Compare("pdpr", "");
  EXPECT_EQ(comparison.tps_seen, 1);
  EXPECT_EQ(comparison.total.tps_compared(), 1);
  EXPECT_EQ(comparison.total.tps_differing(), 0);
  EXPECT_THAT(comparison.tps, IsEmpty());
  // Every ballot field was compared: its net difference is there, 0.
  EXPECT_EQ(comparison.total.net_difference().at("suara_caleg_100301"), 0);
  EXPECT_EQ(comparison.total.net_difference().at("suara_total_partai_24"), 0);
  // The other races have nothing on either side.
  EXPECT_EQ(Compare("pdprdp", "").tps_seen, 0);
  EXPECT_EQ(Compare("ppwp", "").tps_seen, 0);
}

TEST_F(SirekapLegislativeComparisonTest, VotesMovedAreFoundPerField) {
  const Json verified = testing::AcehIDprRecord();
  Verify({Ours("pdpr", "1101012001001", verified),
          Ours("pdpr", "1101012001002", verified)});
  // 001: 5 votes of 100282 shown under 100281 (within PKB). 002: 5 of
  // Gerindra's party-only votes shown as PKB's (across parties), totals
  // following, so Sirekap's own sums still hold.
  Json within = verified;
  within["caleg"]["1"]["100281"] = 25;
  within["caleg"]["1"]["100282"] = 0;
  Json across = verified;
  across["chart"]["1"] =
      Json::parse(R"({"jml_suara_total":38,"jml_suara_partai":13})");
  across["chart"]["2"] =
      Json::parse(R"({"jml_suara_total":7,"jml_suara_partai":0})");
  ImportSirekap(
      {{testing::SirekapTpsPath("pdpr", "1101012001001"), within.dump()},
       {testing::SirekapTpsPath("pdpr", "1101012001002"), across.dump()}});

  const SirekapComparison comparison = Compare("pdpr", "1101012001");
  ASSERT_EQ(comparison.tps.size(), 2u);
  // 002: |13 - 10| + |0 - 3| = 6 (party-only votes count; the totals made
  // of them do not count again). 001: |25 - 20| + |0 - 5| = 10.
  EXPECT_EQ(comparison.tps[0].tps_code, "1101012001001");
  EXPECT_EQ(comparison.tps[0].size, 10);
  EXPECT_EQ(comparison.tps[1].tps_code, "1101012001002");
  EXPECT_EQ(comparison.tps[1].size, 6);
  EXPECT_THAT(Fields("pdpr", "1101012001001"),
              ElementsAre("suara_caleg_100281 KIND_DIFFERS 20 25",
                          "suara_caleg_100282 KIND_DIFFERS 5 0"));
  EXPECT_THAT(Fields("pdpr", "1101012001002"),
              ElementsAre("suara_partai_1 KIND_DIFFERS 10 13",
                          "suara_total_partai_1 KIND_DIFFERS 35 38",
                          "suara_partai_2 KIND_DIFFERS 3 0",
                          "suara_total_partai_2 KIND_DIFFERS 10 7"));
  // Rolled up: within PKB the moves sum to zero, across parties they do
  // not (DOMAIN.md "What shows a move").
  const auto& net = comparison.total.net_difference();
  EXPECT_EQ(net.at("suara_caleg_100281"), 5);
  EXPECT_EQ(net.at("suara_caleg_100282"), -5);
  EXPECT_EQ(net.at("suara_total_partai_1"), 3);
  EXPECT_EQ(net.at("suara_total_partai_2"), -3);
  EXPECT_EQ(comparison.total.tps_differing(), 2);
}

TEST_F(SirekapLegislativeComparisonTest, OffBallotAndUnpublishedFields) {
  const Json verified = testing::AcehIDprRecord();
  Verify({Ours("pdpr", "1101012001003", verified)});
  Json sirekap = verified;
  sirekap["caleg"]["1"]["300001"] = 4;        // DKI JAKARTA I's candidate
  sirekap["caleg"]["2"]["100291"] = nullptr;  // not published: not 0
  ImportSirekap(
      {{testing::SirekapTpsPath("pdpr", "1101012001003"), sirekap.dump()}});
  EXPECT_THAT(Fields("pdpr", "1101012001003"),
              ElementsAre("suara_caleg_100291 KIND_ONLY_OURS 7 -",
                          "suara_caleg_300001 KIND_ONLY_SIREKAP - 4"));
  // Listed, though no vote is known to have moved: a field only one side
  // has does not size the discrepancy.
  ASSERT_EQ(Compare("pdpr", "").tps.size(), 1u);
  EXPECT_EQ(Compare("pdpr", "").tps[0].size, 0);
}

TEST_F(SirekapLegislativeComparisonTest, SirekapOnlyTpsUseOurMapsBallot) {
  // No result of ours: the TPS's ballot comes from our TPS -> dapil map.
  Json sirekap = testing::AcehIDprRecord();
  sirekap["chart"]["2"] = nullptr;
  ImportSirekap(
      {{testing::SirekapTpsPath("pdpr", "1101012002001"), sirekap.dump()}});
  const SirekapComparison comparison = Compare("pdpr", "11");
  EXPECT_EQ(comparison.total.tps_only_sirekap(), 1);
  const std::vector<std::string> fields = Fields("pdpr", "1101012002001");
  EXPECT_THAT(fields, ::testing::Contains("suara_caleg_100291 "
                                          "KIND_ONLY_SIREKAP - 7"));
  EXPECT_THAT(fields, ::testing::Not(::testing::Contains(
                          ::testing::StartsWith("suara_total_partai_2 "))));
  EXPECT_THAT(fields, ::testing::Not(::testing::Contains(
                          ::testing::HasSubstr("pengguna_dpt_l"))));
}

TEST_F(SirekapLegislativeComparisonTest, Dpd) {
  const Json verified = testing::AcehDpdRecord();
  Verify({Ours("pdpd", "1101012001001", verified)});
  Json sirekap = verified;
  sirekap["chart"]["500001"] = 33;
  sirekap["chart"]["500002"] = 17;
  ImportSirekap(
      {{testing::SirekapTpsPath("pdpd", "1101012001001"), sirekap.dump()}});
  const SirekapComparison comparison = Compare("pdpd", "");
  ASSERT_EQ(comparison.tps.size(), 1u);
  EXPECT_EQ(comparison.tps[0].size, 6);
  EXPECT_THAT(Fields("pdpd", "1101012001001"),
              ElementsAre("suara_caleg_500001 KIND_DIFFERS 30 33",
                          "suara_caleg_500002 KIND_DIFFERS 20 17"));
}

}  // namespace
}  // namespace c1tally
