// RecountRegions on its own, against a real RocksDB directory holding a
// tree written by hand with wrong counts: the counts it sets, the regions
// it rewrites, and the notes on the touched kelurahan.
#include "storage/region_counts.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "storage/region_code.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

namespace problem = import_problem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Kelurahan and their TPS numbers.
//   1101012001: 001 002 004 (a gap)
//   1101012002: none
//   1101012003: 001 002 901 (9xx is no gap at home)
//   9901011001: 001 901     (abroad it is)
constexpr const char* kRegions[] = {
    "11",         "1101", "110101", "1101012001", "1101012002",
    "1101012003", "99",   "9901",   "990101",     "9901011001"};
constexpr const char* kTps[] = {
    "1101012001001", "1101012001002", "1101012001004", "1101012003001",
    "1101012003002", "1101012003901", "9901011001001", "9901011001901"};
const std::vector<std::string> kAllKelurahan = {"1101012001", "1101012002",
                                                "1101012003", "9901011001"};

class RegionCountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    ASSERT_NE(db_, nullptr);
    rocksdb::WriteBatch batch;
    v1::Region nation;
    nation.set_name("Indonesia");
    nation.set_level(v1::REGION_LEVEL_NATIONAL);
    Put(&batch, Family::kRegions, "", nation.SerializeAsString());
    for (const char* text : kRegions) {
      const RegionCode code = *RegionCode::Parse(text);
      v1::Region region;
      region.set_code(code.str());
      region.set_name(absl::StrCat("REGION ", code.str()));
      region.set_level(code.level());
      region.set_parent(code.parent().str());
      // Wrong, as after an import cut short.
      if (code.str() == "11") region.set_child_count(9);
      Put(&batch, Family::kRegions, code.str(), region.SerializeAsString());
      Put(&batch, Family::kChildren,
          keys::Child(code.parent().str(), code.str()), "");
    }
    for (const char* text : kTps) {
      const RegionCode code = *RegionCode::Parse(text);
      v1::Tps tps;
      tps.set_code(code.str());
      tps.set_parent(code.parent().str());
      Put(&batch, Family::kTps, code.str(), tps.SerializeAsString());
      Put(&batch, Family::kChildren,
          keys::Child(code.parent().str(), code.str()), "");
    }
    ASSERT_TRUE(db_->Write(&batch).ok());
  }

  void Put(rocksdb::WriteBatch* batch, Family family, const std::string& key,
           const std::string& value) {
    ASSERT_TRUE(batch->Put(db_->handle(family), key, value).ok());
  }

  v1::Region Region(const std::string& code) {
    std::string value;
    v1::Region region;
    EXPECT_TRUE(db_->Get(Family::kRegions, code, &value, "region").ok())
        << code;
    EXPECT_TRUE(region.ParseFromString(value)) << code;
    return region;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(RegionCountsTest, SetsEveryRegionsCountsFromTheStoredTree) {
  ImportReport report;
  ASSERT_TRUE(RecountRegions(db_.get(), kAllKelurahan, &report).ok());
  EXPECT_EQ(Region("").child_count(), 2);
  EXPECT_EQ(Region("").tps_count(), 8);
  EXPECT_EQ(Region("11").child_count(), 1);
  EXPECT_EQ(Region("11").tps_count(), 6);
  EXPECT_EQ(Region("110101").child_count(), 3);
  EXPECT_EQ(Region("110101").tps_count(), 6);
  // A kelurahan's children are its TPS.
  EXPECT_EQ(Region("1101012001").child_count(), 3);
  EXPECT_EQ(Region("1101012001").tps_count(), 3);
  EXPECT_EQ(Region("1101012002").child_count(), 0);
  EXPECT_EQ(Region("1101012002").tps_count(), 0);
  EXPECT_EQ(Region("9901").tps_count(), 2);
  // Every region but 1101012002, whose stored zeros were right.
  EXPECT_EQ(report.counts_updated, 10);
  // Names and the rest stay as they were.
  EXPECT_EQ(Region("110101").name(), "REGION 110101");
  EXPECT_EQ(Region("110101").parent(), "1101");

  ImportReport again;
  ASSERT_TRUE(RecountRegions(db_.get(), {}, &again).ok());
  EXPECT_EQ(again.counts_updated, 0);
  EXPECT_EQ(Region("").tps_count(), 8);
}

TEST_F(RegionCountsTest, NotesTheTouchedKelurahan) {
  ImportReport report;
  ASSERT_TRUE(RecountRegions(db_.get(), kAllKelurahan, &report).ok());
  EXPECT_THAT(report.Samples(problem::kKelurahanWithoutTps),
              ElementsAre("1101012002: REGION 1101012002"));
  EXPECT_THAT(report.Samples(problem::kTpsNumberingGaps),
              ElementsAre("1101012001: 3 regular TPS numbered up to 4",
                          "9901011001: 2 regular TPS numbered up to 901"));
  EXPECT_EQ(report.ErrorCount(), 0);

  // Only the touched ones.
  ImportReport some;
  ASSERT_TRUE(
      RecountRegions(db_.get(), {"1101012003", "9901011001"}, &some).ok());
  EXPECT_EQ(some.Count(problem::kKelurahanWithoutTps), 0);
  EXPECT_THAT(some.Samples(problem::kTpsNumberingGaps),
              ElementsAre(HasSubstr("9901011001")));
  ImportReport none;
  ASSERT_TRUE(RecountRegions(db_.get(), {}, &none).ok());
  EXPECT_THAT(none.problems, IsEmpty());
}

TEST_F(RegionCountsTest, UnreadableRegionIsDataLoss) {
  rocksdb::WriteBatch batch;
  Put(&batch, Family::kRegions, "12", "\xff not a region");
  ASSERT_TRUE(db_->Write(&batch).ok());
  ImportReport report;
  absl::Status recount = RecountRegions(db_.get(), kAllKelurahan, &report);
  EXPECT_TRUE(absl::IsDataLoss(recount)) << recount;
  EXPECT_THAT(std::string(recount.message()), HasSubstr("\"12\""));
}

}  // namespace
}  // namespace c1tally
