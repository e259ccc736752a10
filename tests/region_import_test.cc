#include "storage/region_import.h"

#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/region_code.h"
#include "storage/region_tree.h"
#include "storage/synthetic_tree.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

namespace problem = import_problem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

// A fresh directory, removed with everything in it when this dies.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             absl::StrCat("c1tally-region-import-test-", getpid(), "-",
                          counter++, "-", std::random_device()()))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // path() + "/" + name, creating the directories on the way.
  std::string Sub(const std::string& name) const {
    std::filesystem::path path = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(path.parent_path());
    return path.string();
  }

 private:
  std::string path_;
};

std::string WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  EXPECT_TRUE(out.good()) << path;
  return path;
}

std::string WriteGzip(const std::string& path, const std::string& text) {
  gzFile file = gzopen(path.c_str(), "wb");
  EXPECT_NE(file, nullptr) << path;
  if (file == nullptr) return path;
  EXPECT_EQ(gzwrite(file, text.data(), static_cast<unsigned>(text.size())),
            static_cast<int>(text.size()));
  EXPECT_EQ(gzclose(file), Z_OK);
  return path;
}

std::unique_ptr<Database> OpenDatabase(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir, {});
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

// Every key and value of the region families, for comparing databases.
std::map<std::string, std::string> Dump(Database* db) {
  std::map<std::string, std::string> dump;
  for (Family family : {Family::kRegions, Family::kTps, Family::kChildren}) {
    std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(family);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      dump[absl::StrCat(static_cast<int>(family), ":", it->key().ToString())] =
          it->value().ToString();
    }
  }
  return dump;
}

// Checks, independently of the importer, that every record's parent exists
// and every region's child_count and tps_count match the stored tree.
void ExpectTreeConsistent(Database* db) {
  std::map<std::string, int64_t> children, tps;
  std::map<std::string, v1::Region> regions;
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kRegions);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ASSERT_TRUE(
        regions[it->key().ToString()].ParseFromString(it->value().ToString()));
  }
  ASSERT_EQ(regions.count(""), 1u) << "no national record";
  it = db->NewIterator(Family::kChildren);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    ++children[key.substr(0, key.find('/'))];
  }
  it = db->NewIterator(Family::kTps);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const RegionCode code = *RegionCode::Parse(it->key().ToString());
    EXPECT_EQ(regions.count(code.parent().str()), 1u) << code.str();
    for (const RegionCode& ancestor : code.ancestors()) ++tps[ancestor.str()];
  }
  for (const auto& [code, region] : regions) {
    EXPECT_EQ(region.code(), code);
    if (!code.empty()) {
      EXPECT_EQ(regions.count(region.parent()), 1u) << code;
    }
    EXPECT_EQ(region.child_count(), children[code]) << code;
    EXPECT_EQ(region.tps_count(), tps[code]) << code;
  }
}

constexpr char kRegionsCsv[] =
    "kode,nama,tingkat,kpu_id\n"
    "11,ACEH,1,100054\n"
    "1101,ACEH SELATAN,2,100055\n"
    "110101,BAKONGAN,3,100001\n"
    "1101012001,KEUDE BAKONGAN,4,100002\n"
    "1101012002,\"PASAR, LAMA \"\"BARU\"\"\",4,100003\n"
    "1101012003,UJONG PADANG,4,100004\n";

constexpr char kTpsCsv[] =
    "kode_kelurahan,nama_kelurahan,jumlah_tps,tps_suffixes_if_noncontiguous\n"
    "1101012001,KEUDE BAKONGAN,3,\n"
    "1101012002,\"PASAR, LAMA \"\"BARU\"\"\",3,001 002 901\n";

class RegionImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = OpenDatabase(dir_.Sub("db"));
    ASSERT_NE(db_, nullptr);
  }

  std::string Write(const std::string& name, const std::string& text) {
    return WriteText(dir_.Sub(name), text);
  }

  // Imports `paths` in one import.
  absl::StatusOr<ImportReport> Import(const std::vector<std::string>& paths) {
    RegionImporter importer(db_.get());
    for (const std::string& path : paths) {
      if (absl::Status added = importer.AddPath(path); !added.ok()) {
        return added;
      }
    }
    return importer.Commit();
  }

  absl::StatusOr<v1::Region> Region(const std::string& code) {
    absl::StatusOr<RegionCode> parsed = RegionCode::Parse(code);
    if (!parsed.ok()) return parsed.status();
    return RegionTree(db_.get()).GetRegion(*parsed);
  }

  absl::StatusOr<v1::Tps> Tps(const std::string& code) {
    absl::StatusOr<RegionCode> parsed = RegionCode::Parse(code);
    if (!parsed.ok()) return parsed.status();
    return RegionTree(db_.get()).GetTps(*parsed);
  }

  std::vector<std::string> Samples(const ImportReport& report,
                                   const std::string& kind) {
    auto it = report.problems.find(kind);
    return it == report.problems.end() ? std::vector<std::string>()
                                       : it->second.samples;
  }

  ScratchDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(RegionImportTest, ImportsBothCsvsWithQuotedNames) {
  absl::StatusOr<ImportReport> report =
      Import({Write("regions.csv", kRegionsCsv), Write("tps.csv", kTpsCsv)});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(report->at(v1::REGION_LEVEL_NATIONAL).added, 1);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_PROVINCE).added, 1);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_KELURAHAN).added, 3);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 6);
  EXPECT_EQ(report->records_read, 6 + 6);

  absl::StatusOr<v1::Region> pasar = Region("1101012002");
  ASSERT_TRUE(pasar.ok()) << pasar.status();
  EXPECT_EQ(pasar->name(), "PASAR, LAMA \"BARU\"");
  EXPECT_EQ(pasar->kpu_id(), 100003);
  EXPECT_EQ(pasar->parent(), "110101");
  EXPECT_EQ(pasar->level(), v1::REGION_LEVEL_KELURAHAN);
  EXPECT_EQ(pasar->child_count(), 3);
  EXPECT_EQ(pasar->tps_count(), 3);

  absl::StatusOr<v1::Tps> tps = Tps("1101012001003");
  ASSERT_TRUE(tps.ok()) << tps.status();
  EXPECT_EQ(tps->name(), "TPS 003");
  EXPECT_EQ(tps->parent(), "1101012001");
  EXPECT_EQ(tps->kind(), v1::TPS_KIND_REGULAR);

  absl::StatusOr<v1::Region> nation = Region("");
  ASSERT_TRUE(nation.ok());
  EXPECT_EQ(nation->name(), "Indonesia");
  EXPECT_EQ(nation->child_count(), 1);
  EXPECT_EQ(nation->tps_count(), 6);
  std::string ignored;
  EXPECT_TRUE(
      db_->Get(Family::kChildren, keys::Child("", "11"), &ignored, "child")
          .ok());
  EXPECT_TRUE(db_->Get(Family::kChildren,
                       keys::Child("1101012002", "1101012002901"), &ignored,
                       "child")
                  .ok());
  // A kelurahan with no TPS is written and noted.
  EXPECT_EQ(report->Count(problem::kKelurahanWithoutTps), 1);
  EXPECT_THAT(Samples(*report, problem::kKelurahanWithoutTps),
              Contains(HasSubstr("1101012003")));
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, ReadsGzipAndCrlf) {
  std::string crlf;
  for (char c : std::string(kRegionsCsv)) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  absl::StatusOr<ImportReport> report =
      Import({WriteGzip(dir_.Sub("regions.csv.gz"), crlf),
              WriteGzip(dir_.Sub("tps.csv.gz"), kTpsCsv)});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 6);
  absl::StatusOr<v1::Region> pasar = Region("1101012002");
  ASSERT_TRUE(pasar.ok());
  EXPECT_EQ(pasar->name(), "PASAR, LAMA \"BARU\"");
  EXPECT_EQ(Region("1101012003")->name(), "UJONG PADANG");
}

TEST_F(RegionImportTest, UnreadableSourcesFailAndAddNothing) {
  RegionImporter importer(db_.get());
  ASSERT_TRUE(importer.AddPath(Write("regions.csv", kRegionsCsv)).ok());
  absl::Status missing = importer.AddPath(dir_.Sub("missing.csv"));
  EXPECT_TRUE(absl::IsNotFound(missing)) << missing;
  absl::Status header = importer.AddPath(Write("other.csv", "a,b,c\n1,2,3\n"));
  EXPECT_TRUE(absl::IsInvalidArgument(header)) << header;
  EXPECT_THAT(std::string(header.message()), HasSubstr("a,b,c"));
  // A wilayah CSV is not a TPS CSV.
  EXPECT_FALSE(importer.AddTpsCsv(dir_.Sub("regions.csv")).ok());
  // A gzip file cut short fails as a whole.
  const std::string gz = WriteGzip(dir_.Sub("tps.csv.gz"), kTpsCsv);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) - 10);
  EXPECT_FALSE(importer.AddPath(gz).ok());
  EXPECT_FALSE(importer.AddPath(dir_.Sub("empty-dir/")).ok());

  absl::StatusOr<ImportReport> report = importer.Commit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(report->records_read, 6);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 0);
  EXPECT_FALSE(importer.Commit().ok());
}

TEST_F(RegionImportTest, ReportsOrphansAndPlacesThemLater) {
  const std::string regions = Write("regions.csv",
                                    "kode,nama,tingkat,kpu_id\n"
                                    "11,ACEH,1,1\n"
                                    "110101,BAKONGAN,3,3\n"
                                    "1101012001,KEUDE BAKONGAN,4,4\n");
  const std::string tps = Write("tps.csv",
                                "kode_kelurahan,nama_kelurahan,jumlah_tps,"
                                "tps_suffixes_if_noncontiguous\n"
                                "1101012001,KEUDE BAKONGAN,2,\n");
  absl::StatusOr<ImportReport> report = Import({regions, tps});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->Count(problem::kOrphan), 4) << report->ToString();
  EXPECT_THAT(Samples(*report, problem::kOrphan),
              Contains(AllOf(HasSubstr("110101: parent 1101 is neither"),
                             HasSubstr("regions.csv:3"))));
  EXPECT_THAT(Samples(*report, problem::kOrphan),
              Contains(HasSubstr("1101012001001: parent 1101012001 is an "
                                 "orphan too")));
  EXPECT_TRUE(absl::IsNotFound(Region("110101").status()));
  EXPECT_TRUE(absl::IsNotFound(Tps("1101012001001").status()));
  EXPECT_EQ(report->at(v1::REGION_LEVEL_PROVINCE).added, 1);
  EXPECT_THAT(report->ToString(), HasSubstr("orphan: 4"));

  // Once the parent is in the database, the same sources place fine.
  ASSERT_TRUE(
      Import({Write("kabupaten.csv",
                    "kode,nama,tingkat,kpu_id\n1101,ACEH SELATAN,2,2\n")})
          .ok());
  report = Import({regions, tps});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 2);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_PROVINCE).unchanged, 1);
  EXPECT_EQ(Region("11")->tps_count(), 2);
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, ReportsBadCodesAndLevelMismatches) {
  const std::string regions = Write("regions.csv",
                                    "kode,nama,tingkat,kpu_id\n"
                                    "11,ACEH,1,1\n"
                                    "1x01,BAD,2,2\n"
                                    "123,BAD,2,3\n"
                                    "00,BAD,1,4\n"
                                    "1101,ACEH SELATAN,3,5\n"
                                    "1102,ACEH TENGGARA,2,6\n");
  const std::string tps = Write("tps.csv",
                                "kode_kelurahan,nama_kelurahan,jumlah_tps,"
                                "tps_suffixes_if_noncontiguous\n"
                                "110201,KECAMATAN,1,\n"
                                "11020120x1,X,1,\n");
  const std::string json =
      Write("level.json",
            R"([{"nama":"ACEH","id":1,"kode":"11","tingkat":2},
          {"nama":"TPS 000","id":9,"kode":"1102012001000","tingkat":5}])");
  absl::StatusOr<ImportReport> report = Import({regions, tps, json});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->Count(problem::kBadCode), 5) << report->ToString();
  EXPECT_EQ(report->Count(problem::kLevelMismatch), 3) << report->ToString();
  EXPECT_THAT(Samples(*report, problem::kBadCode),
              AllOf(Contains(HasSubstr("regions.csv:3: region code \"1x01\"")),
                    Contains(HasSubstr("province 00")),
                    Contains(HasSubstr("TPS number 000"))));
  EXPECT_THAT(Samples(*report, problem::kLevelMismatch),
              AllOf(Contains(HasSubstr(
                        "code 1101 has 4 digits (kabupaten/kota) but tingkat "
                        "is 3")),
                    Contains(HasSubstr("kode_kelurahan")),
                    Contains(HasSubstr("level.json: element 1"))));
  EXPECT_TRUE(Region("1102").ok());
  EXPECT_FALSE(Region("1101").ok());
  EXPECT_EQ(Region("11")->child_count(), 1);
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, ReportsBadRows) {
  constexpr char kWilayah[] = "kode,nama,tingkat,kpu_id\n11,ACEH,1,1\n";
  constexpr char kTps[] =
      "kode_kelurahan,nama_kelurahan,jumlah_tps,"
      "tps_suffixes_if_noncontiguous\n";
  const struct {
    const char* file;
    std::string text;
    const char* reason;
  } cases[] = {
      {"columns.csv", absl::StrCat(kWilayah, "12,SUMATERA UTARA\n"),
       "columns.csv:3: expected 4 columns"},
      {"quote.csv", absl::StrCat(kWilayah, "13,SUM\"BAR,1,3\n"),
       "quote.csv:3: a quote inside an unquoted field"},
      {"tingkat.csv", absl::StrCat(kWilayah, "14,RIAU,satu,4\n"),
       "tingkat \"satu\" is not a level"},
      {"id.csv", absl::StrCat(kWilayah, "15,JAMBI,1,x\n"),
       "kpu_id \"x\" is not a number"},
      {"name.csv", absl::StrCat(kWilayah, "16,  ,1,6\n"),
       "code 16 has an empty name"},
      {"after.csv", absl::StrCat(kWilayah, "17,\"BENGKULU\"x,1,7\n"),
       "unexpected text after a closing quote"},
      {"open.csv", absl::StrCat(kWilayah, "19,\"BANGKA,1,9\n20,X,1,10\n"),
       "open.csv:3: a quoted field is never closed"},
      {"jumlah.csv", absl::StrCat(kTps, "1101012001,A,tiga,\n"),
       "jumlah_tps \"tiga\" is not a number"},
      {"negative.csv", absl::StrCat(kTps, "1101012001,A,-1,\n"),
       "jumlah_tps \"-1\""},
      {"suffix.csv", absl::StrCat(kTps, "1101012001,A,2,001 01\n"),
       "TPS number \"01\" is not 3 digits"},
      {"twice.csv", absl::StrCat(kTps, "1101012001,A,2,001 001\n"),
       "TPS number 001 is listed twice"},
      {"short.csv", absl::StrCat(kTps, "1101012001,A,2\n"),
       "short.csv:2: expected 4 columns"},
      {"syntax.json", "[{\"kode\": ", "syntax.json: not valid JSON"},
      {"object.json", R"({"kode":"31"})", "not a JSON array"},
      {"element.json", "[5]", "element.json: element 1: not a JSON object"},
      {"kode.json", R"([{"nama":"X","id":1,"kode":21,"tingkat":1}])",
       "\"kode\" is missing or not a string"},
      {"nama.json", R"([{"id":1,"kode":"21","tingkat":1}])",
       "\"nama\" is missing"},
      {"level.json", R"([{"nama":"X","id":1,"kode":"21","tingkat":"1"}])",
       "\"tingkat\" is missing or not a level"},
      {"negative.json", R"([{"nama":"X","id":-1,"kode":"21","tingkat":1}])",
       "\"id\" is not a non-negative integer"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<ImportReport> report = Import({Write(c.file, c.text)});
    ASSERT_TRUE(report.ok()) << c.file << ": " << report.status();
    EXPECT_EQ(report->Count(problem::kBadRow), 1) << c.file << "\n"
                                                  << report->ToString();
    EXPECT_EQ(report->ErrorCount(), 1) << c.file;
    EXPECT_THAT(Samples(*report, problem::kBadRow),
                ::testing::ElementsAre(HasSubstr(c.reason)))
        << c.file;
    EXPECT_THAT(report->ToString(), HasSubstr("bad_row: 1"));
  }
  // The good rows around bad ones are placed.
  EXPECT_TRUE(Region("11").ok());
  EXPECT_FALSE(Region("12").ok());
  absl::StatusOr<ImportReport> report =
      Import({Write("ids.csv", "kode,nama,tingkat,kpu_id\n18,LAMPUNG,1,\n"),
              Write("missing-id.json",
                    R"([{"nama":"KEPULAUAN RIAU","kode":"21","tingkat":1}])")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(Region("18")->kpu_id(), 0);
  EXPECT_EQ(Region("21")->name(), "KEPULAUAN RIAU");
  EXPECT_EQ(Region("")->child_count(), 3);
}

TEST_F(RegionImportTest, TpsSuffixesJumlahAndNumberingNotes) {
  const std::string regions = Write("regions.csv",
                                    "kode,nama,tingkat,kpu_id\n"
                                    "31,DKI JAKARTA,1,1\n"
                                    "3101,KEPULAUAN SERIBU,2,2\n"
                                    "310101,UTARA,3,3\n"
                                    "3101011001,A,4,4\n"
                                    "3101011002,B,4,5\n"
                                    "3101011003,C,4,6\n"
                                    "3101011004,D,4,7\n");
  const std::string tps = Write("tps.csv",
                                "kode_kelurahan,nama_kelurahan,jumlah_tps,"
                                "tps_suffixes_if_noncontiguous\n"
                                "3101011001,A,3,001 002 901\n"
                                "3101011002,B,3,001 003 004\n"
                                "3101011003,C,4,001 002 003\n"
                                "3101011004,D,0,\n");
  absl::StatusOr<ImportReport> report = Import({regions, tps});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->Count(problem::kBadRow), 1) << report->ToString();
  EXPECT_THAT(Samples(*report, problem::kBadRow),
              ::testing::ElementsAre(HasSubstr(
                  "tps.csv:4: jumlah_tps is 4 but 3 TPS numbers are listed")));
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 6);
  EXPECT_EQ(Tps("3101011001901")->kind(), v1::TPS_KIND_SPECIAL_LOCATION);
  EXPECT_EQ(Tps("3101011001901")->name(), "TPS 901");
  EXPECT_EQ(report->Count(problem::kSpecialTps), 1);
  // 9xx is no gap; 001 003 004 is.
  EXPECT_EQ(report->Count(problem::kTpsNumberingGaps), 1);
  EXPECT_THAT(Samples(*report, problem::kTpsNumberingGaps),
              ::testing::ElementsAre(HasSubstr("3101011002")));
  EXPECT_FALSE(Tps("3101011003001").ok());
  EXPECT_EQ(report->Count(problem::kKelurahanWithoutTps), 2);
  EXPECT_EQ(Region("3101011001")->tps_count(), 3);
  EXPECT_EQ(Region("31")->tps_count(), 6);
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, NameConflictsKeepTheFirst) {
  const std::string regions = Write("regions.csv",
                                    "kode,nama,tingkat,kpu_id\n"
                                    "11,ACEH,1,1\n"
                                    "11,ACEH,1,1\n"
                                    "1101,ACEH SELATAN,2,2\n"
                                    "1101,ACEH UTARA,2,2\n"
                                    "110101,BAKONGAN,3,3\n"
                                    "110101,BAKONGAN,3,33\n"
                                    "1101012001,KEUDE BAKONGAN,4,4\n");
  const std::string tps = Write("tps.csv",
                                "kode_kelurahan,nama_kelurahan,jumlah_tps,"
                                "tps_suffixes_if_noncontiguous\n"
                                "1101012001,KEUDE BAKONGAN BARU,1,\n");
  absl::StatusOr<ImportReport> report = Import({regions, tps});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->Count(problem::kNameConflict), 3) << report->ToString();
  EXPECT_THAT(
      Samples(*report, problem::kNameConflict),
      AllOf(Contains(AllOf(HasSubstr("regions.csv:5: 1101 is named \"ACEH "
                                     "UTARA\" here but \"ACEH SELATAN\" in "),
                           HasSubstr("regions.csv:4, which is kept"))),
            Contains(HasSubstr("110101 has kpu_id 33 here but 3")),
            Contains(HasSubstr("tps.csv:2: 1101012001"))));
  EXPECT_EQ(Region("1101")->name(), "ACEH SELATAN");
  EXPECT_EQ(Region("110101")->kpu_id(), 3);
  EXPECT_EQ(Region("1101012001")->name(), "KEUDE BAKONGAN");
  // The TPS of a kelurahan named differently are still placed.
  EXPECT_TRUE(Tps("1101012001001").ok());
}

TEST_F(RegionImportTest, ReimportChangesNothingAndUpdatesChanges) {
  const std::string regions = Write("regions.csv", kRegionsCsv);
  const std::string tps = Write("tps.csv", kTpsCsv);
  ASSERT_TRUE(Import({regions, tps}).ok());
  const std::map<std::string, std::string> before = Dump(db_.get());

  absl::StatusOr<ImportReport> again = Import({tps, regions});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Dump(db_.get()), before);
  EXPECT_EQ(again->counts_updated, 0);
  EXPECT_EQ(again->at(v1::REGION_LEVEL_NATIONAL).added, 0);
  for (int level = v1::REGION_LEVEL_PROVINCE; level <= v1::REGION_LEVEL_TPS;
       ++level) {
    const auto& counts = again->at(static_cast<v1::RegionLevel>(level));
    EXPECT_EQ(counts.added + counts.updated, 0) << level;
  }
  EXPECT_EQ(again->at(v1::REGION_LEVEL_TPS).unchanged, 6);
  EXPECT_EQ(again->at(v1::REGION_LEVEL_KELURAHAN).unchanged, 3);

  // A new name or KPU id is an update; a missing KPU id changes nothing.
  absl::StatusOr<ImportReport> changed =
      Import({Write("changed.csv",
                    "kode,nama,tingkat,kpu_id\n"
                    "11,NANGGROE ACEH,1,100054\n"
                    "1101,ACEH SELATAN,2,999\n"
                    "110101,BAKONGAN,3,\n")});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->at(v1::REGION_LEVEL_PROVINCE).updated, 1);
  EXPECT_EQ(changed->at(v1::REGION_LEVEL_KABUPATEN).updated, 1);
  EXPECT_EQ(changed->at(v1::REGION_LEVEL_KECAMATAN).unchanged, 1);
  EXPECT_EQ(Region("11")->name(), "NANGGROE ACEH");
  EXPECT_EQ(Region("11")->tps_count(), 6);  // counts survive an update
  EXPECT_EQ(Region("1101")->kpu_id(), 999);
  EXPECT_EQ(Region("110101")->kpu_id(), 100001);
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, CountsAreRecomputedAcrossImports) {
  ASSERT_TRUE(Import({Write("regions.csv", kRegionsCsv)}).ok());
  EXPECT_EQ(Region("")->tps_count(), 0);
  EXPECT_EQ(Region("1101012001")->child_count(), 0);
  ExpectTreeConsistent(db_.get());

  absl::StatusOr<ImportReport> report = Import({Write("tps.csv", kTpsCsv)});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(Region("")->tps_count(), 6);
  EXPECT_EQ(Region("110101")->tps_count(), 6);
  EXPECT_EQ(Region("110101")->child_count(), 3);
  // The nation, province, kabupaten, kecamatan and two kelurahan.
  EXPECT_EQ(report->counts_updated, 6);

  // KPU JSON adds a TPS to one kelurahan.
  report = Import({Write(
      "1101012001.json",
      R"([{"nama":"TPS 004","id":7830004,"kode":"1101012001004","tingkat":5}])")});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  EXPECT_EQ(Region("1101012001")->tps_count(), 4);
  EXPECT_EQ(Region("")->tps_count(), 7);
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, ImportsKpuJsonFolder) {
  Write("json/pemilu/0.json",
        R"([{"nama":"ACEH","id":100054,"kode":"11","tingkat":1}])");
  Write("json/pemilu/11.json",
        R"([{"nama":"ACEH SELATAN","id":100055,"kode":"1101","tingkat":2}])");
  Write("json/pemilu/11/1101.json",
        R"([{"nama":"BAKONGAN","id":100001,"kode":"110101","tingkat":3}])");
  Write("json/pemilu/11/1101/110101.json",
        R"([{"nama":"KEUDE BAKONGAN","id":100002,"kode":"1101012001",
             "tingkat":4}])");
  Write("json/pemilu/11/1101/110101/1101012001.json",
        R"([{"nama":"TPS 001","id":7830001,"kode":"1101012001001","tingkat":5},
            {"nama":"TPS 002","id":7830002,"kode":"1101012001002","tingkat":5}])");
  // A kelurahan whose own record is missing from the folder.
  Write(
      "json/pemilu/11/1101/110101/1101012002.json",
      R"([{"nama":"TPS 001","id":7830101,"kode":"1101012002001","tingkat":5}])");
  Write("json/README.txt", "not JSON, not read");
  absl::StatusOr<ImportReport> report = Import({dir_.Sub("json")});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->Count(problem::kOrphan), 1) << report->ToString();
  EXPECT_THAT(Samples(*report, problem::kOrphan),
              ::testing::ElementsAre(
                  AllOf(HasSubstr("1101012002001: parent 1101012002"),
                        HasSubstr("1101012002.json: element 1"))));
  EXPECT_EQ(report->ErrorCount(), 1);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 2);
  EXPECT_EQ(Region("1101012001")->kpu_id(), 100002);
  EXPECT_EQ(Region("1101")->tps_count(), 2);
  ExpectTreeConsistent(db_.get());
}

TEST_F(RegionImportTest, AddsRecordsFromMemory) {
  RegionImporter importer(db_.get());
  importer.AddRegion("31", "DKI JAKARTA", 0, 0, "memory");
  importer.AddRegion("3101", "KEPULAUAN SERIBU", 2, 77, "memory");
  importer.AddRegion("310101", "UTARA", 3, 0, "memory");
  importer.AddRegion("3101011001", "PULAU PANGGANG", 4, 0, "memory");
  importer.AddTps("3101011001001", "TPS 001", "memory");
  importer.AddTps("3101011001", "TPS 001", "elsewhere");
  absl::StatusOr<ImportReport> report = importer.Commit();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->Count(problem::kLevelMismatch), 1) << report->ToString();
  EXPECT_THAT(Samples(*report, problem::kLevelMismatch),
              ::testing::ElementsAre(HasSubstr("elsewhere: code 3101011001")));
  EXPECT_EQ(Region("3101")->kpu_id(), 77);
  EXPECT_EQ(Region("31")->tps_count(), 1);
}

// --- Real data from ../shared/data --------------------------------------

std::string SharedData(const std::string& path) {
  return absl::StrCat(C1TALLY_SHARED_DATA, "/", path);
}

constexpr char kWilayahCsv[] = "wilayah/kpu2024-wilayah-tingkat1-4.csv.gz";
constexpr char kTpsPerKelurahanCsv[] =
    "wilayah/kpu2024-tps-per-kelurahan.csv.gz";
constexpr char kKpuJsonFolder[] = "sirekap/kpu-tree-wilayah";

#define SKIP_WITHOUT_SHARED_DATA()                               \
  C1TALLY_NEED(std::filesystem::exists(SharedData(kWilayahCsv)), \
               SharedData(kWilayahCsv))

// KPU's list has 94 overseas codes with letters in the country part
// ("99AA", "99AA01", "99AA010001", ... 31 cities, none with TPS in the TPS
// CSV; the JSON folder's 99.json has 32 such cities). RegionCode accepts
// digits only, so the importer reports them as bad_code; if RegionCode
// learns them, they are placed instead.
constexpr int64_t kLetterCodesInCsv = 94;
constexpr int64_t kLetterKelurahanInCsv = 31;
constexpr int64_t kLetterCitiesInJson = 32;

bool LetterCodesAccepted() { return RegionCode::Parse("99AA").ok(); }

// Kelurahan-level regions, and those with at least one TPS.
void CountKelurahan(Database* db, int64_t* all, int64_t* with_tps) {
  *all = *with_tps = 0;
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kRegions);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::Region region;
    ASSERT_TRUE(region.ParseFromString(it->value().ToString()));
    if (region.level() != v1::REGION_LEVEL_KELURAHAN) continue;
    ++*all;
    if (region.tps_count() > 0) ++*with_tps;
  }
}

TEST_F(RegionImportTest, RealCsvsThenKpuJson) {
  SKIP_WITHOUT_SHARED_DATA();
  absl::StatusOr<ImportReport> report =
      Import({SharedData(kWilayahCsv), SharedData(kTpsPerKelurahanCsv)});
  ASSERT_TRUE(report.ok()) << report.status();
  const int64_t letters = LetterCodesAccepted() ? 0 : kLetterCodesInCsv;
  const int64_t letter_kelurahan =
      LetterCodesAccepted() ? 0 : kLetterKelurahanInCsv;
  EXPECT_EQ(report->ErrorCount(), letters) << report->ToString();
  EXPECT_EQ(report->Count(problem::kBadCode), letters);
  EXPECT_EQ(report->Count(problem::kOrphan), 0);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 822116);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_KELURAHAN).added,
            83859 - letter_kelurahan);
  EXPECT_EQ(report->Count(problem::kKelurahanWithoutTps),
            67 - letter_kelurahan);
  EXPECT_EQ(report->Count(problem::kTpsNumberingGaps), 0);
  EXPECT_EQ(report->Count(problem::kSpecialTps), 1822);
  EXPECT_EQ(Region("")->tps_count(), 822116);
  int64_t kelurahan = 0, with_tps = 0;
  CountKelurahan(db_.get(), &kelurahan, &with_tps);
  EXPECT_EQ(kelurahan, 83859 - letter_kelurahan);
  EXPECT_EQ(with_tps, 83792);
  absl::StatusOr<v1::Region> lubuk = Region("1207281007");
  ASSERT_TRUE(lubuk.ok());
  EXPECT_EQ(lubuk->name(), "LUBUK PAKAM I,II");

  // The KPU JSON on top places everything: its kelurahan are now known.
  report = Import({SharedData(kKpuJsonFolder)});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->Count(problem::kOrphan), 0) << report->ToString();
  EXPECT_EQ(report->Count(problem::kNameConflict), 0);
  EXPECT_EQ(report->ErrorCount(),
            LetterCodesAccepted() ? 0 : kLetterCitiesInJson)
      << report->ToString();
  absl::StatusOr<v1::Tps> tps = Tps("3173011005001");
  ASSERT_TRUE(tps.ok()) << tps.status();
  EXPECT_EQ(tps->name(), "TPS 001");
  EXPECT_EQ(tps->parent(), "3173011005");
  EXPECT_EQ(Region("3173011005")->name(), "KAPUK");
  EXPECT_EQ(Region("3173011005")->tps_count(), 451);
  ASSERT_TRUE(Tps("1101012001001").ok());
}

TEST_F(RegionImportTest, RealKpuJsonAloneReportsOrphans) {
  SKIP_WITHOUT_SHARED_DATA();
  absl::StatusOr<ImportReport> report = Import({SharedData(kKpuJsonFolder)});
  ASSERT_TRUE(report.ok()) << report.status();
  // 11/1101/110101/*.json list TPS of kelurahan whose list (110101.json)
  // is not in the folder.
  EXPECT_GT(report->Count(problem::kOrphan), 0) << report->ToString();
  EXPECT_THAT(Samples(*report, problem::kOrphan),
              Contains(HasSubstr("1101012001001: parent 1101012001")));
  EXPECT_TRUE(absl::IsNotFound(Tps("1101012001001").status()));
  EXPECT_TRUE(Tps("3173011005001").ok());
  ExpectTreeConsistent(db_.get());
}

// --- Synthetic tree ---------------------------------------------------------

TEST(SyntheticTreeTest, SmallScaleIsConsistentAndDeterministic) {
  ScratchDir dir;
  SyntheticTreeOptions options;
  options.seed = 5;
  options.scale = 0.01;
  std::unique_ptr<Database> first = OpenDatabase(dir.Sub("first"));
  absl::StatusOr<ImportReport> report =
      GenerateSyntheticTree(first.get(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->ErrorCount(), 0) << report->ToString();
  // 38 provinces and 99; every total at least one per parent.
  EXPECT_EQ(report->at(v1::REGION_LEVEL_PROVINCE).added, 39);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_KABUPATEN).added, 39);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_KECAMATAN).added, 73);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_KELURAHAN).added, 838);
  EXPECT_EQ(report->at(v1::REGION_LEVEL_TPS).added, 8232);
  EXPECT_EQ(report->Count(problem::kKelurahanWithoutTps), 0);
  absl::StatusOr<v1::Region> nation =
      RegionTree(first.get()).GetRegion(RegionCode());
  ASSERT_TRUE(nation.ok());
  EXPECT_EQ(nation->tps_count(), 8232);
  EXPECT_EQ(nation->child_count(), 39);
  ExpectTreeConsistent(first.get());

  std::unique_ptr<Database> second = OpenDatabase(dir.Sub("second"));
  ASSERT_TRUE(GenerateSyntheticTree(second.get(), options).ok());
  EXPECT_EQ(Dump(first.get()), Dump(second.get()));

  options.seed = 6;
  std::unique_ptr<Database> third = OpenDatabase(dir.Sub("third"));
  ASSERT_TRUE(GenerateSyntheticTree(third.get(), options).ok());
  EXPECT_NE(Dump(first.get()), Dump(third.get()));

  // Never on top of an existing tree.
  EXPECT_TRUE(absl::IsFailedPrecondition(
      GenerateSyntheticTree(first.get(), options).status()));
}

TEST(SyntheticTreeTest, KindsAndOptionChecks) {
  ScratchDir dir;
  std::unique_ptr<Database> db = OpenDatabase(dir.Sub("db"));
  SyntheticTreeOptions options;
  options.scale = 0.05;
  options.seed = 11;
  absl::StatusOr<ImportReport> report =
      GenerateSyntheticTree(db.get(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  std::map<v1::TpsKind, int> kinds;
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kTps);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::Tps tps;
    ASSERT_TRUE(tps.ParseFromString(it->value().ToString()));
    ++kinds[tps.kind()];
  }
  EXPECT_GT(kinds[v1::TPS_KIND_REGULAR], 0);
  EXPECT_GT(kinds[v1::TPS_KIND_SPECIAL_LOCATION], 0);
  EXPECT_GT(kinds[v1::TPS_KIND_POSTAL], 0);
  EXPECT_GT(kinds[v1::TPS_KIND_MOBILE_BOX], 0);
  EXPECT_EQ(report->Count(problem::kSpecialTps),
            kinds[v1::TPS_KIND_SPECIAL_LOCATION]);

  ScratchDir other;
  std::unique_ptr<Database> empty = OpenDatabase(other.Sub("db"));
  options.provinces = 39;
  EXPECT_TRUE(absl::IsInvalidArgument(
      GenerateSyntheticTree(empty.get(), options).status()));
  options.provinces = 2;
  options.scale = 1.0;  // 514 kabupaten do not fit in 2 provinces
  EXPECT_TRUE(absl::IsInvalidArgument(
      GenerateSyntheticTree(empty.get(), options).status()));
  options.scale = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(
      GenerateSyntheticTree(empty.get(), options).status()));
}

}  // namespace
}  // namespace c1tally
