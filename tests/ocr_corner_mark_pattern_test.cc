// The corner mark pattern's correlation on its own: equal to
// cv::matchTemplate on real and random patches, in 32-bit and 64-bit sums;
// its peak is the drawn mark, to a fraction of a pixel; what is not the
// pattern scores lower.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/corner_mark_pattern.h"
#include "tests/ocr_test_pages.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

using test_pages::FillRect;

// A w x h mark (its two squares) drawn with its top-left at `at` on a
// `size` white patch.
cv::Mat PatchWithMark(cv::Size size, cv::Point2f at, int w, int h) {
  cv::Mat patch(size, CV_8UC1, cv::Scalar(255));
  const cv::Size2f half(w / 2.f, h / 2.f);
  FillRect(&patch, cv::Rect2f(at, half));
  FillRect(&patch, cv::Rect2f(at + cv::Point2f(half.width, half.height), half));
  return patch;
}

// The box-sum correlation is cv::matchTemplate's TM_CCOEFF_NORMED with the
// mark pattern, on a real corner of a page (mark, paper, text, background)
// and on noise, for even and odd mark sizes.
TEST(CornerMarkPatternTest, MarkPatternScoresEqualMatchTemplate) {
  std::vector<cv::Mat> patches;
  const cv::Mat gray = test_pages::RealGrayPhoto("2024/ppwp-page3-a.jpg");
  if (!gray.empty()) {
    // A corner of the page, at roughly the wide pass's scale.
    cv::Mat corner;
    cv::resize(gray(cv::Rect(0, 0, gray.cols / 3, gray.rows / 4)), corner,
               cv::Size(), 0.25, 0.25, cv::INTER_AREA);
    patches.push_back(corner);
  }
  cv::Mat noise(90, 120, CV_8UC1);
  cv::randu(noise, cv::Scalar(0), cv::Scalar(256));
  patches.push_back(noise);
  for (const cv::Mat& patch : patches) {
    const MarkPatchSums sums(patch);
    for (auto [w, h] : {std::pair{17, 16}, std::pair{22, 21}, {9, 8}}) {
      SCOPED_TRACE(::testing::Message() << w << "x" << h);
      const int margin = MarkPatternMargin(w, h);
      cv::Mat pattern(h + 2 * margin, w + 2 * margin, CV_8UC1, cv::Scalar(255));
      pattern(cv::Rect(margin, margin, w / 2, h / 2)).setTo(0);
      pattern(cv::Rect(margin + w - w / 2, margin + h - h / 2, w / 2, h / 2))
          .setTo(0);
      cv::Mat expected;
      cv::matchTemplate(patch, pattern, expected, cv::TM_CCOEFF_NORMED);
      const cv::Mat scores = MarkPatternScores(sums, w, h);
      ASSERT_EQ(scores.size(), expected.size());
      ASSERT_EQ(scores.type(), CV_32F);
      double max_difference = 0;
      for (int y = 0; y < scores.rows; ++y) {
        for (int x = 0; x < scores.cols; ++x) {
          max_difference =
              std::max(max_difference,
                       std::abs(static_cast<double>(scores.at<float>(y, x)) -
                                expected.at<float>(y, x)));
        }
      }
      // matchTemplate correlates in single precision.
      EXPECT_LT(max_difference, 1e-3);
      cv::Point got, want;
      cv::minMaxLoc(scores, nullptr, nullptr, nullptr, &got);
      cv::minMaxLoc(expected, nullptr, nullptr, nullptr, &want);
      EXPECT_EQ(got, want);
    }
  }
  // A patch too large for 32-bit sums is summed in double, with the same
  // scores as a small piece of it where the two overlap.
  cv::Mat large(2900, 3000, CV_8UC1);
  cv::randu(large, cv::Scalar(0), cv::Scalar(256));
  const MarkPatchSums large_sums(large);
  EXPECT_EQ(large_sums.sum.depth(), CV_64F);
  const cv::Mat piece = large(cv::Rect(0, 0, 120, 90));
  const MarkPatchSums piece_sums(piece);
  EXPECT_EQ(piece_sums.sum.depth(), CV_32S);
  const cv::Mat piece_scores = MarkPatternScores(piece_sums, 17, 16);
  const cv::Mat large_scores = MarkPatternScores(large_sums, 17, 16);
  ASSERT_FALSE(piece_scores.empty());
  EXPECT_EQ(
      cv::norm(piece_scores,
               large_scores(cv::Rect(cv::Point(0, 0), piece_scores.size())),
               cv::NORM_INF),
      0);
  // Too small a patch for the pattern gives no scores.
  EXPECT_TRUE(
      MarkPatternScores(
          MarkPatchSums(cv::Mat(20, 20, CV_8UC1, cv::Scalar(255))), 17, 16)
          .empty());
}

// The sums are the patch's own: exact integral images.
TEST(CornerMarkPatternTest, PatchSumsAreTheIntegralImages) {
  cv::Mat patch(37, 53, CV_8UC1);
  cv::randu(patch, cv::Scalar(0), cv::Scalar(256));
  const MarkPatchSums sums(patch);
  EXPECT_EQ(sums.size, patch.size());
  cv::Mat sum, sqsum;
  cv::integral(patch, sum, sqsum, CV_64F, CV_64F);
  cv::Mat own_sum;
  sums.sum.convertTo(own_sum, CV_64F);
  EXPECT_EQ(cv::norm(own_sum, sum, cv::NORM_INF), 0);
  EXPECT_EQ(cv::norm(sums.sqsum, sqsum, cv::NORM_INF), 0);
}

// A mark drawn at a known place, whole or sub-pixel, is matched there: the
// box's top-left is the drawn one to within a quarter pixel. (The box
// counts pixels from their edges, the drawing from their centres: an edge
// drawn at x is box.x = x + 0.5. An edge on a pixel centre leaves that
// pixel half dark, hence a score below 1.)
TEST(CornerMarkPatternTest, MatchFindsADrawnMarkToAFractionOfAPixel) {
  const int w = 24, h = 22;
  for (cv::Point2f at : {cv::Point2f(20, 15), cv::Point2f(33.25f, 9.5f),
                         cv::Point2f(11.7f, 28.4f)}) {
    SCOPED_TRACE(::testing::Message() << "mark at " << at);
    cv::Mat patch = PatchWithMark({80, 70}, at, w, h);
    // Text-like clutter beside it must not pull the match.
    cv::rectangle(patch, cv::Rect(60, 50, 12, 3), cv::Scalar(0), cv::FILLED);
    const MarkMatch match = MatchMarkPattern(MarkPatchSums(patch), w, h);
    EXPECT_GT(match.score, 0.9);
    EXPECT_NEAR(match.box.x, at.x + 0.5, 0.25);
    EXPECT_NEAR(match.box.y, at.y + 0.5, 0.25);
    EXPECT_EQ(match.box.width, w);
    EXPECT_EQ(match.box.height, h);
  }
}

// What is not the pattern scores lower: a single square, the other
// diagonal, a flat patch; a patch the pattern does not fit in scores -1.
TEST(CornerMarkPatternTest, OtherShapesScoreLowerThanTheMark) {
  const int w = 24, h = 22;
  const cv::Size size(80, 70);
  const double mark =
      MatchMarkPattern(MarkPatchSums(PatchWithMark(size, {20, 20}, w, h)), w, h)
          .score;
  cv::Mat one_square(size, CV_8UC1, cv::Scalar(255));
  FillRect(&one_square, cv::Rect2f(20, 20, w / 2.f, h / 2.f));
  cv::Mat other_diagonal(size, CV_8UC1, cv::Scalar(255));
  FillRect(&other_diagonal, cv::Rect2f(20 + w / 2.f, 20, w / 2.f, h / 2.f));
  FillRect(&other_diagonal, cv::Rect2f(20, 20 + h / 2.f, w / 2.f, h / 2.f));
  const double single = MatchMarkPattern(MarkPatchSums(one_square), w, h).score;
  const double crossed =
      MatchMarkPattern(MarkPatchSums(other_diagonal), w, h).score;
  EXPECT_GT(mark, 0.9);
  EXPECT_LT(single, mark - 0.2);
  EXPECT_LT(crossed, mark - 0.2);
  const cv::Mat flat(size, CV_8UC1, cv::Scalar(200));
  EXPECT_EQ(MatchMarkPattern(MarkPatchSums(flat), w, h).score, 0);
  EXPECT_EQ(MatchMarkPattern(
                MarkPatchSums(cv::Mat(20, 20, CV_8UC1, cv::Scalar(255))), w, h)
                .score,
            -1);
}

}  // namespace
}  // namespace c1tally::ocr
