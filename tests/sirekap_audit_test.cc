// SirekapAudit over a set of records: duplicates, states, and aggregates
// against their children's records.
#include "audit/sirekap_audit.h"

#include <filesystem>

#include "audit/sirekap_files.h"
#include "audit/sirekap_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::SirekapRecord Parse(const std::string& code, const std::string& json) {
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json, {"ppwp", code});
  EXPECT_TRUE(record.ok()) << record.status();
  return record.value_or(v1::SirekapRecord());
}

TEST(SirekapAuditTest, NewerDuplicateWinsAndAggregatesMeetChildren) {
  SirekapAudit audit;
  // An old reading of TPS 001 with a broken sum, then the corrected one.
  audit.Add(Parse("1101012001001", R"({"ts":"2024-02-15 10:00:00",
      "chart":{"100025":144,"100026":19,"100027":2},
      "administrasi":{"suara_sah":200,"suara_tidak_sah":1,
                      "suara_total":201}})"));
  audit.Add(Parse("1101012001001", R"({"ts":"2024-02-16 10:00:00",
      "chart":{"100025":144,"100026":19,"100027":2},
      "administrasi":{"suara_sah":165,"suara_tidak_sah":1,
                      "suara_total":166}})"));
  // An even older one must not replace it.
  audit.Add(Parse("1101012001001", R"({"ts":"2024-02-14 10:00:00",
      "chart":null,"administrasi":null})"));
  audit.Add(Parse("1101012001002", R"({"chart":{"100025":209,"100026":37,
      "100027":6},"administrasi":null})"));
  // The kelurahan's row for 002 says 210 where the TPS says 209.
  audit.Add(Parse("1101012001", R"({"chart":{"100025":354,"100026":56,
      "100027":8},"table":{"1101012001001":{"100025":144,"100026":19,
      "100027":2},"1101012001002":{"100025":210,"100026":37,"100027":6}}})"));
  audit.Reject("x.json", "malformed JSON");

  SirekapAudit::Summary summary;
  std::vector<SirekapAudit::Finding> findings = audit.Finish(&summary);
  EXPECT_EQ(summary.tps_records, 2);
  EXPECT_EQ(summary.aggregate_records, 1);
  EXPECT_EQ(summary.duplicates, 2);
  EXPECT_EQ(summary.states[static_cast<int>(SirekapState::kComplete)], 1);
  EXPECT_EQ(summary.states[static_cast<int>(SirekapState::kChartOnly)], 1);
  ASSERT_EQ(summary.rejected.size(), 1u);
  ASSERT_EQ(findings.size(), 2u);
  // Sorted by code: the kelurahan first. 144 + 210 = 354, so its own sum
  // holds; only the row against the TPS differs.
  EXPECT_EQ(findings[0].code, "1101012001");
  EXPECT_FALSE(findings[0].is_tps);
  ASSERT_EQ(findings[0].issues.size(), 1u);
  EXPECT_EQ(findings[0].issues[0].kind, "aggregate_child_mismatch");
  EXPECT_THAT(findings[0].issues[0].detail, HasSubstr("row 1101012001002"));
  // TPS 002 has no administrasi: incomplete. TPS 001's newest reading is
  // consistent and not listed.
  EXPECT_EQ(findings[1].code, "1101012001002");
  ASSERT_EQ(findings[1].issues.size(), 1u);
  EXPECT_EQ(findings[1].issues[0].kind, "incomplete");
}

TEST(SirekapAuditTest, FilesOfAFolderTree) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.Sub("hhcw/ppwp/11"));
  testing::WriteFile(dir.Sub("hhcw/ppwp.json"),
                     R"({"chart":{"100025":5},"table":{"11":{"100025":5}}})");
  testing::WriteFile(dir.Sub("hhcw/ppwp/11.json"),
                     R"({"chart":{"100025":4},"table":{}})");
  absl::StatusOr<std::vector<std::string>> files =
      ExpandSirekapPaths({dir.path()});
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  SirekapAudit audit;
  for (const std::string& file : *files) {
    absl::StatusOr<v1::SirekapRecord> record =
        LoadSirekapFile(file, "ppwp", /*keep_raw=*/true);
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_EQ(record->raw_json(), testing::ReadFile(file));
    audit.Add(*record);
  }
  SirekapAudit::Summary summary;
  std::vector<SirekapAudit::Finding> findings = audit.Finish(&summary);
  // The nation's row for 11 says 5, province 11's own record 4.
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "");
  EXPECT_EQ(findings[0].issues[0].kind, "aggregate_child_mismatch");
  EXPECT_FALSE(ExpandSirekapPaths({dir.Sub("missing")}).ok());
  EXPECT_FALSE(
      LoadSirekapFile(dir.Sub("hhcw/ppwp/12.json"), "ppwp", false).ok());
}

}  // namespace
}  // namespace c1tally
