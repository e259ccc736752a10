// ImportReport on its own: counting problems with a bounded number of
// samples, error and note kinds, merging, and the summary text.
#include "storage/import_report.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

namespace problem = import_problem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ImportReportTest, CountsEveryProblemAndKeepsTheFirstSamples) {
  ImportReport report;
  for (int i = 0; i < 8; ++i) {
    report.Add(problem::kOrphan, absl::StrCat("orphan ", i));
  }
  report.Add(problem::kSpecialTps, "901");
  EXPECT_EQ(report.Count(problem::kOrphan), 8);
  EXPECT_EQ(report.Count(problem::kSpecialTps), 1);
  EXPECT_EQ(report.Count(problem::kBadRow), 0);
  EXPECT_THAT(
      report.Samples(problem::kOrphan),
      ElementsAre("orphan 0", "orphan 1", "orphan 2", "orphan 3", "orphan 4"));
  EXPECT_THAT(report.Samples(problem::kSpecialTps), ElementsAre("901"));
  EXPECT_THAT(report.Samples(problem::kBadRow), ::testing::IsEmpty());
  ASSERT_EQ(ImportReport::kMaxSamples, 5u);
}

TEST(ImportReportTest, ErrorKindsAreTheRecordsNotWritten) {
  for (const char* kind :
       {problem::kBadCode, problem::kLevelMismatch, problem::kOrphan,
        problem::kNameConflict, problem::kBadRow}) {
    EXPECT_TRUE(ImportReport::IsErrorKind(kind)) << kind;
  }
  for (const char* kind :
       {problem::kKelurahanWithoutTps, problem::kTpsNumberingGaps,
        problem::kSpecialTps, problem::kOverseas, "something_else"}) {
    EXPECT_FALSE(ImportReport::IsErrorKind(kind)) << kind;
  }

  ImportReport report;
  report.Add(problem::kOverseas, "99");
  report.Add(problem::kSpecialTps, "901");
  EXPECT_EQ(report.ErrorCount(), 0);
  EXPECT_FALSE(report.HasErrors());
  report.Add(problem::kBadRow, "a");
  report.Add(problem::kOrphan, "b");
  report.Add(problem::kOrphan, "c");
  EXPECT_EQ(report.ErrorCount(), 3);
  EXPECT_TRUE(report.HasErrors());
}

TEST(ImportReportTest, MergeAddsProblemsOnly) {
  ImportReport ours;
  for (int i = 0; i < 3; ++i)
    ours.Add(problem::kBadRow, absl::StrCat("ours ", i));
  ours.records_read = 10;
  ours.at(v1::REGION_LEVEL_TPS).added = 4;
  ImportReport theirs;
  for (int i = 0; i < 4; ++i) {
    theirs.Add(problem::kBadRow, absl::StrCat("theirs ", i));
  }
  theirs.Add(problem::kOverseas, "99");
  theirs.records_read = 7;
  theirs.counts_updated = 2;
  theirs.at(v1::REGION_LEVEL_TPS).added = 9;

  ours.MergeProblems(theirs);
  EXPECT_EQ(ours.Count(problem::kBadRow), 7);
  EXPECT_EQ(ours.Count(problem::kOverseas), 1);
  EXPECT_THAT(
      ours.problems.at(problem::kBadRow).samples,
      ElementsAre("ours 0", "ours 1", "ours 2", "theirs 0", "theirs 1"));
  EXPECT_EQ(ours.records_read, 10);
  EXPECT_EQ(ours.counts_updated, 0);
  EXPECT_EQ(ours.at(v1::REGION_LEVEL_TPS).added, 4);
}

TEST(ImportReportTest, SummaryWithoutProblems) {
  ImportReport report;
  report.records_read = 12;
  report.counts_updated = 3;
  report.at(v1::REGION_LEVEL_KELURAHAN).added = 4;
  report.at(v1::REGION_LEVEL_KELURAHAN).updated = 2;
  report.at(v1::REGION_LEVEL_KELURAHAN).unchanged = 1;
  const std::string text = report.ToString();
  EXPECT_THAT(text, HasSubstr("No problems: every record read was placed."));
  EXPECT_THAT(text, Not(HasSubstr("PROBLEMS")));
  EXPECT_THAT(text, Not(HasSubstr("Notes")));
  EXPECT_THAT(text, HasSubstr("Records read: 12\n"));
  EXPECT_THAT(text, HasSubstr("rewritten for 3 regions"));
  // One row per level, the counts right-aligned in their columns.
  EXPECT_THAT(text, HasSubstr("\nkelurahan/desa           4         2"
                              "         1\n"));
  EXPECT_THAT(text, HasSubstr("\nTPS                      0         0"
                              "         0\n"));
}

TEST(ImportReportTest, SummaryListsErrorsThenNotesInTheirOrder) {
  ImportReport report;
  // Added out of the summary's order.
  report.Add(problem::kOverseas, "99: LUAR NEGERI");
  report.Add("unheard_of", "x");
  report.Add(problem::kOrphan, "110101: parent 1101");
  report.Add(problem::kKelurahanWithoutTps, "1101012003: UJONG PADANG");
  for (int i = 0; i < 6; ++i) {
    report.Add(problem::kBadRow, absl::StrCat("regions.csv:", i + 2));
  }
  const std::string text = report.ToString();
  EXPECT_THAT(text, HasSubstr("PROBLEMS: 7 records or rows were not written"));
  EXPECT_THAT(text, Not(HasSubstr("No problems")));
  const size_t bad_row = text.find("  bad_row: 6\n");
  const size_t orphan = text.find("  orphan: 1\n");
  const size_t notes = text.find("Notes (records written):");
  const size_t without_tps = text.find("  kelurahan_without_tps: 1\n");
  const size_t overseas = text.find("  overseas: 1\n");
  const size_t unheard_of = text.find("  unheard_of: 1\n");
  const size_t levels = text.find("Records read:");
  for (size_t at :
       {bad_row, orphan, notes, without_tps, overseas, unheard_of, levels}) {
    ASSERT_NE(at, std::string::npos) << text;
  }
  EXPECT_LT(bad_row, orphan);
  EXPECT_LT(orphan, notes);
  EXPECT_LT(notes, without_tps);
  EXPECT_LT(without_tps, overseas);
  EXPECT_LT(overseas, unheard_of);
  EXPECT_LT(unheard_of, levels);
  // Samples under their kind; "..." when some were not kept.
  EXPECT_THAT(text, HasSubstr("  bad_row: 6\n      regions.csv:2\n"));
  EXPECT_THAT(text, HasSubstr("      regions.csv:6\n      ...\n  orphan: 1\n"
                              "      110101: parent 1101\n"));
}

}  // namespace
}  // namespace c1tally
