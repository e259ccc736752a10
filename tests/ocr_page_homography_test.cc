// The page homography on its own: from the page 2 spec's tag corners and
// marks seen through a known homography, the fit recovers it (exactly from
// exact points, within a pixel from noisy ones); a misplaced mark among
// four is left out; too few or disagreeing marks are refused; the rough
// transform is affine until three marks are known.
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/page_error.h"
#include "ocr/page_homography.h"
#include "tests/ocr_test_pages.h"

namespace c1tally::ocr {
namespace {

using test_pages::Map;

class PageHomographyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = test_pages::ShippedSpec(2);
    ASSERT_EQ(spec_.page, 2);
    ref_to_photo_ = test_pages::ReferenceToPhoto(spec_.reference_size,
                                                 {3000, 4000}, 12, 2.1, 0.12);
    tag_.spec = &spec_;
    for (int k = 0; k < 4; ++k) {
      tag_.tag.corners[k] = Map(ref_to_photo_, spec_.tag_corners[k]);
    }
  }

  // The tag's pairs and those of `marks`, each seen where the true
  // homography puts it, moved in the photo by `moved[i]` (if given).
  PagePointPairs Pairs(const std::vector<int>& marks,
                       const std::vector<cv::Point2f>& moved = {}) const {
    PagePointPairs pairs = TagPointPairs(tag_);
    for (size_t n = 0; n < marks.size(); ++n) {
      const cv::Point2f outer = spec_.corner_marks[marks[n]].outer_corner;
      const cv::Point2f shift = n < moved.size() ? moved[n] : cv::Point2f();
      pairs.AddMark(marks[n], Map(ref_to_photo_, outer) + shift, outer);
    }
    return pairs;
  }

  double PageCornerError(const cv::Mat& photo_to_ref) const {
    return test_pages::PageCornerError(photo_to_ref, ref_to_photo_,
                                       spec_.reference_size);
  }

  FormSpec spec_;
  cv::Mat ref_to_photo_;
  PageTag tag_;
};

TEST_F(PageHomographyTest, TagPointPairsAreTheTagCornersInOrder) {
  const PagePointPairs pairs = TagPointPairs(tag_);
  ASSERT_EQ(pairs.photo.size(), 4u);
  EXPECT_EQ(pairs.marks(), 0);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(pairs.photo[k], tag_.tag.corners[k]);
    EXPECT_EQ(pairs.reference[k], spec_.tag_corners[k]);
    EXPECT_EQ(pairs.mark_index[k], -1);
  }
}

TEST_F(PageHomographyTest, WithoutMarkDropsThatMarkOnly) {
  const PagePointPairs pairs = Pairs({2, 0, 3});
  EXPECT_EQ(pairs.marks(), 3);
  const PagePointPairs kept = WithoutMark(pairs, 0);
  EXPECT_EQ(kept.mark_index, (std::vector<int>{-1, -1, -1, -1, 2, 3}));
  EXPECT_EQ(kept.reference[5], spec_.corner_marks[3].outer_corner);
  EXPECT_EQ(kept.photo[4], pairs.photo[4]);
  EXPECT_EQ(WithoutMark(pairs, -1).mark_index, pairs.mark_index);
  EXPECT_EQ(WithoutMark(pairs, 1).mark_index, pairs.mark_index);
}

TEST_F(PageHomographyTest, RecoversAKnownHomographyFromExactPoints) {
  absl::StatusOr<PageHomography> fit =
      FitPageHomography(Pairs({0, 1, 2, 3}), 3.0);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->photo_to_ref.type(), CV_64F);
  EXPECT_EQ(fit->photo_to_ref.size(), cv::Size(3, 3));
  EXPECT_LT(PageCornerError(fit->photo_to_ref), 0.01);
  EXPECT_LT(fit->reprojection_error, 0.01);
  EXPECT_EQ(fit->corner_marks_used, 4);
}

// Detection noise of a third of a photo pixel (about a sixth of a
// reference pixel) still puts every page corner within a pixel, and the
// RMS error says how large the noise was.
TEST_F(PageHomographyTest, RecoversAKnownHomographyFromNoisyPoints) {
  cv::RNG rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    PagePointPairs pairs = Pairs({0, 1, 2, 3});
    for (cv::Point2f& p : pairs.photo) {
      p += cv::Point2f(rng.gaussian(0.33), rng.gaussian(0.33));
    }
    absl::StatusOr<PageHomography> fit = FitPageHomography(pairs, 3.0);
    ASSERT_TRUE(fit.ok()) << fit.status();
    EXPECT_LT(PageCornerError(fit->photo_to_ref), 1.0) << "trial " << trial;
    EXPECT_GT(fit->reprojection_error, 0.01) << "trial " << trial;
    EXPECT_LT(fit->reprojection_error, 0.5) << "trial " << trial;
  }
}

// A homography has room to bend toward one wrong mark among eight points
// (the tag's four lie close together): a fit through a mark 17 reference
// px off keeps an RMS error near a pixel while missing the page corners by
// many. So the limit here is tight, below what the fit through the wrong
// mark reaches and above what the fit without it does.
TEST_F(PageHomographyTest, LeavesOutTheOneMarkThatDisagrees) {
  constexpr double kLimit = 0.5;
  for (int bad = 0; bad < 4; ++bad) {
    std::vector<cv::Point2f> moved(4);
    moved[bad] = cv::Point2f(30, -20);
    const PagePointPairs pairs = Pairs({0, 1, 2, 3}, moved);
    absl::StatusOr<PageHomography> fit = FitPageHomography(pairs, kLimit);
    ASSERT_TRUE(fit.ok()) << "mark " << bad << ": " << fit.status();
    EXPECT_EQ(fit->corner_marks_used, 3) << "mark " << bad;
    EXPECT_LT(PageCornerError(fit->photo_to_ref), 0.01) << "mark " << bad;
    EXPECT_LT(fit->reprojection_error, 0.01) << "mark " << bad;
    // With a limit the fit through all four meets, all four are kept, and
    // the wrong mark bends the page.
    absl::StatusOr<PageHomography> lax = FitPageHomography(pairs, 1e6);
    ASSERT_TRUE(lax.ok()) << lax.status();
    EXPECT_EQ(lax->corner_marks_used, 4);
    EXPECT_GT(lax->reprojection_error, kLimit);
    EXPECT_GT(PageCornerError(lax->photo_to_ref), 5.0);
  }
}

TEST_F(PageHomographyTest, ThreeMarksThatAgreeAreEnough) {
  absl::StatusOr<PageHomography> fit =
      FitPageHomography(Pairs({3, 1, 0}), 0.01);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->corner_marks_used, 3);
  EXPECT_LT(PageCornerError(fit->photo_to_ref), 0.01);
}

TEST_F(PageHomographyTest, RefusesTooFewMarks) {
  for (const std::vector<int>& marks :
       {std::vector<int>{}, std::vector<int>{2}, std::vector<int>{0, 2}}) {
    absl::StatusOr<PageHomography> fit = FitPageHomography(Pairs(marks), 3.0);
    ASSERT_FALSE(fit.ok());
    EXPECT_EQ(PageErrorOf(fit.status()), PageError::kUnreadable);
    EXPECT_NE(fit.status().message().find(
                  "only " + std::to_string(marks.size()) + " of the 4"),
              std::string::npos)
        << fit.status();
  }
}

// Three marks, one of them wrong: nothing to leave out, so refused when
// the fit misses the limit (tight, as above: seven points leave a
// homography even more room to bend).
TEST_F(PageHomographyTest, RefusesThreeMarksThatDisagree) {
  const PagePointPairs pairs = Pairs({0, 1, 2}, {{0, 0}, {0, 0}, {150, 90}});
  absl::StatusOr<PageHomography> lax = FitPageHomography(pairs, 1e6);
  ASSERT_TRUE(lax.ok()) << lax.status();
  absl::StatusOr<PageHomography> fit =
      FitPageHomography(pairs, lax->reprojection_error * 0.9);
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(PageErrorOf(fit.status()), PageError::kUnreadable);
  EXPECT_NE(fit.status().message().find("disagree"), std::string::npos)
      << fit.status();
}

// With the tag alone (or two marks) the rough transform is affine: exact
// for an affine view, and no wild perspective for a tilted one; from three
// marks on it is the homography.
TEST_F(PageHomographyTest, RoughTransformIsAffineUntilThreeMarks) {
  for (const std::vector<int>& marks :
       {std::vector<int>{}, std::vector<int>{1}, std::vector<int>{1, 2}}) {
    const cv::Mat rough = RoughPhotoToReference(Pairs(marks));
    ASSERT_EQ(rough.type(), CV_64F);
    EXPECT_EQ(rough.at<double>(2, 0), 0);
    EXPECT_EQ(rough.at<double>(2, 1), 0);
    EXPECT_EQ(rough.at<double>(2, 2), 1);
    // It still maps the points it rests on about where they belong.
    const PagePointPairs pairs = Pairs(marks);
    for (size_t k = 0; k < pairs.photo.size(); ++k) {
      EXPECT_LT(cv::norm(Map(rough, pairs.photo[k]) - pairs.reference[k]), 40)
          << marks.size() << " marks, point " << k;
    }
  }
  const cv::Mat rough = RoughPhotoToReference(Pairs({1, 2, 3}));
  EXPECT_LT(PageCornerError(rough), 0.01);

  // An affine view (no tilt) is recovered exactly from the tag alone.
  ref_to_photo_ = test_pages::ReferenceToPhoto(spec_.reference_size,
                                               {3000, 4000}, 31, 1.7, 0);
  for (int k = 0; k < 4; ++k) {
    tag_.tag.corners[k] = Map(ref_to_photo_, spec_.tag_corners[k]);
  }
  EXPECT_LT(PageCornerError(RoughPhotoToReference(Pairs({}))), 0.05);
}

}  // namespace
}  // namespace c1tally::ocr
