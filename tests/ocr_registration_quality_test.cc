// The quality of a registered page on its own: sharpness and brightness
// equal cv::Laplacian's variance and the mean, on views and odd sizes; a
// blurred copy of a page scores less sharp the more it is blurred, a
// darker copy less bright; the check refuses each with its reason.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/form_spec.h"
#include "ocr/page_error.h"
#include "ocr/registration.h"
#include "ocr/registration_quality.h"
#include "tests/ocr_test_pages.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

// What the quality was before it was measured in one pass.
ReadAreaQuality Reference(const cv::Mat& area) {
  cv::Mat lap;
  cv::Laplacian(area.clone(), lap, CV_64F);
  cv::Scalar mean, stddev;
  cv::meanStdDev(lap, mean, stddev);
  return {stddev[0] * stddev[0], cv::mean(area)[0]};
}

void ExpectEqualsReference(const cv::Mat& area, const std::string& what) {
  const ReadAreaQuality got = MeasureReadAreaQuality(area);
  const ReadAreaQuality want = Reference(area);
  EXPECT_NEAR(got.sharpness, want.sharpness, 1e-9 * want.sharpness + 1e-9)
      << what;
  EXPECT_NEAR(got.brightness, want.brightness, 1e-9) << what;
}

// Widths below, at and above the 16 lanes of the vectorized loop, a view
// into a larger image (its border reflected, not what lies beyond).
TEST(RegistrationQualityTest, EqualsLaplacianVarianceAndMean) {
  cv::RNG rng(3);
  for (cv::Size size :
       {cv::Size(2, 2), cv::Size(3, 7), cv::Size(16, 5), cv::Size(17, 9),
        cv::Size(18, 3), cv::Size(33, 40), cv::Size(640, 480)}) {
    cv::Mat image(size, CV_8UC1);
    rng.fill(image, cv::RNG::UNIFORM, 0, 256);
    ExpectEqualsReference(image, ::testing::PrintToString(size));
  }
  cv::Mat large(300, 400, CV_8UC1);
  rng.fill(large, cv::RNG::UNIFORM, 0, 256);
  ExpectEqualsReference(large(cv::Rect(37, 51, 211, 97)), "view");
  const cv::Mat flat(50, 60, CV_8UC1, cv::Scalar(123));
  const ReadAreaQuality quality = MeasureReadAreaQuality(flat);
  EXPECT_EQ(quality.sharpness, 0);
  EXPECT_EQ(quality.brightness, 123);
}

// The page drawn from the page 2 spec, and (with ../shared/data) the real
// template and a real photo: each blur step lowers sharpness, darkening
// lowers brightness and leaves the page no sharper.
TEST(RegistrationQualityTest, BlurAndDarknessScoreWorse) {
  const FormSpec spec = test_pages::ShippedSpec(2);
  ASSERT_EQ(spec.page, 2);
  std::vector<std::pair<std::string, cv::Mat>> pages = {
      {"drawn page 2", test_pages::DrawSpecPage(spec)}};
  const std::string data = testing::SharedDataDir();
  if (!data.empty()) {
    pages.emplace_back("template",
                       test_pages::TemplatePage("PPWP-2024-hal3-plano.png"));
    pages.emplace_back("photo",
                       test_pages::RealGrayPhoto("2024/ppwp-page2-a.jpg"));
  }
  for (const auto& [what, page] : pages) {
    ASSERT_FALSE(page.empty()) << what;
    const ReadAreaQuality sharp = MeasureReadAreaQuality(page);
    double previous = sharp.sharpness;
    for (double sigma : {0.7, 1.5, 3.0}) {
      cv::Mat blurred;
      cv::GaussianBlur(page, blurred, cv::Size(), sigma);
      const ReadAreaQuality quality = MeasureReadAreaQuality(blurred);
      EXPECT_LT(quality.sharpness, previous) << what << " sigma " << sigma;
      // Blur moves ink around, it does not remove it.
      EXPECT_NEAR(quality.brightness, sharp.brightness, 1.0) << what;
      previous = quality.sharpness;
    }
    cv::Mat dark;
    page.convertTo(dark, -1, 0.3);
    const ReadAreaQuality darker = MeasureReadAreaQuality(dark);
    EXPECT_LT(darker.brightness, 0.31 * sharp.brightness) << what;
    EXPECT_LT(darker.sharpness, sharp.sharpness) << what;
  }
}

TEST(RegistrationQualityTest, CheckRefusesDarkOrBlurredWithTheReason) {
  EXPECT_TRUE(CheckReadAreaQuality({100, 200}, 16, 46).ok());
  // At the limits exactly: still readable.
  EXPECT_TRUE(CheckReadAreaQuality({16, 46}, 16, 46).ok());

  const absl::Status dark = CheckReadAreaQuality({100, 45.9}, 16, 46);
  EXPECT_EQ(PageErrorOf(dark), PageError::kUnreadable) << dark;
  EXPECT_NE(dark.message().find("too dark (mean gray 46)"), std::string::npos)
      << dark;

  const absl::Status blurred = CheckReadAreaQuality({15.9, 200}, 16, 46);
  EXPECT_EQ(PageErrorOf(blurred), PageError::kUnreadable) << blurred;
  EXPECT_NE(blurred.message().find("too blurred (sharpness 16, need 16)"),
            std::string::npos)
      << blurred;

  // Both: darkness is said first.
  const absl::Status both = CheckReadAreaQuality({1, 10}, 16, 46);
  EXPECT_NE(both.message().find("too dark"), std::string::npos) << both;
}

// With registration's default limits, the read area of a drawn page
// passes and a blurred or darkened copy of it does not.
TEST(RegistrationQualityTest, DefaultLimitsRefuseABlurredOrDarkPage) {
  const RegistrationOptions options;
  auto check = [&](const cv::Mat& area) {
    return CheckReadAreaQuality(MeasureReadAreaQuality(area),
                                options.min_sharpness, options.min_brightness);
  };
  const FormSpec spec = test_pages::ShippedSpec(3);
  ASSERT_EQ(spec.page, 3);
  // The part of page 3 with its digit boxes, as registration reads it.
  cv::Rect area;
  for (const DigitField& field : spec.fields) {
    for (const cv::Rect2f& box : field.boxes) {
      area = area.empty() ? cv::Rect(box) : (area | cv::Rect(box));
    }
  }
  const cv::Mat page = test_pages::DrawSpecPage(spec)(area);
  EXPECT_TRUE(check(page).ok()) << check(page);
  cv::Mat blurred;
  cv::GaussianBlur(page, blurred, cv::Size(), 6);
  EXPECT_EQ(PageErrorOf(check(blurred)), PageError::kUnreadable);
  cv::Mat dark;
  page.convertTo(dark, -1, 0.15);
  EXPECT_EQ(PageErrorOf(check(dark)), PageError::kUnreadable);
}

}  // namespace
}  // namespace c1tally::ocr
