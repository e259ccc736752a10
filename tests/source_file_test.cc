// Reading import sources: plain and gzip files, JSON files of a folder.
#include "storage/source_file.h"

#include <zlib.h>

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;

TEST(SourceFileTest, PlainGzipAndBom) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("a.json"), "\xEF\xBB\xBF{\"x\":1}");
  gzFile gz = gzopen(dir.Sub("b.json.gz").c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzputs(gz, "[1,2]");
  gzclose(gz);
  EXPECT_EQ(*ReadSourceFile(dir.Sub("a.json")), "{\"x\":1}");
  EXPECT_EQ(*ReadSourceFile(dir.Sub("b.json.gz")), "[1,2]");
  EXPECT_TRUE(absl::IsNotFound(ReadSourceFile(dir.Sub("none")).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ReadSourceFile(dir.path()).status()));
  // A gzip stream cut short is data loss, not a short file.
  const std::string whole = testing::ReadFile(dir.Sub("b.json.gz"));
  testing::WriteFile(dir.Sub("c.json.gz"), whole.substr(0, whole.size() - 6));
  EXPECT_TRUE(absl::IsDataLoss(ReadSourceFile(dir.Sub("c.json.gz")).status()));
}

TEST(SourceFileTest, JsonFilesUnderAFolderInPathOrder) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.Sub("x/y"));
  testing::WriteFile(dir.Sub("x/y/2.json"), "{}");
  testing::WriteFile(dir.Sub("x/1.JSON"), "{}");
  testing::WriteFile(dir.Sub("x/notes.txt"), "");
  EXPECT_THAT(*JsonFilesUnder(dir.path()),
              ElementsAre(dir.Sub("x/1.JSON"), dir.Sub("x/y/2.json")));
  EXPECT_TRUE(IsJsonPath("a.json.gz"));
  EXPECT_FALSE(IsJsonPath("a.csv"));
  std::filesystem::create_directories(dir.Sub("empty"));
  EXPECT_TRUE(
      absl::IsInvalidArgument(JsonFilesUnder(dir.Sub("empty")).status()));
}

}  // namespace
}  // namespace c1tally
