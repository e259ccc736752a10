// Sirekap's legislative records imported into a real RocksDB: each race
// with its null variants, region and dapil aggregates (a dapil and a
// kabupaten with the same code kept apart), history across fetch times,
// and a malformed file refused while the others import.
#include "absl/strings/str_cat.h"
#include "audit/sirekap_importer.h"
#include "audit/sirekap_record.h"
#include "audit/sirekap_store.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/sirekap_legislative_fixtures.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

const absl::Time kFirstFetch = absl::FromUnixSeconds(1708074000);  // 16 Feb
const absl::Time kSecondFetch = kFirstFetch + absl::Hours(24);
const absl::Time kThirdFetch = kSecondFetch + absl::Hours(24);

class SirekapLegislativeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    store_ = std::make_unique<SirekapStore>(db_.get());
  }

  SirekapImportReport Import(
      absl::Time fetch_time,
      const std::vector<std::pair<std::string, std::string>>& files) {
    return testing::ImportSirekapTexts(store_.get(), fetch_time, files);
  }

  v1::SirekapRecord Latest(const std::string& race, const std::string& code) {
    absl::StatusOr<v1::SirekapRecord> record =
        store_->Latest(race, *RegionCode::Parse(code));
    EXPECT_TRUE(record.ok()) << race << "/" << code << ": " << record.status();
    return record.value_or(v1::SirekapRecord());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SirekapStore> store_;
};

TEST_F(SirekapLegislativeStoreTest, EachRaceIsImportedUnderItsOwnName) {
  Json null_chart = testing::AcehIDprRecord();
  null_chart["chart"] = nullptr;
  Json null_caleg = testing::AcehIDprRecord();
  null_caleg["caleg"] = nullptr;
  null_caleg["chart"]["24"] = nullptr;
  const std::string tps = "1101012001001";
  const SirekapImportReport report = Import(
      kFirstFetch,
      {{testing::SirekapTpsPath("pdpr", tps), testing::AcehIDprRecord().dump()},
       {testing::SirekapTpsPath("pdprdp", tps), null_chart.dump()},
       {testing::SirekapTpsPath("pdprdk", tps), null_caleg.dump()},
       {testing::SirekapTpsPath("pdpd", tps), testing::AcehDpdRecord().dump()},
       {testing::SirekapTpsPath("pdpr", "1101012001002"),
        R"({"chart":null,"caleg":null})"}});
  EXPECT_EQ(report.imported, 5) << report.ToString();
  EXPECT_THAT(report.rejected, IsEmpty());
  EXPECT_EQ(report.not_in_tree, 0);

  const v1::SirekapRecord dpr = Latest("pdpr", tps);
  EXPECT_EQ(dpr.parties().at(1).candidates().at("100281"), 20);
  EXPECT_EQ(dpr.kode_dapil(), "1101");
  EXPECT_TRUE(dpr.raw_json().empty());  // only history keeps the JSON
  // Each null variant is stored as not published.
  const v1::SirekapRecord provinsi = Latest("pdprdp", tps);
  EXPECT_FALSE(provinsi.parties().at(1).has_total());
  EXPECT_EQ(provinsi.parties().at(1).candidates().at("100282"), 5);
  const v1::SirekapRecord kabupaten = Latest("pdprdk", tps);
  EXPECT_THAT(kabupaten.parties().at(2).candidates(), IsEmpty());
  EXPECT_FALSE(kabupaten.parties().at(24).has_total());
  EXPECT_EQ(kabupaten.parties().at(2).total(), 10);
  EXPECT_EQ(Latest("pdpd", tps).chart().at("500001"), 30);
  EXPECT_EQ(StateOf(Latest("pdpr", "1101012001002")), SirekapState::kEmpty);
  // No presidential record was imported.
  EXPECT_TRUE(absl::IsNotFound(
      store_->Latest("ppwp", *RegionCode::Parse(tps)).status()));

  // The per-TPS listing of a race holds its TPS only.
  std::vector<std::string> listed;
  ASSERT_TRUE(store_
                  ->ForEachLatestTps("pdpr", RegionCode(),
                                     [&](const v1::SirekapRecord& record) {
                                       listed.push_back(record.code());
                                       return absl::OkStatus();
                                     })
                  .ok());
  EXPECT_THAT(listed, ElementsAre("1101012001001", "1101012001002"));
}

TEST_F(SirekapLegislativeStoreTest, RegionAndDapilAggregatesAreKeptApart) {
  // Kabupaten 1101 and DPR dapil 1101 share a code; they are two records.
  const std::string region = R"({"ts":"2024-02-17 10:00:00",
      "chart":{"1":35,"2":10,"24":5,"persen":1.5},
      "table":{"110101":{"1":35,"2":10,"24":5,"persen":3.0}},
      "progres":{"total":8,"progres":1}})";
  const SirekapImportReport report = Import(
      kFirstFetch,
      {{"pemilu/hhcw/pdpr/1101.json", region},
       {"pemilu/hhcd/pdpr/1101.json", testing::AcehIDapilAggregate().dump()},
       {"pemilu/hhcd/pdprdp/110001.json",
        testing::AcehIDapilAggregate().dump()},
       {"pemilu/hhcw/pdpr/11.json", region}});  // table rows not children
  EXPECT_EQ(report.imported, 3) << report.ToString();
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].first, "pemilu/hhcw/pdpr/11.json");
  EXPECT_THAT(report.rejected[0].second, HasSubstr("not a child of \"11\""));
  EXPECT_EQ(report.not_in_tree, 0);  // a dapil is no region

  const v1::SirekapRecord kabupaten = Latest("pdpr", "1101");
  EXPECT_FALSE(kabupaten.dapil_aggregate());
  EXPECT_EQ(kabupaten.chart().at("1"), 35);
  absl::StatusOr<v1::SirekapRecord> dapil =
      store_->LatestOfDapil("pdpr", "1101");
  ASSERT_TRUE(dapil.ok()) << dapil.status();
  EXPECT_TRUE(dapil->dapil_aggregate());
  EXPECT_EQ(dapil->parties().at(1).total(), 3500);
  EXPECT_EQ(dapil->progress_done(), 80);
  EXPECT_TRUE(store_->LatestOfDapil("pdprdp", "110001").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->LatestOfDapil("pdpr", "3101").status()));
}

TEST_F(SirekapLegislativeStoreTest, HistoryPerFetchTime) {
  const std::string path = testing::SirekapTpsPath("pdpr", "1101012002001");
  const std::string dapil_path = "pemilu/hhcd/pdpr/1101.json";
  Import(kFirstFetch, {{path, testing::AcehIDprRecord().dump()},
                       {dapil_path, testing::AcehIDapilAggregate().dump()}});
  // A day later 5 votes of 100282 show under 100281 (a move within the
  // party), and the dapil's count has grown.
  Json moved = testing::AcehIDprRecord();
  moved["caleg"]["1"]["100281"] = 25;
  moved["caleg"]["1"]["100282"] = 0;
  Json grown = testing::AcehIDapilAggregate();
  grown["table"]["1"]["100281"] = 2100;
  grown["progres"]["progres"] = 90;
  const SirekapImportReport second =
      Import(kSecondFetch, {{path, moved.dump()}, {dapil_path, grown.dump()}});
  EXPECT_EQ(second.imported, 2);
  // The same again: nothing new.
  const SirekapImportReport third =
      Import(kThirdFetch, {{path, moved.dump()}, {dapil_path, grown.dump()}});
  EXPECT_EQ(third.imported, 0);
  EXPECT_EQ(third.unchanged, 2);

  absl::StatusOr<Page<v1::SirekapRecord>> history =
      store_->History("pdpr", *RegionCode::Parse("1101012002001"), 0, "");
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->items.size(), 2u);
  EXPECT_EQ(history->items[0].parties().at(1).candidates().at("100281"), 25);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(history->items[0].fetch_time()),
            absl::ToUnixSeconds(kSecondFetch));
  EXPECT_EQ(history->items[1].parties().at(1).candidates().at("100282"), 5);
  EXPECT_THAT(history->items[1].raw_json(), HasSubstr("\"100282\":5"));

  absl::StatusOr<Page<v1::SirekapRecord>> dapil =
      store_->DapilHistory("pdpr", "1101", 1, "");
  ASSERT_TRUE(dapil.ok()) << dapil.status();
  ASSERT_EQ(dapil->items.size(), 1u);
  EXPECT_EQ(dapil->items[0].progress_done(), 90);
  absl::StatusOr<Page<v1::SirekapRecord>> older =
      store_->DapilHistory("pdpr", "1101", 1, dapil->next_page_token);
  ASSERT_TRUE(older.ok()) << older.status();
  ASSERT_EQ(older->items.size(), 1u);
  EXPECT_EQ(older->items[0].parties().at(1).candidates().at("100281"), 2000);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(older->items[0].fetch_time()),
            absl::ToUnixSeconds(kFirstFetch));
  // The region of the same code has no history.
  EXPECT_THAT(store_->History("pdpr", *RegionCode::Parse("1101"), 0, "")->items,
              IsEmpty());
}

TEST_F(SirekapLegislativeStoreTest, MalformedFilesAreRefusedTheRestImported) {
  Json bad_party = testing::AcehIDprRecord();
  bad_party["chart"]["x1"] = nullptr;
  Json too_many = testing::AcehIDprRecord();
  too_many["chart"]["1"]["jml_suara_total"] = 1350;
  const SirekapImportReport report = Import(
      kFirstFetch,
      {{testing::SirekapTpsPath("pdpr", "1101012001001"),
        testing::AcehIDprRecord().dump()},
       {testing::SirekapTpsPath("pdpr", "1101012001002"), bad_party.dump()},
       {testing::SirekapTpsPath("pdpr", "1101012001003"),
        R"({"chart":{"1":{"jml_suara)"},
       {testing::SirekapTpsPath("pdpr", "1101012002001"), too_many.dump()},
       {testing::SirekapTpsPath("pdpd", "1101012002002"),
        testing::AcehDpdRecord().dump()}});
  EXPECT_EQ(report.files, 5);
  EXPECT_EQ(report.imported, 2);
  ASSERT_EQ(report.rejected.size(), 3u) << report.ToString();
  EXPECT_THAT(report.rejected[0].second,
              HasSubstr("\"x1\", which is no party"));
  EXPECT_THAT(report.rejected[1].second, HasSubstr("malformed JSON"));
  EXPECT_THAT(report.rejected[2].second,
              HasSubstr("chart[\"1\"][\"jml_suara_total\"] is 1350"));
  // Nothing of a refused file is written.
  for (const char* tps : {"1101012001002", "1101012001003", "1101012002001"}) {
    EXPECT_TRUE(absl::IsNotFound(
        store_->Latest("pdpr", *RegionCode::Parse(tps)).status()))
        << tps;
    EXPECT_THAT(store_->History("pdpr", *RegionCode::Parse(tps), 0, "")->items,
                IsEmpty());
  }
  EXPECT_EQ(Latest("pdpr", "1101012001001").parties().size(), 3u);
  EXPECT_EQ(Latest("pdpd", "1101012002002").chart().size(), 2u);
}

}  // namespace
}  // namespace c1tally
