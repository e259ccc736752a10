// Sirekap import into a real RocksDB: history per fetch time, unchanged
// records not stored again, bad files reported and never written.
#include "audit/sirekap_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "audit/sirekap_files.h"
#include "audit/sirekap_importer.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const absl::Time kMorning = absl::FromUnixSeconds(1708050000);  // 16 Feb
const absl::Time kNoon = kMorning + absl::Hours(3);
const absl::Time kEvening = kMorning + absl::Hours(9);

std::string Tps(int p1, int p2, int p3) {
  return absl::StrCat(R"({"chart":{"null":null,"100025":)", p1, R"(,"100026":)",
                      p2, R"(,"100027":)", p3,
                      R"(},"administrasi":null,"ts":"2024-02-16 08:00:00"})");
}

RegionCode Code(const std::string& text) { return *RegionCode::Parse(text); }

class SirekapStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    store_ = std::make_unique<SirekapStore>(db_.get());
  }

  SirekapImportReport Import(
      absl::Time fetch_time,
      const std::vector<std::pair<std::string, std::string>>& files) {
    SirekapImporter importer(store_.get(), fetch_time, "ppwp");
    for (const auto& [path, json] : files) {
      EXPECT_TRUE(importer.AddText(path, json).ok());
    }
    absl::StatusOr<SirekapImportReport> report = importer.Finish();
    EXPECT_TRUE(report.ok()) << report.status();
    return report.value_or(SirekapImportReport());
  }

  std::vector<v1::SirekapRecord> History(const std::string& code) {
    absl::StatusOr<Page<v1::SirekapRecord>> page =
        store_->History("ppwp", Code(code), 0, "");
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->items : std::vector<v1::SirekapRecord>();
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SirekapStore> store_;
};

TEST_F(SirekapStoreTest, HistoryKeepsWhatSirekapSaidWhen) {
  const std::string path = "ppwp/31/3101/310101/3101011001/3101011001001.json";
  SirekapImportReport first = Import(kMorning, {{path, Tps(62, 10, 5)}});
  EXPECT_EQ(first.imported, 1);
  // The same numbers again: nothing new.
  SirekapImportReport again = Import(kNoon, {{path, Tps(62, 10, 5)}});
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.unchanged, 1);
  // Sirekap then shows pair 01 with 941 instead of 62.
  SirekapImportReport changed = Import(kEvening, {{path, Tps(941, 10, 5)}});
  EXPECT_EQ(changed.imported, 1);

  std::vector<v1::SirekapRecord> history = History("3101011001001");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].chart().at("100025"), 941);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(history[0].fetch_time()),
            absl::ToUnixSeconds(kEvening));
  EXPECT_EQ(history[1].chart().at("100025"), 62);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(history[1].fetch_time()),
            absl::ToUnixSeconds(kMorning));
  // The raw JSON is kept exactly as fetched.
  EXPECT_EQ(history[1].raw_json(), Tps(62, 10, 5));

  absl::StatusOr<v1::SirekapRecord> latest =
      store_->Latest("ppwp", Code("3101011001001"));
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->chart().at("100025"), 941);
  EXPECT_THAT(latest->raw_json(), IsEmpty());

  // A fetch from before the others, imported late, fills in history and
  // does not become the latest.
  SirekapImportReport late =
      Import(kMorning - absl::Hours(1), {{path, Tps(1, 2, 3)}});
  EXPECT_EQ(late.imported, 1);
  EXPECT_EQ(History("3101011001001").size(), 3u);
  EXPECT_EQ(store_->Latest("ppwp", Code("3101011001001"))->chart().at("100025"),
            941);
}

TEST_F(SirekapStoreTest, OlderFetchSayingTheSameMovesTheVersionBack) {
  const std::string path = "3101011001001.json";
  Import(kNoon, {{path, Tps(1, 2, 3)}});
  Import(kEvening, {{path, Tps(4, 5, 6)}});
  // The morning's fetch, imported last, says what noon said: that version
  // now starts in the morning, and versions in a row still differ.
  SirekapImportReport late = Import(kMorning, {{path, Tps(1, 2, 3)}});
  EXPECT_EQ(late.imported, 1);
  std::vector<v1::SirekapRecord> history = History("3101011001001");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(history[1].fetch_time()),
            absl::ToUnixSeconds(kMorning));
  EXPECT_EQ(history[1].chart().at("100025"), 1);
  // The same for the latest: an earlier fetch of the evening's numbers.
  Import(kEvening - absl::Hours(1), {{path, Tps(4, 5, 6)}});
  history = History("3101011001001");
  ASSERT_EQ(history.size(), 2u);
  absl::StatusOr<v1::SirekapRecord> latest =
      store_->Latest("ppwp", Code("3101011001001"));
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(TimeUtil::TimestampToSeconds(latest->fetch_time()),
            absl::ToUnixSeconds(kEvening - absl::Hours(1)));
  EXPECT_EQ(latest->chart().at("100025"), 4);
  // Re-importing the noon fetch now changes nothing.
  EXPECT_EQ(Import(kNoon, {{path, Tps(1, 2, 3)}}).unchanged, 1);
}

TEST_F(SirekapStoreTest, OneFetchMustAgreeWithItself) {
  Import(kMorning, {{"3101011001001.json", Tps(1, 2, 3)}});
  // The first copy says what the morning said, the second something else.
  SirekapImportReport report =
      Import(kNoon, {{"a/3101011001001.json", Tps(1, 2, 3)},
                     {"b/3101011001001.json", Tps(9, 9, 9)}});
  EXPECT_EQ(report.unchanged, 1);
  ASSERT_EQ(report.rejected.size(), 1u);
  EXPECT_EQ(report.rejected[0].first, "b/3101011001001.json");
  EXPECT_EQ(History("3101011001001").size(), 1u);
}

TEST_F(SirekapStoreTest, HistoryPages) {
  const std::string path = "3101011001001.json";
  for (int hour = 0; hour < 5; ++hour) {
    Import(kMorning + absl::Hours(hour), {{path, Tps(hour, 0, 0)}});
  }
  absl::StatusOr<Page<v1::SirekapRecord>> first =
      store_->History("ppwp", Code("3101011001001"), 2, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].chart().at("100025"), 4);
  absl::StatusOr<Page<v1::SirekapRecord>> second =
      store_->History("ppwp", Code("3101011001001"), 2, first->next_page_token);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 2u);
  EXPECT_EQ(second->items[0].chart().at("100025"), 2);
  absl::StatusOr<Page<v1::SirekapRecord>> last = store_->History(
      "ppwp", Code("3101011001001"), 2, second->next_page_token);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->items.size(), 1u);
  EXPECT_EQ(last->items[0].chart().at("100025"), 0);
  EXPECT_THAT(last->next_page_token, IsEmpty());
  EXPECT_FALSE(store_->History("ppwp", Code("3101011001001"), 2, "x").ok());
}

TEST_F(SirekapStoreTest, BadFilesAreReportedAndNeverWritten) {
  SirekapImportReport report = Import(
      kMorning, {{"3101011001001.json", Tps(1, 2, 3)},
                 {"3101011001002.json", R"({"chart":{"100025":)"},
                 {"3101011001003.json", R"({"chart":{"100025":-1}})"},
                 {"3101011001004.json", R"({"chart":{"999999":1}})"},
                 {"3101011001.json", R"({"chart":null,"administrasi":{}})"},
                 {"notes.json", "{}"},
                 // The same TPS twice in one fetch, saying two things.
                 {"a/3101011001005.json", Tps(1, 1, 1)},
                 {"b/3101011001005.json", Tps(2, 2, 2)}});
  EXPECT_EQ(report.files, 8);
  EXPECT_EQ(report.imported, 2);
  ASSERT_EQ(report.rejected.size(), 6u);
  std::map<std::string, std::string> reasons(report.rejected.begin(),
                                             report.rejected.end());
  EXPECT_THAT(reasons["3101011001002.json"], HasSubstr("malformed JSON"));
  EXPECT_THAT(reasons["3101011001003.json"], HasSubstr("negative"));
  EXPECT_THAT(reasons["3101011001004.json"],
              HasSubstr("unknown candidate id \"999999\""));
  EXPECT_THAT(reasons["3101011001.json"], HasSubstr("not a TPS"));
  EXPECT_THAT(reasons["notes.json"], HasSubstr("not a region or TPS code"));
  EXPECT_THAT(reasons["b/3101011001005.json"], HasSubstr("says something"));
  for (const char* code :
       {"3101011001002", "3101011001003", "3101011001004", "3101011001"}) {
    EXPECT_TRUE(absl::IsNotFound(store_->Latest("ppwp", Code(code)).status()))
        << code;
  }
  EXPECT_EQ(store_->Latest("ppwp", Code("3101011001005"))->chart().at("100025"),
            1);
  EXPECT_EQ(History("3101011001005").size(), 1u);
}

TEST_F(SirekapStoreTest, LatestTpsBelowARegionInCodeOrder) {
  Import(kMorning,
         {{"3101011002001.json", Tps(1, 1, 1)},
          {"3101011001002.json", Tps(2, 2, 2)},
          {"3201011001001.json", Tps(3, 3, 3)},
          {"ppwp/31/3101.json", R"({"chart":{"100025":3},"table":{}})"}});
  std::vector<std::string> seen;
  ASSERT_TRUE(store_
                  ->ForEachLatestTps("ppwp", Code("31"),
                                     [&](const v1::SirekapRecord& record) {
                                       seen.push_back(record.code());
                                       return absl::OkStatus();
                                     })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"3101011001002", "3101011002001"}));
  // The aggregate is stored too, under its region code.
  EXPECT_EQ(store_->Latest("ppwp", Code("3101"))->chart().at("100025"), 3);
}

TEST_F(SirekapStoreTest, CodesOutsideTheRegionTreeAreImportedAndCounted) {
  // Without a region tree nothing can be placed, so nothing is noted.
  EXPECT_EQ(
      Import(kMorning, {{"3101011001009.json", Tps(1, 1, 1)}}).not_in_tree, 0);
  testing::ImportFixtureTree(db_.get(), dir_);
  // The fixture has TPS 3101011001001..004 and kabupaten 3101, not 3102.
  SirekapImportReport report = Import(
      kNoon, {{"3101011001001.json", Tps(1, 2, 3)},
              {"3101011001005.json", Tps(1, 2, 3)},
              {"ppwp/31/3102.json", R"({"chart":{"100025":3},"table":{}})"},
              {"ppwp/31/3101.json", R"({"chart":{"100025":3},"table":{}})"}});
  EXPECT_EQ(report.imported, 4);
  EXPECT_EQ(report.not_in_tree, 2);
  EXPECT_EQ(report.not_in_tree_samples,
            (std::vector<std::string>{"3101011001005", "3102"}));
  EXPECT_TRUE(store_->Latest("ppwp", Code("3101011001005")).ok());
  EXPECT_THAT(report.ToString(), HasSubstr("not_in_tree=2"));
}

TEST_F(SirekapStoreTest, RealRecordsSurviveReopening) {
  const std::string shared = testing::SharedDataDir();
  C1TALLY_NEED(!shared.empty(), "../shared/data");
  const std::string folder = shared + "/sirekap/ppwp-tps-310101";
  absl::StatusOr<std::vector<std::string>> files = ExpandSirekapPaths({folder});
  ASSERT_TRUE(files.ok());
  {
    SirekapImporter importer(store_.get(), kMorning, "ppwp");
    for (const std::string& file : *files) {
      ASSERT_TRUE(importer.AddFile(file).ok());
    }
    absl::StatusOr<SirekapImportReport> report = importer.Finish();
    ASSERT_TRUE(report.ok());
    // 53 files in the folder, all well-formed.
    EXPECT_EQ(report->imported, static_cast<int64_t>(files->size()));
    EXPECT_THAT(report->rejected, IsEmpty());
  }
  store_.reset();
  db_.reset();
  Database::Options options;
  options.create_if_missing = false;
  db_ = *Database::Open(dir_.Sub("db"), options);
  store_ = std::make_unique<SirekapStore>(db_.get());
  // 3101011001003 as published: pairs 86 / 119 / 38, suara_sah 235.
  absl::StatusOr<v1::SirekapRecord> record =
      store_->Latest("ppwp", Code("3101011001003"));
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->chart().at("100025"), 86);
  EXPECT_EQ(record->chart().at("100026"), 119);
  EXPECT_EQ(record->administrasi().at("suara_sah"), 235);
  EXPECT_EQ(History("3101011001003")[0].raw_json(),
            testing::ReadFile(folder + "/3101011001003.json"));
  int count = 0;
  ASSERT_TRUE(store_
                  ->ForEachLatestTps("ppwp", RegionCode(),
                                     [&](const v1::SirekapRecord&) {
                                       ++count;
                                       return absl::OkStatus();
                                     })
                  .ok());
  EXPECT_EQ(count, static_cast<int>(files->size()));
}

}  // namespace
}  // namespace c1tally
