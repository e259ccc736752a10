// Reading KPU's region sources on their own: the wilayah CSV, the TPS CSV
// (numbers from jumlah_tps or listed, the kelurahan reference) and KPU
// region JSON (a file, a folder), with what each counts as read and what
// makes a whole file fail.
#include "storage/kpu_region_sources.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

namespace problem = import_problem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTpsHeader[] =
    "kode_kelurahan,nama_kelurahan,jumlah_tps,tps_suffixes_if_noncontiguous\n";

std::vector<std::string> Codes(const SourceRecords& records) {
  std::vector<std::string> codes;
  for (const SourceRecord& record : records.records) {
    codes.push_back(record.code);
  }
  return codes;
}

class KpuRegionSourcesTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.Sub(name);
    testing::WriteFile(path, text);
    return path;
  }

  testing::TempDir dir_;
};

TEST_F(KpuRegionSourcesTest, WilayahCsvRowsBecomeRecords) {
  const std::string path = Write("regions.csv",
                                 "kode,nama,tingkat,kpu_id\n"
                                 "11,ACEH,1,100054\n"
                                 "1101,\"ACEH, SELATAN\",2,\n"
                                 "12,SUMATERA UTARA\n");
  absl::StatusOr<SourceRecords> read =
      ReadRegionCsv(path, RegionCsvKind::kWilayah);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(Codes(*read), ElementsAre("11", "1101"));
  EXPECT_EQ(read->records[0].name, "ACEH");
  EXPECT_EQ(read->records[0].kpu_id, 100054);
  EXPECT_EQ(read->records[0].tingkat, 1);
  EXPECT_EQ(read->Origin(read->records[0]), path + ":2");
  EXPECT_EQ(read->records[1].name, "ACEH, SELATAN");
  EXPECT_EQ(read->records[1].kpu_id, 0);
  EXPECT_FALSE(read->records[1].reference_only);
  // A faulty row is read, reported and skipped.
  EXPECT_EQ(read->report.records_read, 3);
  EXPECT_THAT(read->report.Samples(problem::kBadRow),
              ElementsAre(HasSubstr(":4: expected 4 columns")));
}

TEST_F(KpuRegionSourcesTest, HeaderDecidesTheKind) {
  // Case and blanks in the header do not matter, nor does a BOM.
  const std::string wilayah =
      Write("wilayah.csv",
            "\xEF\xBB\xBF KODE , Nama,TINGKAT,kpu_id\r\n11,ACEH,1,1\r\n");
  const std::string tps =
      Write("tps.csv", std::string(kTpsHeader) + "1101012001,KEUDE,1,\n");
  absl::StatusOr<SourceRecords> either =
      ReadRegionCsv(wilayah, RegionCsvKind::kEither);
  ASSERT_TRUE(either.ok()) << either.status();
  EXPECT_THAT(Codes(*either), ElementsAre("11"));
  either = ReadRegionCsv(tps, RegionCsvKind::kEither);
  ASSERT_TRUE(either.ok()) << either.status();
  EXPECT_THAT(Codes(*either), ElementsAre("1101012001", "1101012001001"));

  absl::StatusOr<SourceRecords> wrong =
      ReadRegionCsv(wilayah, RegionCsvKind::kTps);
  EXPECT_TRUE(absl::IsInvalidArgument(wrong.status())) << wrong.status();
  wrong = ReadRegionCsv(tps, RegionCsvKind::kWilayah);
  EXPECT_TRUE(absl::IsInvalidArgument(wrong.status())) << wrong.status();
  absl::StatusOr<SourceRecords> unknown = ReadRegionCsv(
      Write("other.csv", "a,b,c\n1,2,3\n"), RegionCsvKind::kEither);
  EXPECT_TRUE(absl::IsInvalidArgument(unknown.status()));
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("its first line is \"a,b,c\""));
  EXPECT_THAT(std::string(unknown.status().message()),
              HasSubstr("kode,nama,tingkat,kpu_id"));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ReadRegionCsv(Write("empty.csv", ""), RegionCsvKind::kEither).status()));
  // A header that is not even valid CSV.
  EXPECT_TRUE(absl::IsInvalidArgument(
      ReadRegionCsv(Write("quote.csv", "kode,na\"ma,tingkat,kpu_id\n"),
                    RegionCsvKind::kEither)
          .status()));
  EXPECT_TRUE(absl::IsNotFound(
      ReadRegionCsv(dir_.Sub("missing.csv"), RegionCsvKind::kEither).status()));
}

TEST_F(KpuRegionSourcesTest, TpsCsvNumbersFromCountOrList) {
  const std::string path = Write("tps.csv", std::string(kTpsHeader) +
                                                "1101012001,KEUDE BAKONGAN,3,\n"
                                                "1101012002,  ,2,001 \t 901\n"
                                                "1101012003,EMPTY,0,\n");
  absl::StatusOr<SourceRecords> read = ReadRegionCsv(path, RegionCsvKind::kTps);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(Codes(*read),
              ElementsAre("1101012001", "1101012001001", "1101012001002",
                          "1101012001003", "1101012002001", "1101012002901",
                          "1101012003"));
  // The kelurahan is a reference, not a definition; a blank name gives
  // none.
  EXPECT_TRUE(read->records[0].reference_only);
  EXPECT_EQ(read->records[0].name, "KEUDE BAKONGAN");
  EXPECT_TRUE(read->records[6].reference_only);
  for (size_t i = 1; i <= 5; ++i) {
    EXPECT_FALSE(read->records[i].reference_only);
    EXPECT_EQ(read->records[i].tingkat, v1::REGION_LEVEL_TPS);
  }
  EXPECT_EQ(read->records[3].name, "TPS 003");
  EXPECT_EQ(read->records[5].name, "TPS 901");
  EXPECT_EQ(read->Origin(read->records[5]), path + ":3");
  // One record read per TPS; references count for nothing.
  EXPECT_EQ(read->report.records_read, 5);
  EXPECT_THAT(read->report.problems, IsEmpty());
}

TEST_F(KpuRegionSourcesTest, FaultyTpsRowsCountOnceEach) {
  const std::string path = Write("tps.csv", std::string(kTpsHeader) +
                                                "1101012001,A,1000,\n"
                                                "1101012001,A,3,001 002\n"
                                                "1101012001,A,2,001 1\n"
                                                "110101,KECAMATAN,5,\n"
                                                "11010120x1,X,5,\n"
                                                "1101012001,A\n");
  absl::StatusOr<SourceRecords> read = ReadRegionCsv(path, RegionCsvKind::kTps);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->records, IsEmpty());
  EXPECT_EQ(read->report.records_read, 6);
  EXPECT_THAT(read->report.Samples(problem::kBadRow),
              ElementsAre(HasSubstr(":2: jumlah_tps \"1000\" is not a number "
                                    "from 0 to 999; row skipped"),
                          HasSubstr(":3: jumlah_tps is 3 but 2 TPS numbers"),
                          HasSubstr(":4: TPS number \"1\" is not 3 digits"),
                          HasSubstr(":7: expected 4 columns")));
  // A code of another level, or no code: one problem for the row, not one
  // per TPS.
  EXPECT_THAT(read->report.Samples(problem::kLevelMismatch),
              ElementsAre(HasSubstr(":5: kode_kelurahan: ")));
  EXPECT_THAT(read->report.Samples(problem::kBadCode),
              ElementsAre(HasSubstr(":6: kode_kelurahan: ")));
}

TEST_F(KpuRegionSourcesTest, KpuJsonFileElements) {
  const std::string path =
      Write("11.json",
            R"([{"nama":"ACEH SELATAN","id":100055,"kode":"1101","tingkat":2},
          {"nama":"ACEH TENGGARA","kode":"1102","tingkat":2,"id":null},
          {"nama":"X","id":9223372036854775808,"kode":"1103","tingkat":2},
          "not an object"])");
  absl::StatusOr<SourceRecords> read = ReadKpuRegionJson(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(Codes(*read), ElementsAre("1101", "1102"));
  EXPECT_EQ(read->records[0].kpu_id, 100055);
  EXPECT_EQ(read->records[1].kpu_id, 0);
  EXPECT_EQ(read->Origin(read->records[1]), path + ": element 2");
  EXPECT_EQ(read->report.records_read, 4);
  EXPECT_THAT(read->report.Samples(problem::kBadRow),
              ElementsAre(HasSubstr("element 3: \"id\" is not a non-negative"),
                          HasSubstr("element 4: not a JSON object")));
}

TEST_F(KpuRegionSourcesTest, KpuJsonFolderInPathOrder) {
  std::filesystem::create_directories(dir_.Sub("json/11"));
  Write("json/11/1101.json",
        R"([{"nama":"BAKONGAN","id":3,"kode":"110101","tingkat":3}])");
  Write("json/11.json",
        R"([{"nama":"ACEH SELATAN","id":2,"kode":"1101","tingkat":2}])");
  Write("json/0.json", "{not json");
  Write("json/notes.txt", "not read");
  absl::StatusOr<SourceRecords> read = ReadKpuRegionJson(dir_.Sub("json"));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(Codes(*read), ElementsAre("1101", "110101"));
  ASSERT_EQ(read->names.size(), 3u);
  EXPECT_TRUE(read->names[0].json);
  EXPECT_THAT(read->names[0].name, HasSubstr("0.json"));
  // An unparsable file counts as one record read, and fails nothing else.
  EXPECT_EQ(read->report.records_read, 3);
  EXPECT_THAT(read->report.Samples(problem::kBadRow),
              ElementsAre(HasSubstr("0.json: not valid JSON")));

  std::filesystem::create_directories(dir_.Sub("none"));
  EXPECT_TRUE(
      absl::IsInvalidArgument(ReadKpuRegionJson(dir_.Sub("none")).status()));
  EXPECT_TRUE(
      absl::IsNotFound(ReadKpuRegionJson(dir_.Sub("missing.json")).status()));
}

}  // namespace
}  // namespace c1tally
