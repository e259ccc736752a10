// Synthetic Sirekap records: they parse, say what the generator claims, are
// consistent unless made misread, and repeat for the same code and seed.
#include "audit/sirekap_synthetic.h"

#include "absl/strings/str_cat.h"
#include "audit/sirekap_checks.h"
#include "audit/sirekap_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

TEST(SirekapSyntheticTest, RecordsAreWhatTheGeneratorSays) {
  const SirekapRace& race = *FindSirekapRace("ppwp");
  int states[kSirekapStateCount] = {};
  int misread = 0;
  constexpr int kRecords = 5000;
  for (int i = 0; i < kRecords; ++i) {
    const std::string code = absl::StrCat(
        "31010110", 10 + i / 999, absl::Dec(1 + i % 999, absl::kZeroPad3));
    const SyntheticSirekapRecord made = MakeSyntheticSirekapRecord(code, 7);
    absl::StatusOr<v1::SirekapRecord> record =
        ParseSirekapRecord(made.json, {"ppwp", code});
    ASSERT_TRUE(record.ok()) << record.status() << "\n" << made.json;
    ASSERT_EQ(StateOf(*record), made.state) << made.json;
    ++states[static_cast<int>(made.state)];
    std::vector<std::string> kinds;
    for (const SirekapIssue& issue : CheckTpsRecord(*record, race)) {
      kinds.push_back(issue.kind);
    }
    if (made.state != SirekapState::kComplete) {
      ASSERT_THAT(kinds, ::testing::Contains("incomplete"));
    } else if (made.chart_misread) {
      ++misread;
      ASSERT_THAT(kinds, ::testing::Contains("chart_sum_mismatch"));
    } else {
      ASSERT_THAT(kinds, ::testing::IsEmpty()) << made.json;
    }
    EXPECT_EQ(MakeSyntheticSirekapRecord(code, 7).json, made.json);
  }
  // The real sample's mix (422 / 113 / 117 / 348 of 1,000), within noise.
  EXPECT_NEAR(states[static_cast<int>(SirekapState::kEmpty)], 0.422 * kRecords,
              150);
  EXPECT_NEAR(states[static_cast<int>(SirekapState::kComplete)],
              0.348 * kRecords, 150);
  EXPECT_GT(misread, 0);
  EXPECT_NE(MakeSyntheticSirekapRecord("3101011001001", 7).json,
            MakeSyntheticSirekapRecord("3101011001001", 8).json);
}

}  // namespace
}  // namespace c1tally
