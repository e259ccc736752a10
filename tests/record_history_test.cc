// RecordHistory on a real RocksDB, with a record kind of the test's own (a
// Region whose name is what the source said and whose kpu_id is when): new
// versions only on change, late versions placed between their neighbours,
// conflicts within one time, paging newest first.
#include "storage/record_history.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;

struct SaidTraits {
  using Record = v1::Region;
  static constexpr Family kVersions = Family::kSirekap;
  static constexpr Family kLatest = Family::kSirekapLatest;
  static constexpr char kWhat[] = "test record";
  static std::string Id(const Record& record) { return "t/" + record.code(); }
  static uint64_t Micros(const Record& record) {
    return static_cast<uint64_t>(record.kpu_id());
  }
  static void SetMicros(uint64_t micros, Record* record) {
    record->set_kpu_id(static_cast<int64_t>(micros));
  }
  static bool SameContent(const Record& a, const Record& b) {
    return a.name() == b.name();
  }
  // The latest copy drops the parent, as Sirekap's drops its raw JSON.
  static std::string LatestValue(const Record& record) {
    Record copy = record;
    copy.clear_parent();
    return copy.SerializeAsString();
  }
};

v1::Region Said(const std::string& code, const std::string& name) {
  v1::Region record;
  record.set_code(code);
  record.set_name(name);
  record.set_parent("kept in the history only");
  return record;
}

class RecordHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    history_ = std::make_unique<RecordHistory<SaidTraits>>(db_.get());
  }

  std::vector<VersionOutcome> Store(std::vector<v1::Region> records,
                                    uint64_t micros) {
    absl::StatusOr<std::vector<VersionOutcome>> outcomes =
        history_->Store(std::move(records), micros);
    EXPECT_TRUE(outcomes.ok()) << outcomes.status();
    return outcomes.value_or(std::vector<VersionOutcome>());
  }

  // "name@micros" of every version of `code`, newest first.
  std::vector<std::string> Versions(const std::string& code) {
    std::vector<std::string> out;
    std::string token;
    do {
      absl::StatusOr<Page<v1::Region>> page =
          history_->History("t/" + code, 1, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::Region& record : page->items) {
        out.push_back(record.name() + "@" + std::to_string(record.kpu_id()));
      }
      token = page->next_page_token;
    } while (!token.empty());
    return out;
  }

  std::string LatestName(const std::string& code) {
    absl::StatusOr<v1::Region> latest = history_->Latest("t/" + code);
    return latest.ok() ? latest->name() : latest.status().ToString();
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RecordHistory<SaidTraits>> history_;
};

TEST_F(RecordHistoryTest, StoresAVersionOnlyWhenItSaysSomethingNew) {
  EXPECT_THAT(Store({Said("1", "a")}, 10), ElementsAre(VersionOutcome::kNew));
  EXPECT_THAT(Store({Said("1", "a")}, 20),
              ElementsAre(VersionOutcome::kUnchanged));
  EXPECT_THAT(Store({Said("1", "b")}, 30), ElementsAre(VersionOutcome::kNew));
  EXPECT_THAT(Versions("1"), ElementsAre("b@30", "a@10"));
  EXPECT_EQ(LatestName("1"), "b");
  // The latest copy is the trimmed one; the history keeps the whole record.
  EXPECT_EQ(history_->Latest("t/1")->parent(), "");
  absl::StatusOr<Page<v1::Region>> page = history_->History("t/1", 0, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->items[0].parent(), "kept in the history only");
}

TEST_F(RecordHistoryTest, PlacesALateVersionBetweenItsNeighbours) {
  Store({Said("1", "a")}, 10);
  Store({Said("1", "c")}, 30);
  // Said at 20, imported last: history only, the latest stays "c".
  EXPECT_THAT(Store({Said("1", "b")}, 20), ElementsAre(VersionOutcome::kNew));
  EXPECT_THAT(Versions("1"), ElementsAre("c@30", "b@20", "a@10"));
  EXPECT_EQ(LatestName("1"), "c");
  // Said at 25 what 30 says: that version now starts at 25.
  EXPECT_THAT(Store({Said("1", "c")}, 25), ElementsAre(VersionOutcome::kNew));
  EXPECT_THAT(Versions("1"), ElementsAre("c@25", "b@20", "a@10"));
  EXPECT_EQ(history_->Latest("t/1")->kpu_id(), 25);
  // Said at 15 what 10 says: nothing new.
  EXPECT_THAT(Store({Said("1", "a")}, 15),
              ElementsAre(VersionOutcome::kUnchanged));
}

TEST_F(RecordHistoryTest, RefusesTwoDifferentRecordsForOneTime) {
  EXPECT_THAT(Store({Said("1", "a"), Said("1", "a"), Said("1", "x")}, 10),
              ElementsAre(VersionOutcome::kNew, VersionOutcome::kUnchanged,
                          VersionOutcome::kConflict));
  EXPECT_THAT(Store({Said("1", "y")}, 10),
              ElementsAre(VersionOutcome::kConflict));
  EXPECT_THAT(Versions("1"), ElementsAre("a@10"));
}

TEST_F(RecordHistoryTest, VisitsTheLatestOfEveryIdUnderAPrefix) {
  Store({Said("11", "a"), Said("12", "b"), Said("2", "c")}, 10);
  Store({Said("12", "d")}, 20);
  std::vector<std::string> seen;
  ASSERT_TRUE(history_
                  ->ForEachLatest(
                      "t/1",
                      [&](absl::string_view key, const v1::Region& record) {
                        seen.push_back(std::string(key) + "=" + record.name());
                        return absl::OkStatus();
                      })
                  .ok());
  EXPECT_THAT(seen, ElementsAre("t/11=a", "t/12=d"));
}

TEST_F(RecordHistoryTest, RejectsAPageTokenOfAnotherId) {
  Store({Said("1", "a")}, 10);
  Store({Said("1", "b")}, 20);
  Store({Said("2", "a")}, 10);
  absl::StatusOr<Page<v1::Region>> first = history_->History("t/1", 1, "");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token.empty());
  EXPECT_EQ(history_->History("t/2", 1, first->next_page_token).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::IsNotFound(history_->Latest("t/3").status()));
}

}  // namespace
}  // namespace c1tally
