// ForEachTpsOfBothSources on a real RocksDB: both sources in one code
// order, each TPS once with whatever sides it has, only below the region,
// and visit errors passed on.
#include <string>
#include <vector>

#include "audit/sirekap_importer.h"
#include "audit/tps_sources.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sample_results.h"
#include "storage/tally_store.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;

class TpsSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    kinds_ = *FormKinds::Builtin();
    store_ = *TallyStore::Open(db_.get(), &kinds_);
    sirekap_ = std::make_unique<SirekapStore>(db_.get());
    // Ours on 001 and 003, Sirekap on 002 and 003.
    ASSERT_TRUE(store_
                    ->SetResults({PpwpResult("1101012001001", 1, 2, 3, 0),
                                  PpwpResult("1101012001003", 10, 20, 30, 1)})
                    .ok());
    SirekapImporter importer(sirekap_.get(), absl::FromUnixSeconds(1708074000),
                             "ppwp");
    for (const char* code : {"1101012001002", "1101012001003"}) {
      ASSERT_TRUE(
          importer
              .AddText(std::string(code) + ".json",
                       R"({"chart":{"100025":5,"100026":5,"100027":5}})")
              .ok());
    }
    ASSERT_TRUE(importer.Finish().ok());
  }

  // "code:ours+sirekap" per visit, e.g. "1101012001003:OS".
  std::vector<std::string> Walk(const std::string& region) {
    std::vector<std::string> seen;
    absl::Status walked = ForEachTpsOfBothSources(
        db_.get(), *sirekap_, "ppwp", "ppwp", *RegionCode::Parse(region),
        [&](const std::string& code, const v1::TpsResult* ours,
            const v1::SirekapRecord* sirekap) {
          std::string sides;
          if (ours != nullptr) {
            EXPECT_EQ(ours->tps_code(), code);
            sides += "O";
          }
          if (sirekap != nullptr) {
            EXPECT_EQ(sirekap->code(), code);
            sides += "S";
          }
          seen.push_back(code + ":" + sides);
          return absl::OkStatus();
        });
    EXPECT_TRUE(walked.ok()) << walked;
    return seen;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  FormKinds kinds_;
  std::unique_ptr<TallyStore> store_;
  std::unique_ptr<SirekapStore> sirekap_;
};

TEST_F(TpsSourcesTest, VisitsEachTpsOnceInCodeOrderWithItsSides) {
  EXPECT_THAT(Walk(""), ElementsAre("1101012001001:O", "1101012001002:S",
                                    "1101012001003:OS"));
  EXPECT_THAT(Walk("1101012001003"), ElementsAre("1101012001003:OS"));
  EXPECT_THAT(Walk("1101012001002"), ElementsAre("1101012001002:S"));
  EXPECT_THAT(Walk("31"), ElementsAre());
}

TEST_F(TpsSourcesTest, StopsAtTheFirstErrorOfTheVisit) {
  int visits = 0;
  absl::Status walked = ForEachTpsOfBothSources(
      db_.get(), *sirekap_, "ppwp", "ppwp", RegionCode(),
      [&](const std::string&, const v1::TpsResult*, const v1::SirekapRecord*) {
        ++visits;
        return absl::CancelledError("enough");
      });
  EXPECT_EQ(walked.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(visits, 1);
}

}  // namespace
}  // namespace c1tally
