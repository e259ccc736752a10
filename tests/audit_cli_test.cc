// The `c1ctl audit` commands as a user runs them: import with fetch times,
// history, exit codes, and the usage errors.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

testing::ProgramResult C1ctl(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BinaryPath("c1ctl"));
  return testing::RunProgram(args);
}

TEST(AuditCliTest, ImportTwiceKeepsOneVersionAndHistoryShowsIt) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.Sub("in"));
  testing::WriteFile(
      dir.Sub("in/3101011001001.json"),
      R"({"chart":{"null":null,"100025":83,"100026":107,"100027":38},
          "administrasi":null,"ts":"2024-02-16 16:25:10"})");
  testing::WriteFile(dir.Sub("in/3101011001002.json"), R"({"chart":[)");
  const std::string data = "--data=" + dir.Sub("db");

  testing::ProgramResult first =
      C1ctl({"audit", "sirekap", "import", dir.Sub("in"), data,
             "--fetch_time=2024-02-16T09:00:00Z"});
  EXPECT_EQ(first.exit_code, 3) << first.output;
  EXPECT_THAT(first.output,
              HasSubstr("files=2 imported=1 unchanged=0 rejected=1"));
  EXPECT_THAT(first.output, HasSubstr("3101011001002.json: malformed JSON"));

  testing::WriteFile(dir.Sub("in/3101011001002.json"),
                     R"({"chart":null,"administrasi":null})");
  testing::ProgramResult second =
      C1ctl({"audit", "sirekap", "import", dir.Sub("in"), data,
             "--fetch_time=2024-02-16T18:00:00+07:00"});
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_THAT(second.output,
              HasSubstr("files=2 imported=1 unchanged=1 rejected=0"));

  testing::ProgramResult history =
      C1ctl({"audit", "sirekap", "history", "3101011001001", data});
  ASSERT_EQ(history.exit_code, 0) << history.output;
  std::vector<std::string> lines =
      absl::StrSplit(history.output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u) << history.output;
  nlohmann::json version = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(version["fetch_time"], "2024-02-16T09:00:00Z");
  EXPECT_EQ(version["chart"]["100026"], "107");
  EXPECT_THAT(std::string(version["raw_json"]), HasSubstr("\"100027\":38"));

  // Nothing verified in this database: the comparison lists Sirekap's TPS.
  testing::ProgramResult compare = C1ctl({"audit", "compare", data});
  EXPECT_EQ(compare.exit_code, 0) << compare.output;
  EXPECT_THAT(compare.output, HasSubstr("only_sirekap=1"));
  EXPECT_THAT(compare.output,
              HasSubstr("tps 3101011001001 only_sirekap (3 fields)"));
}

TEST(AuditCliTest, UsageErrors) {
  testing::TempDir dir;
  EXPECT_EQ(C1ctl({"audit", "sirekap", "check"}).exit_code, 2);
  EXPECT_EQ(C1ctl({"audit", "sirekap", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(C1ctl({"audit", "nothing"}).exit_code, 2);
  testing::ProgramResult missing =
      C1ctl({"audit", "sirekap", "check", dir.Sub("missing")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.output, HasSubstr("no such file or folder"));
  testing::WriteFile(dir.Sub("3101011001001.json"), "{}");
  testing::ProgramResult bad_time =
      C1ctl({"audit", "sirekap", "import", dir.Sub("3101011001001.json"),
             "--data=" + dir.Sub("db"), "--fetch_time=yesterday"});
  EXPECT_EQ(bad_time.exit_code, 1);
  EXPECT_THAT(bad_time.output, HasSubstr("is not RFC 3339"));
  testing::ProgramResult no_db =
      C1ctl({"audit", "compare", "--data=" + dir.Sub("none")});
  EXPECT_EQ(no_db.exit_code, 1);
  EXPECT_THAT(no_db.output, HasSubstr("no c1tally database"));
}

}  // namespace
}  // namespace c1tally
