// Legislative results in the tally store over a real RocksDB with the
// fixture tree and reference data: a result must fit its TPS's dapil
// ballot; per-party and cross-party arithmetic flags; dapil aggregates in
// the same write as the regions'; a TPS that moves to another dapil; bad
// input refused with nothing partly applied; the verifier agrees.
#include <map>
#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/reference/reference_importer.h"
#include "storage/tally_store.h"
#include "storage/tally_verifier.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A DPR result of a TPS in ACEH I: PKB 10 party-only, 20 + 5 for its
// candidates, total 35; Gerindra 3 + 7 = 10; Ummat 0 + 5 = 5. Valid 50.
v1::TpsResult AcehI(const std::string& tps) {
  return testing::AcehIResult(tps);
}

class LegislativeTallyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    testing::ImportFixtureReference(db_.get());
    absl::StatusOr<FormKinds> kinds = FormKinds::Builtin();
    ASSERT_TRUE(kinds.ok()) << kinds.status();
    kinds_ = *std::move(kinds);
    absl::StatusOr<std::unique_ptr<TallyStore>> store =
        TallyStore::Open(db_.get(), &kinds_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  absl::Status Set(std::vector<v1::TpsResult> results) {
    return store_->SetResults(std::move(results)).status();
  }

  v1::Aggregate Dapil(const std::string& race, const std::string& dapil) {
    absl::StatusOr<v1::Aggregate> aggregate =
        store_->GetDapilAggregate(race, dapil);
    EXPECT_TRUE(aggregate.ok()) << aggregate.status();
    return aggregate.ok() ? *aggregate : v1::Aggregate();
  }

  void ExpectVerified() {
    absl::StatusOr<TallyVerification> verified = VerifyTally(db_.get());
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_THAT(verified->differences, IsEmpty());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  FormKinds kinds_;
  std::unique_ptr<TallyStore> store_;
};

TEST_F(LegislativeTallyTest, AResultCountsInItsRegionsAndItsDapil) {
  ASSERT_TRUE(Set({AcehI("1101012001001"), AcehI("1101012002002")}).ok());
  absl::StatusOr<v1::TpsResult> stored =
      store_->GetResult(*RegionCode::Parse("1101012001001"), "pdpr");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->dapil(), "1101");
  EXPECT_THAT(stored->flags(), IsEmpty());

  const v1::Aggregate dapil = Dapil("pdpr", "1101");
  EXPECT_EQ(dapil.tps_with_result(), 2);
  EXPECT_EQ(dapil.sums().at("suara_caleg_100281"), 40);
  EXPECT_EQ(dapil.sums().at("suara_total_partai_1"), 70);
  EXPECT_EQ(dapil.sums().at("suara_partai_2"), 6);
  EXPECT_EQ(Dapil("pdpr", "1102").tps_with_result(), 0);
  absl::StatusOr<v1::Region> aceh =
      store_->GetRegion(*RegionCode::Parse("11"), "pdpr");
  ASSERT_TRUE(aceh.ok()) << aceh.status();
  EXPECT_EQ(aceh->aggregate().sums().at("suara_sah"), 100);
  // The presidential aggregate is another race's.
  EXPECT_TRUE(store_->GetRegion(*RegionCode::Parse("11"), "ppwp")
                  ->aggregate()
                  .sums()
                  .empty());
  EXPECT_TRUE(
      absl::IsNotFound(store_->GetDapilAggregate("pdpr", "9999").status()));
  ExpectVerified();
}

TEST_F(LegislativeTallyTest, ArithmeticIsCheckedPerPartyAndAcrossParties) {
  v1::TpsResult party = AcehI("1101012001001");
  (*party.mutable_values())["suara_total_partai_2"] = 11;  // 3 + 7 is 10
  (*party.mutable_values())["suara_sah"] = 51;             // so totals fit
  (*party.mutable_values())["suara_total"] = 53;
  v1::TpsResult across = AcehI("1101012001002");
  (*across.mutable_values())["suara_sah"] = 49;  // parties sum to 50
  (*across.mutable_values())["suara_total"] = 51;
  ASSERT_TRUE(Set({party, across}).ok());
  EXPECT_THAT(
      store_->GetResult(*RegionCode::Parse("1101012001001"), "pdpr")->flags(),
      ElementsAre("arithmetic:partai_2"));
  EXPECT_THAT(
      store_->GetResult(*RegionCode::Parse("1101012001002"), "pdpr")->flags(),
      ElementsAre("arithmetic:suara_sah"));
  EXPECT_EQ(Dapil("pdpr", "1101").tps_flagged(), 2);
  ExpectVerified();
}

TEST_F(LegislativeTallyTest, WhatIsNotOnTheBallotIsRefusedWholeBatch) {
  struct Case {
    std::string what;
    v1::TpsResult result;
    absl::StatusCode code;
    std::string message;
  };
  std::vector<Case> cases;
  {
    // A DKI candidate on an Aceh TPS.
    v1::TpsResult result = AcehI("1101012001003");
    (*result.mutable_values())["suara_caleg_300001"] = 1;
    cases.push_back({"other dapil's candidate", result,
                     absl::StatusCode::kInvalidArgument,
                     "\"suara_caleg_300001\" is not a field"});
  }
  {
    v1::TpsResult result = AcehI("1101012001003");
    (*result.mutable_values())["suara_partai_9"] = 1;
    cases.push_back({"unknown party", result,
                     absl::StatusCode::kInvalidArgument,
                     "\"suara_partai_9\" is not a field"});
  }
  {
    v1::TpsResult result = AcehI("1101012001003");
    result.mutable_values()->erase("suara_caleg_100282");
    cases.push_back({"missing candidate", result,
                     absl::StatusCode::kInvalidArgument,
                     "required field suara_caleg_100282 is missing"});
  }
  {
    // A DKI TPS: the ACEH I ballot does not fit it.
    cases.push_back({"another dapil's ballot", AcehI("3101011001002"),
                     absl::StatusCode::kInvalidArgument, "is not a field"});
  }
  {
    // ACEH II has a TPS but no candidate list yet.
    cases.push_back({"no ballot", AcehI("1101022001001"),
                     absl::StatusCode::kFailedPrecondition,
                     "has no candidate list yet"});
  }
  {
    v1::TpsResult result = AcehI("3101011001001");
    result.set_form_kind("pdprdp");  // DKI has no DPRD-provinsi dapil here
    cases.push_back({"no dapil", result, absl::StatusCode::kFailedPrecondition,
                     "belongs to no pdprdp dapil"});
  }
  for (const Case& c : cases) {
    // With a good result in the same batch: neither lands.
    absl::Status status = Set({AcehI("1101012001001"), c.result});
    EXPECT_EQ(status.code(), c.code) << c.what << ": " << status;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.what;
  }
  EXPECT_EQ(Dapil("pdpr", "1101").tps_with_result(), 0);
  EXPECT_EQ(store_->journal_sequence(), 0u);
  ExpectVerified();
}

TEST_F(LegislativeTallyTest, DpdHasCandidatesWithoutParties) {
  v1::TpsResult dpd = testing::AcehDpdResult("1101012002001", 30, 12);
  ASSERT_TRUE(Set({dpd}).ok());
  EXPECT_EQ(Dapil("pdpd", "11").sums().at("suara_caleg_500001"), 30);
  (*dpd.mutable_values())["suara_sah"] = 41;
  (*dpd.mutable_values())["suara_total"] = 42;
  ASSERT_TRUE(Set({dpd}).ok());
  EXPECT_THAT(
      store_->GetResult(*RegionCode::Parse("1101012002001"), "pdpd")->flags(),
      ElementsAre("arithmetic:suara_sah"));
  ExpectVerified();
}

TEST_F(LegislativeTallyTest, ATpsMovedToAnotherDapilTakesItsCountAlong) {
  // 1101012001001 in ACEH I; ACEH II gets the same ballot shape for this.
  ASSERT_TRUE(Set({AcehI("1101012001001")}).ok());
  ReferenceImporter importer(db_.get(), absl::FromUnixSeconds(1708000000));
  std::string aceh_i;
  for (const auto& [path, text] : testing::FixtureReferenceFiles()) {
    if (path == "pemilu/caleg/partai/1101.json") aceh_i = text;
  }
  // ACEH I's list moves to ACEH III with the kelurahan; ACEH I is emptied.
  importer.AddText("pemilu/caleg/partai/1101.json",
                   R"({"1": {"100999": {"nama": "BARU", "nomor_urut": 1}}})");
  importer.AddText("pemilu/caleg/partai/1103.json", aceh_i);
  importer.AddText("map/moved.csv",
                   "race,kode_dapil,wilayah\npdpr,1103,1101012001\n");
  absl::StatusOr<ReferenceReport> report = importer.Commit();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->HasErrors()) << report->ToString();

  // The stored result still counts in ACEH I until it is set again...
  EXPECT_EQ(Dapil("pdpr", "1101").tps_with_result(), 1);
  ExpectVerified();
  // ...then it moves: ACEH I gives it back, ACEH III counts it.
  ASSERT_TRUE(Set({AcehI("1101012001001")}).ok());
  EXPECT_EQ(Dapil("pdpr", "1101").tps_with_result(), 0);
  EXPECT_TRUE(Dapil("pdpr", "1101").sums().empty());
  EXPECT_EQ(Dapil("pdpr", "1103").tps_with_result(), 1);
  EXPECT_EQ(Dapil("pdpr", "1103").sums().at("suara_caleg_100281"), 20);
  ExpectVerified();
}

TEST_F(LegislativeTallyTest, ADapilCountsTheTpsTheMapPutsInIt) {
  // ACEH I is province 11 less kecamatan 110102 (ACEH II): 8 - 3 TPS.
  const std::map<std::pair<std::string, std::string>, int64_t> expected = {
      {{"pdpr", "1101"}, 5}, {{"pdpr", "1102"}, 3},     {{"pdpr", "1103"}, 0},
      {{"pdpr", "3101"}, 4}, {{"pdprdp", "110001"}, 8}, {{"pdpd", "11"}, 8}};
  for (const auto& [dapil, tps] : expected) {
    absl::StatusOr<v1::Dapil> got = store_->GetDapil(dapil.first, dapil.second);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->aggregate().tps_total(), tps) << dapil.second;
  }
  absl::StatusOr<v1::Dapil> aceh_i = store_->GetDapil("pdpr", "1101");
  ASSERT_EQ(aceh_i->regions_size(), 1);
  EXPECT_EQ(aceh_i->regions(0).code(), "11");
  EXPECT_EQ(aceh_i->regions(0).name(), "ACEH");
  EXPECT_EQ(store_->GetDapil("pdpd", "11")->regions(0).name(), "ACEH");

  // One TPS mapped on its own, deeper than its province and kecamatan.
  ReferenceImporter importer(db_.get(), absl::FromUnixSeconds(1708000000));
  importer.AddText("map/tps.csv",
                   "race,kode_dapil,wilayah\npdpr,1103,1101012001003\n");
  absl::StatusOr<ReferenceReport> report = importer.Commit();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->HasErrors()) << report->ToString();
  EXPECT_THAT(report->dapil_without_tps, IsEmpty());
  EXPECT_EQ(store_->GetDapil("pdpr", "1101")->aggregate().tps_total(), 4);
  absl::StatusOr<v1::Dapil> aceh_iii = store_->GetDapil("pdpr", "1103");
  EXPECT_EQ(aceh_iii->aggregate().tps_total(), 1);
  ASSERT_EQ(aceh_iii->regions_size(), 1);
  EXPECT_EQ(aceh_iii->regions(0).name(), "TPS 003");

  // The dapil a region lies in, paged like every listing.
  auto codes = [&](const std::string& race, const std::string& region) {
    std::vector<std::string> listed;
    absl::StatusOr<Page<v1::Dapil>> page =
        store_->ListDapil(race, *RegionCode::Parse(region), 0, "");
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const v1::Dapil& dapil : page->items) listed.push_back(dapil.code());
    }
    return listed;
  };
  EXPECT_THAT(codes("pdpr", ""), ElementsAre("1101", "1102", "1103", "3101"));
  EXPECT_THAT(codes("pdpr", "11"), ElementsAre("1101", "1102", "1103"));
  EXPECT_THAT(codes("pdpr", "1101012001"), ElementsAre("1101", "1103"));
  EXPECT_THAT(codes("pdpr", "110102"), ElementsAre("1102"));
  EXPECT_THAT(codes("pdpr", "1101012001003"), ElementsAre("1103"));
  EXPECT_THAT(codes("pdprdp", "31"), IsEmpty());
  EXPECT_THAT(codes("pdpd", "1101022001"), ElementsAre("11"));
  EXPECT_TRUE(absl::IsNotFound(
      store_->ListDapil("pdpr", *RegionCode::Parse("99"), 0, "").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      store_->ListDapil("ppwp", RegionCode(), 0, "").status()));
}

}  // namespace
}  // namespace c1tally
