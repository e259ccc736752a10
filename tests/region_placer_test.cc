// RegionPlacer on its own, against a real RocksDB directory: records
// placed under their parents, orphans left out, conflicts between records
// of one code, unchanged and updated records on a second placement, the
// notes on special and overseas TPS, and an unreadable stored record.
#include "storage/region_placer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "storage/keys.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

namespace problem = import_problem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

SourceRecord Record(const std::string& code, const std::string& name,
                    int64_t kpu_id = 0) {
  SourceRecord record;
  record.code = code;
  record.name = name;
  record.kpu_id = kpu_id;
  return record;
}

SourceRecord Reference(const std::string& kelurahan, const std::string& name) {
  SourceRecord record = Record(kelurahan, name);
  record.reference_only = true;
  return record;
}

// The tree 11 > 1101 > 110101 > 1101012001 > two TPS.
std::vector<SourceRecord> Aceh() {
  return {Record("11", "ACEH", 1),
          Record("1101", "ACEH SELATAN", 2),
          Record("110101", "BAKONGAN", 3),
          Record("1101012001", "KEUDE BAKONGAN", 4),
          Record("1101012001001", "TPS 001"),
          Record("1101012001002", "TPS 002")};
}

class RegionPlacerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    ASSERT_NE(db_, nullptr);
  }

  // Admits `records` as lines 1.. of "test.csv" and places them.
  ImportReport Place(const std::vector<SourceRecord>& records) {
    SourceRecords source;
    source.AddName("test.csv", /*json=*/false);
    uint32_t line = 0;
    for (SourceRecord record : records) {
      record.position = ++line;
      source.Admit(std::move(record));
    }
    EXPECT_THAT(source.report.problems, IsEmpty());
    ImportReport report;
    RegionPlacer placer(db_.get(), &source, &report);
    absl::Status placed = placer.Place();
    EXPECT_TRUE(placed.ok()) << placed;
    touched_ = placer.touched_kelurahan();
    return report;
  }

  // The stored record of `code` in `family`.
  template <typename Message>
  absl::StatusOr<Message> Stored(Family family, const std::string& code) {
    std::string value;
    absl::Status read = db_->Get(family, code, &value, "record");
    if (!read.ok()) return read;
    Message message;
    if (!message.ParseFromString(value)) return absl::DataLossError(code);
    return message;
  }
  absl::StatusOr<v1::Region> Region(const std::string& code) {
    return Stored<v1::Region>(Family::kRegions, code);
  }
  absl::StatusOr<v1::Tps> Tps(const std::string& code) {
    return Stored<v1::Tps>(Family::kTps, code);
  }

  bool IsChild(const std::string& parent, const std::string& child) {
    std::string ignored;
    return db_
        ->Get(Family::kChildren, keys::Child(parent, child), &ignored, "child")
        .ok();
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::vector<std::string> touched_;
};

TEST_F(RegionPlacerTest, PlacesNewRecordsUnderTheirParents) {
  // Added children first: the placer sorts.
  std::vector<SourceRecord> records = Aceh();
  std::reverse(records.begin(), records.end());
  records.push_back(Record("1101012001901", "TPS 901"));
  const ImportReport report = Place(records);
  EXPECT_EQ(report.ErrorCount(), 0) << report.ToString();
  EXPECT_EQ(report.at(v1::REGION_LEVEL_PROVINCE).added, 1);
  EXPECT_EQ(report.at(v1::REGION_LEVEL_KABUPATEN).added, 1);
  EXPECT_EQ(report.at(v1::REGION_LEVEL_KECAMATAN).added, 1);
  EXPECT_EQ(report.at(v1::REGION_LEVEL_KELURAHAN).added, 1);
  EXPECT_EQ(report.at(v1::REGION_LEVEL_TPS).added, 3);
  // The nation is not the placer's to write.
  EXPECT_EQ(report.at(v1::REGION_LEVEL_NATIONAL).added, 0);
  EXPECT_TRUE(absl::IsNotFound(Region("").status()));

  absl::StatusOr<v1::Region> kelurahan = Region("1101012001");
  ASSERT_TRUE(kelurahan.ok()) << kelurahan.status();
  EXPECT_EQ(kelurahan->code(), "1101012001");
  EXPECT_EQ(kelurahan->name(), "KEUDE BAKONGAN");
  EXPECT_EQ(kelurahan->kpu_id(), 4);
  EXPECT_EQ(kelurahan->level(), v1::REGION_LEVEL_KELURAHAN);
  EXPECT_EQ(kelurahan->parent(), "110101");
  // Counts are recomputed elsewhere (storage/region_counts.h).
  EXPECT_EQ(kelurahan->tps_count(), 0);
  EXPECT_EQ(Region("11")->parent(), "");
  EXPECT_TRUE(IsChild("", "11"));
  EXPECT_TRUE(IsChild("110101", "1101012001"));
  EXPECT_TRUE(IsChild("1101012001", "1101012001002"));

  absl::StatusOr<v1::Tps> tps = Tps("1101012001001");
  ASSERT_TRUE(tps.ok()) << tps.status();
  EXPECT_EQ(tps->name(), "TPS 001");
  EXPECT_EQ(tps->parent(), "1101012001");
  EXPECT_EQ(tps->kind(), v1::TPS_KIND_REGULAR);
  EXPECT_EQ(Tps("1101012001901")->kind(), v1::TPS_KIND_SPECIAL_LOCATION);
  EXPECT_EQ(report.Count(problem::kSpecialTps), 1);
  EXPECT_EQ(report.Count(problem::kOverseas), 0);
  EXPECT_THAT(touched_, ElementsAre("1101012001"));
}

TEST_F(RegionPlacerTest, OrphansAreLeftOutWithTheirDescendants) {
  const ImportReport report =
      Place({Record("11", "ACEH"), Record("110101", "BAKONGAN"),
             Record("1101012001", "KEUDE BAKONGAN"),
             Record("1101012001001", "TPS 001"), Record("12", "SUMUT")});
  EXPECT_EQ(report.Count(problem::kOrphan), 3) << report.ToString();
  EXPECT_THAT(
      report.Samples(problem::kOrphan),
      ElementsAre("110101: parent 1101 is neither in the database nor in "
                  "this import (test.csv:2)",
                  "1101012001: parent 110101 is an orphan too (test.csv:3)",
                  "1101012001001: parent 1101012001 is an orphan too "
                  "(test.csv:4)"));
  EXPECT_TRUE(absl::IsNotFound(Region("110101").status()));
  EXPECT_TRUE(absl::IsNotFound(Region("1101012001").status()));
  EXPECT_TRUE(absl::IsNotFound(Tps("1101012001001").status()));
  EXPECT_FALSE(IsChild("1101", "110101"));
  EXPECT_TRUE(Region("12").ok());
  EXPECT_EQ(report.at(v1::REGION_LEVEL_PROVINCE).added, 2);
  EXPECT_EQ(report.at(v1::REGION_LEVEL_KECAMATAN).added, 0);
  EXPECT_THAT(touched_, IsEmpty());

  // A parent stored by an earlier placement is known.
  Place({Record("1101", "ACEH SELATAN")});
  const ImportReport later = Place({Record("110101", "BAKONGAN")});
  EXPECT_EQ(later.ErrorCount(), 0) << later.ToString();
  EXPECT_EQ(later.at(v1::REGION_LEVEL_KECAMATAN).added, 1);
  EXPECT_TRUE(IsChild("1101", "110101"));
}

TEST_F(RegionPlacerTest, ConflictsKeepTheFirstRecordOfACode) {
  const ImportReport report = Place({
      Record("11", "ACEH", 1),
      Record("1101", "ACEH SELATAN", 2),
      Record("1101", "ACEH UTARA", 2),
      Record("110101", "BAKONGAN"),
      Record("110101", "BAKONGAN", 33),
      Record("110101", "BAKONGAN", 34),
      Record("1101012001", "KEUDE BAKONGAN", 4),
      Reference("1101012001", "KEUDE BAKONGAN BARU"),
      Reference("1101012001", "KEUDE BAKONGAN"),
      Record("1101012001001", "TPS 001"),
      // A kelurahan named only by the TPS CSV is not defined by it.
      Reference("1101012002", "UJONG MANGKI"),
      Record("1101012002001", "TPS 001"),
  });
  EXPECT_EQ(report.Count(problem::kNameConflict), 3) << report.ToString();
  EXPECT_THAT(
      report.Samples(problem::kNameConflict),
      ElementsAre("test.csv:3: 1101 is named \"ACEH UTARA\" here but \"ACEH "
                  "SELATAN\" in test.csv:2, which is kept",
                  "test.csv:6: 110101 has kpu_id 34 here but 33 in "
                  "test.csv:4, which is kept",
                  "test.csv:8: 1101012001 is named \"KEUDE BAKONGAN BARU\" "
                  "here but \"KEUDE BAKONGAN\" in test.csv:7, which is kept"));
  EXPECT_EQ(Region("1101")->name(), "ACEH SELATAN");
  // The first KPU id given with the winner's name.
  EXPECT_EQ(Region("110101")->kpu_id(), 33);
  EXPECT_EQ(Region("1101012001")->name(), "KEUDE BAKONGAN");
  EXPECT_TRUE(Tps("1101012001001").ok());
  EXPECT_TRUE(absl::IsNotFound(Region("1101012002").status()));
  EXPECT_THAT(report.Samples(problem::kOrphan),
              ElementsAre(HasSubstr("1101012002001: parent 1101012002 is "
                                    "neither")));
  EXPECT_EQ(report.at(v1::REGION_LEVEL_KELURAHAN).added, 1);
}

TEST_F(RegionPlacerTest, SecondPlacementWritesOnlyChanges) {
  Place(Aceh());
  // Counts set by a recount must survive an update of the name.
  v1::Region aceh = *Region("11");
  aceh.set_child_count(1);
  aceh.set_tps_count(2);
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(
      batch.Put(db_->handle(Family::kRegions), "11", aceh.SerializeAsString())
          .ok());
  ASSERT_TRUE(db_->Write(&batch).ok());

  const ImportReport same = Place(Aceh());
  for (int level = v1::REGION_LEVEL_PROVINCE; level <= v1::REGION_LEVEL_TPS;
       ++level) {
    const auto& counts = same.at(static_cast<v1::RegionLevel>(level));
    EXPECT_EQ(counts.added + counts.updated, 0) << level;
    EXPECT_EQ(counts.unchanged, level == v1::REGION_LEVEL_TPS ? 2 : 1) << level;
  }
  EXPECT_THAT(touched_, ElementsAre("1101012001"));

  const ImportReport changed = Place({
      Record("11", "NANGGROE ACEH", 1),    // a new name
      Record("1101", "ACEH SELATAN", 0),   // no id: keeps the stored one
      Record("110101", "BAKONGAN", 30),    // a new id
      Record("1101012001001", "POS 001"),  // a new name and kind
      Record("1101012001002", "TPS 002"),  // the same
  });
  EXPECT_EQ(changed.at(v1::REGION_LEVEL_PROVINCE).updated, 1);
  EXPECT_EQ(changed.at(v1::REGION_LEVEL_KABUPATEN).unchanged, 1);
  EXPECT_EQ(changed.at(v1::REGION_LEVEL_KECAMATAN).updated, 1);
  EXPECT_EQ(changed.at(v1::REGION_LEVEL_TPS).updated, 1);
  EXPECT_EQ(changed.at(v1::REGION_LEVEL_TPS).unchanged, 1);
  EXPECT_EQ(Region("11")->name(), "NANGGROE ACEH");
  EXPECT_EQ(Region("11")->kpu_id(), 1);
  EXPECT_EQ(Region("11")->child_count(), 1);
  EXPECT_EQ(Region("11")->tps_count(), 2);
  EXPECT_EQ(Region("1101")->kpu_id(), 2);
  EXPECT_EQ(Region("110101")->kpu_id(), 30);
  EXPECT_EQ(Tps("1101012001001")->kind(), v1::TPS_KIND_POSTAL);
  // A TPS (not its kelurahan) was placed: the kelurahan is touched.
  EXPECT_THAT(touched_, ElementsAre("1101012001"));
}

TEST_F(RegionPlacerTest, OverseasRecordsAreNoted) {
  const ImportReport report = Place({
      Record("99", "LUAR NEGERI"),
      Record("9901", "MALAYSIA"),
      Record("990101", "KUALA LUMPUR"),
      Record("9901011001", "KUALA LUMPUR"),
      Record("9901011001901", "TPS 901"),
  });
  EXPECT_EQ(report.ErrorCount(), 0) << report.ToString();
  EXPECT_EQ(report.Count(problem::kOverseas), 5);
  EXPECT_THAT(
      report.Samples(problem::kOverseas),
      Contains(AllOf(HasSubstr("9901011001901"), HasSubstr("TPS 901"))));
  // Abroad, 9xx is an ordinary number.
  EXPECT_EQ(report.Count(problem::kSpecialTps), 0);
  EXPECT_EQ(Tps("9901011001901")->kind(), v1::TPS_KIND_REGULAR);
}

TEST_F(RegionPlacerTest, UnreadableStoredRecordFailsThePlacement) {
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(
      batch.Put(db_->handle(Family::kRegions), "11", "\xff not a region").ok());
  ASSERT_TRUE(db_->Write(&batch).ok());
  SourceRecords source;
  source.AddName("test.csv", /*json=*/false);
  source.Admit(Record("11", "ACEH"));
  ImportReport report;
  RegionPlacer placer(db_.get(), &source, &report);
  absl::Status placed = placer.Place();
  EXPECT_TRUE(absl::IsDataLoss(placed)) << placed;
  EXPECT_THAT(std::string(placed.message()), HasSubstr("11"));
}

}  // namespace
}  // namespace c1tally
