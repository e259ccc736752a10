// ExportTrainingCrops over review tasks settled through the real stores:
// which digit boxes become training data, and under which class.
#include <algorithm>
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/training_crops.h"
#include "tests/ingest_test_support.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;

class TrainingCropsTest : public testing::PhotoPipelineTest {};

TEST_F(TrainingCropsTest, VerifiedDigitBoxesAreExportedForTraining) {
  Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  ClaimAndEnter("budi", 429);
  Read("photo-p3b", ReadingOf(3, {{"suara_sah", 7, false},
                                  {"suara_tidak_sah", 0, false},
                                  {"suara_total", 7, true}}));
  // The second photo's fields: 7 and 0.
  while (true) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("cici");
    if (!task.ok()) break;
    const int64_t value = task->field() == "suara_sah" ? 7 : 0;
    ASSERT_TRUE(
        reviews_->Enter("cici", task->lease_id(), Value(*task, value)).ok());
    absl::StatusOr<v1::ReviewTask> again = reviews_->Claim("dedi");
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(
        reviews_->Enter("dedi", again->lease_id(), Value(*again, value)).ok());
  }
  const std::string out = dir_.Sub("crops");
  absl::StatusOr<int> written = ExportTrainingCrops(db_.get(), out);
  ASSERT_TRUE(written.ok()) << written.status();
  // 429: three boxes; 7: its last box only (the leading ones may be X,
  // blank or 0); 0: nothing (it may be written X X X).
  EXPECT_EQ(*written, 4);
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    if (entry.is_regular_file()) {
      found.push_back(entry.path().parent_path().filename().string() + ":" +
                      testing::ReadFile(entry.path().string()));
    }
  }
  std::sort(found.begin(), found.end());
  EXPECT_THAT(found, ElementsAre("2:box1-of-suara_sah", "4:box0-of-suara_sah",
                                 "7:box2-of-suara_sah", "9:box2-of-suara_sah"));
}

TEST_F(TrainingCropsTest, NothingOpenOrOfAVerdictIsExported) {
  // A selfie people agree is no form (its other task closes with it) ...
  Read("selfie", Selfie());
  ClaimAndSay("cici", v1::ReviewEntry::VERDICT_NOT_A_FORM);
  ClaimAndSay("dedi", v1::ReviewEntry::VERDICT_NOT_A_FORM);
  // ... and a number entered once, not yet verified.
  Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  const std::string out = dir_.Sub("crops");
  absl::StatusOr<int> written = ExportTrainingCrops(db_.get(), out);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 0);
  EXPECT_EQ(testing::CountFiles(out), 0);
}

}  // namespace
}  // namespace c1tally
