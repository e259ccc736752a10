// Cell preparation on drawn boxes: the frame goes, the ink stays, even
// where the ink runs along the frame.
#include <opencv2/imgproc.hpp>

#include "gtest/gtest.h"
#include "ocr/digit_cell.h"

namespace c1tally::ocr {
namespace {

// A 60×60 crop of a grey-paper box: the frame from (8,8) to (51,51), its
// print `top_left` px thick at the top and left, `bottom_right` at the
// bottom and right (a photo's blur is not the same all round).
cv::Mat Box(int top_left = 3, int bottom_right = 3) {
  cv::Mat box(60, 60, CV_8UC1, cv::Scalar(235));
  const cv::Scalar print(25);
  box(cv::Rect(8, 8, 44, top_left)).setTo(print);
  box(cv::Rect(8, 8, top_left, 44)).setTo(print);
  box(cv::Rect(8, 52 - bottom_right, 44, bottom_right)).setTo(print);
  box(cv::Rect(52 - bottom_right, 8, bottom_right, 44)).setTo(print);
  return box;
}

// Share of the prepared digit's ink that lies in its bottom quarter.
double InkInBottomQuarter(const PreparedCell& cell) {
  const double all = cv::sum(cell.digit)[0];
  const double bottom = cv::sum(
      cell.digit(cv::Rect(0, kCellSide * 3 / 4, kCellSide, kCellSide / 4)))[0];
  return all > 0 ? bottom / all : 0;
}

TEST(PrepareCellTest, EmptyBoxIsBlankEvenWithUnevenFrame) {
  for (const auto& [top_left, bottom_right] :
       std::vector<std::pair<int, int>>{{3, 3}, {2, 4}, {3, 5}}) {
    absl::StatusOr<PreparedCell> cell =
        PrepareCell(Box(top_left, bottom_right));
    ASSERT_TRUE(cell.ok()) << cell.status();
    EXPECT_TRUE(cell->blank) << top_left << "/" << bottom_right;
    EXPECT_EQ(cv::countNonZero(cell->digit), 0);
  }
}

TEST(PrepareCellTest, KeepsTheFootOfATwoWrittenAlongTheFrame) {
  // A 2 whose foot runs along the bottom frame, a pixel or two above it.
  cv::Mat box = Box();
  const std::vector<cv::Point> two = {{20, 20}, {26, 15}, {34, 15}, {38, 21},
                                      {35, 29}, {19, 45}, {42, 45}};
  cv::polylines(box, two, false, cv::Scalar(40), 3, cv::LINE_AA);
  absl::StatusOr<PreparedCell> cell = PrepareCell(box);
  ASSERT_TRUE(cell.ok()) << cell.status();
  ASSERT_FALSE(cell->blank);
  // The foot is a good part of a 2's ink; cut off (as when it is written
  // on the frame itself: 0.20), the bottom quarter of the digit holds only
  // the end of the diagonal.
  EXPECT_GT(InkInBottomQuarter(*cell), 0.25);
}

TEST(PrepareCellTest, RefusesWhatIsNoBoxCrop) {
  EXPECT_FALSE(PrepareCell(cv::Mat()).ok());
  EXPECT_FALSE(PrepareCell(cv::Mat(4, 4, CV_8UC1, cv::Scalar(0))).ok());
  EXPECT_FALSE(PrepareCell(cv::Mat(40, 40, CV_32FC1, cv::Scalar(0))).ok());
  EXPECT_FALSE(
      PrepareCell(cv::Mat(kMaxCellSide + 1, 40, CV_8UC1, cv::Scalar(0))).ok());
}

}  // namespace
}  // namespace c1tally::ocr
