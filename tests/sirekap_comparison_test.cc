// CompareWithSirekap on a real RocksDB: the merge of both sources in code
// order, one-sided TPS, and the rollup below a kelurahan.
#include "audit/sirekap_comparison.h"

#include "audit/sirekap_importer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sample_results.h"
#include "storage/tally_store.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

class SirekapComparisonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    kinds_ = *FormKinds::Builtin();
    store_ = *TallyStore::Open(db_.get(), &kinds_);
    sirekap_ = std::make_unique<SirekapStore>(db_.get());
  }

  void ImportSirekap(
      const std::vector<std::pair<std::string, std::string>>& files) {
    SirekapImporter importer(sirekap_.get(), absl::FromUnixSeconds(1708074000),
                             "ppwp");
    for (const auto& [code, json] : files) {
      ASSERT_TRUE(importer.AddText(code + ".json", json).ok());
    }
    ASSERT_TRUE(importer.Finish().ok());
  }

  SirekapComparison Compare(const std::string& region) {
    absl::StatusOr<SirekapComparison> comparison =
        CompareWithSirekap(db_.get(), *sirekap_, **kinds_.Find("ppwp"),
                           *RegionCode::Parse(region));
    EXPECT_TRUE(comparison.ok()) << comparison.status();
    return comparison.value_or(SirekapComparison());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  FormKinds kinds_;
  std::unique_ptr<TallyStore> store_;
  std::unique_ptr<SirekapStore> sirekap_;
};

TEST_F(SirekapComparisonTest, MergesBothSourcesInCodeOrder) {
  // Ours on 001 and 003, Sirekap on 002 and 003 (and an empty record on
  // 004, which counts as nothing).
  ASSERT_TRUE(store_
                  ->SetResults({PpwpResult("1101012001001", 1, 2, 3, 0),
                                PpwpResult("1101012001003", 10, 20, 30, 1)})
                  .ok());
  ImportSirekap(
      {{"1101012001002", R"({"chart":{"100025":5,"100026":5,"100027":5}})"},
       {"1101012001003", R"({"chart":{"100025":12,"100026":20,"100027":29},
           "administrasi":{"suara_sah":61,"suara_tidak_sah":1,
                           "suara_total":62}})"},
       {"3101011001004", R"({"chart":null,"administrasi":null})"}});
  SirekapComparison all = Compare("");
  EXPECT_EQ(all.tps_seen, 3);
  // 003: |12 - 10| + |29 - 30| = 3; suara_sah 61 vs 60 and suara_total 62
  // vs 61 differ too but are not candidate votes.
  ASSERT_EQ(all.tps.size(), 3u);
  EXPECT_EQ(all.tps[0].tps_code, "1101012001003");
  EXPECT_EQ(all.tps[0].size, 3);
  EXPECT_EQ(all.tps[0].fields, 4);
  EXPECT_EQ(all.tps[1].tps_code, "1101012001001");  // 6 fields only ours
  EXPECT_EQ(all.tps[1].fields, 6);
  EXPECT_EQ(all.tps[2].tps_code, "1101012001002");  // 3 only Sirekap
  EXPECT_EQ(all.tps[2].fields, 3);
  EXPECT_EQ(all.total.tps_compared(), 1);
  EXPECT_EQ(all.total.tps_only_ours(), 1);
  EXPECT_EQ(all.total.tps_only_sirekap(), 1);
  EXPECT_EQ(all.total.net_difference().at("suara_paslon_1"), 2);
  EXPECT_EQ(all.total.net_difference().at("suara_paslon_3"), -1);
  EXPECT_EQ(all.total.net_difference().at("suara_sah"), 1);

  // Below the kelurahan the children are its TPS.
  SirekapComparison kelurahan = Compare("1101012001");
  ASSERT_EQ(kelurahan.children.size(), 3u);
  EXPECT_EQ(kelurahan.children[0].code(), "1101012001003");
  // Province 31 has only the empty record.
  EXPECT_EQ(Compare("31").tps_seen, 0);

  // One TPS in full, as a page shows it: the same fields and size.
  absl::StatusOr<v1::TpsDiscrepancy> described =
      DescribeTpsDiscrepancy(db_.get(), *sirekap_, **kinds_.Find("ppwp"),
                             *RegionCode::Parse("1101012001003"));
  ASSERT_TRUE(described.ok()) << described.status();
  EXPECT_EQ(described->size(), 3);
  ASSERT_EQ(described->fields_size(), 4);
  EXPECT_EQ(described->fields(0).field(), "suara_paslon_1");
  EXPECT_EQ(described->fields(0).ours(), 10);
  EXPECT_EQ(described->fields(0).sirekap(), 12);
  EXPECT_EQ(described->sirekap_fetch_time().seconds(), 1708074000);
  // A TPS neither source has: nothing to say.
  absl::StatusOr<v1::TpsDiscrepancy> nothing =
      DescribeTpsDiscrepancy(db_.get(), *sirekap_, **kinds_.Find("ppwp"),
                             *RegionCode::Parse("1101022001901"));
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->fields_size(), 0);
}

TEST_F(SirekapComparisonTest, FormKindWithoutSirekapRace) {
  v1::FormKind dpr;
  dpr.set_name("dpr");
  EXPECT_TRUE(absl::IsInvalidArgument(
      CompareWithSirekap(db_.get(), *sirekap_, dpr, RegionCode()).status()));
}

}  // namespace
}  // namespace c1tally
