// SourceRecords on its own: what Admit() keeps and what it reports (and
// why), origins as samples show them, and appending one source to another.
#include "storage/source_records.h"

#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

namespace problem = import_problem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

SourceRecord Record(const std::string& code, const std::string& name,
                    int tingkat, uint32_t source = 0, uint32_t position = 0) {
  SourceRecord record;
  record.code = code;
  record.name = name;
  record.tingkat = tingkat;
  record.source = source;
  record.position = position;
  return record;
}

TEST(SourceRecordsTest, AdmitKeepsTrimmedRecordsWithTheirLevel) {
  SourceRecords records;
  records.AddName("regions.csv", /*json=*/false);
  SourceRecord aceh = Record(" 11 ", "  ACEH ", 1, 0, 2);
  aceh.kpu_id = 100054;
  records.Admit(aceh);
  // No claimed level: the code's width says.
  records.Admit(Record("1101012001001", "TPS 001", 0, 0, 3));
  ASSERT_EQ(records.records.size(), 2u);
  EXPECT_EQ(records.records[0].code, "11");
  EXPECT_EQ(records.records[0].name, "ACEH");
  EXPECT_EQ(records.records[0].kpu_id, 100054);
  EXPECT_EQ(records.records[0].tingkat, v1::REGION_LEVEL_PROVINCE);
  EXPECT_EQ(records.records[0].position, 2u);
  EXPECT_EQ(records.records[1].tingkat, v1::REGION_LEVEL_TPS);
  EXPECT_THAT(records.report.problems, IsEmpty());
  // Counting records read is the reader's business.
  EXPECT_EQ(records.report.records_read, 0);
}

TEST(SourceRecordsTest, AdmitReportsWhatNoRecordCanFix) {
  SourceRecords records;
  records.AddName("regions.csv", /*json=*/false);
  records.Admit(Record("1x01", "BAD", 2, 0, 3));
  records.Admit(Record("", "INDONESIA", 0, 0, 4));
  records.Admit(Record("00", "ZERO", 1, 0, 5));
  records.Admit(Record("1101", "ACEH SELATAN", 3, 0, 6));
  records.Admit(Record("16", "   ", 1, 0, 7));
  EXPECT_THAT(records.records, IsEmpty());
  EXPECT_EQ(records.report.Count(problem::kBadCode), 3);
  EXPECT_THAT(records.report.Samples(problem::kBadCode),
              ElementsAre(HasSubstr("regions.csv:3: region code \"1x01\""),
                          HasSubstr("regions.csv:4: code \"\" is the "
                                    "nation's, which is not imported"),
                          HasSubstr("province 00")));
  EXPECT_THAT(records.report.Samples(problem::kLevelMismatch),
              ElementsAre("regions.csv:6: code 1101 has 4 digits "
                          "(kabupaten/kota) but tingkat is 3"));
  EXPECT_THAT(records.report.Samples(problem::kBadRow),
              ElementsAre("regions.csv:7: code 16 has an empty name"));
  EXPECT_EQ(records.report.ErrorCount(), 5);
}

TEST(SourceRecordsTest, OriginsNameFileLineOrElement) {
  SourceRecords records;
  EXPECT_EQ(records.AddName("regions.csv", /*json=*/false), 0u);
  EXPECT_EQ(records.AddName("11.json", /*json=*/true), 1u);
  EXPECT_EQ(records.Origin(0, 7), "regions.csv:7");
  EXPECT_EQ(records.Origin(1, 2), "11.json: element 2");
  EXPECT_EQ(records.Origin(1, 0), "11.json");
  EXPECT_EQ(records.Origin(Record("11", "ACEH", 1, 0, 3)), "regions.csv:3");
  records.Problem(problem::kBadRow, 1, 4, "not a JSON object");
  EXPECT_THAT(records.report.Samples(problem::kBadRow),
              ElementsAre("11.json: element 4: not a JSON object"));
}

TEST(SourceRecordsTest, LastOrNewNameKeepsOneCopyOfARepeatedOrigin) {
  SourceRecords records;
  EXPECT_EQ(records.LastOrNewName("memory"), 0u);
  EXPECT_EQ(records.LastOrNewName("memory"), 0u);
  EXPECT_EQ(records.LastOrNewName("elsewhere"), 1u);
  EXPECT_EQ(records.LastOrNewName("memory"), 2u);
  // A JSON file's name counts elements, so it is not reused for lines.
  records.AddName("x.json", /*json=*/true);
  EXPECT_EQ(records.LastOrNewName("x.json"), 4u);
  EXPECT_EQ(records.names.size(), 5u);
  EXPECT_FALSE(records.names[4].json);
}

TEST(SourceRecordsTest, AppendRenumbersTheOtherSourceNames) {
  SourceRecords all;
  all.AddName("regions.csv", /*json=*/false);
  all.Admit(Record("11", "ACEH", 1, 0, 2));
  all.report.records_read = 1;

  SourceRecords json;
  json.AddName("a.json", /*json=*/true);
  json.AddName("b.json", /*json=*/true);
  json.Admit(Record("1101", "ACEH SELATAN", 2, 1, 1));
  json.Admit(Record("12", "", 1, 0, 1));
  json.report.records_read = 2;

  all.Append(std::move(json));
  ASSERT_EQ(all.records.size(), 2u);
  EXPECT_EQ(all.records[1].code, "1101");
  EXPECT_EQ(all.Origin(all.records[1]), "b.json: element 1");
  EXPECT_EQ(all.Origin(all.records[0]), "regions.csv:2");
  EXPECT_EQ(all.report.records_read, 3);
  EXPECT_THAT(all.report.Samples(problem::kBadRow),
              ElementsAre("a.json: element 1: code 12 has an empty name"));
}

}  // namespace
}  // namespace c1tally
