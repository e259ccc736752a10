// Registration on the real 2024 photos, on rotated and degraded copies, on
// drawn pages and the real templates seen through known homographies, and
// on things that are not this form: each either maps to the right page or
// fails with a typed reason, never with a wrong page. (The steps have their
// own suites: ocr_page_tag_test, ocr_corner_mark_test,
// ocr_corner_mark_pattern_test, ocr_page_homography_test,
// ocr_registration_quality_test.)
#include <opencv2/aruco.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ocr/image_decode.h"
#include "ocr/registration.h"
#include "tests/ocr_test_pages.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

class RegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<FormSpec>> specs =
        LoadFormSpecs(DefaultFormsDir());
    ASSERT_TRUE(specs.ok()) << specs.status();
    specs_ = *std::move(specs);
  }

  // A real photo, or an empty Mat when the data is absent (the test has
  // skipped by then, see SKIP_WITHOUT_DATA).
  cv::Mat Photo(const std::string& name) {
    const std::string data = testing::SharedDataDir();
    if (data.empty()) return cv::Mat();
    absl::StatusOr<cv::Mat> photo =
        DecodePhotoFile(data + "/forms/photos/" + name);
    EXPECT_TRUE(photo.ok()) << name << ": " << photo.status();
    return photo.ok() ? *photo : cv::Mat();
  }

  static PageError Kind(const absl::Status& s) { return PageErrorOf(s); }

  std::vector<FormSpec> specs_;
};

#define SKIP_WITHOUT_DATA() \
  C1TALLY_NEED(!testing::SharedDataDir().empty(), "../shared/data")

// `photo` in gray.
cv::Mat Gray(const cv::Mat& photo) {
  if (photo.channels() == 1) return photo;
  cv::Mat gray;
  cv::cvtColor(photo, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

// The whole page warped from `photo` (registration warps only the area
// that is read).
cv::Mat WholePage(const cv::Mat& photo, const RegisteredPage& page) {
  cv::Mat whole;
  cv::warpPerspective(Gray(photo), whole, page.homography, page.page.size(),
                      cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  return whole;
}

// Every refined box sits on a printed frame: dark along its edge, and
// within the search radius of where the spec puts it.
void ExpectBoxesOnFrames(const cv::Mat& photo, const RegisteredPage& page,
                         const std::string& what) {
  const double page_brightness = cv::mean(WholePage(photo, page))[0];
  ASSERT_EQ(page.boxes.size(), page.spec->fields.size());
  for (size_t f = 0; f < page.boxes.size(); ++f) {
    for (int k = 0; k < 3; ++k) {
      const cv::Rect2f& spec_box = page.spec->fields[f].boxes[k];
      const cv::Rect2f& box = page.boxes[f][k];
      EXPECT_LE(cv::norm(box.tl() - spec_box.tl()), 6 * std::sqrt(2.0) + 0.01)
          << what << " " << page.spec->fields[f].name << " box " << k;
      // The frame is printed ink: clearly darker than the page on average
      // (which is mostly paper), even in these low-contrast screen photos.
      EXPECT_GT(page.frame_darkness[f][k], 60)
          << what << " " << page.spec->fields[f].name << " box " << k;
      EXPECT_GT(page.frame_darkness[f][k], (255 - page_brightness) + 10)
          << what << " " << page.spec->fields[f].name << " box " << k;
    }
  }
}

TEST_F(RegistrationTest, RealPhotosRegisterToTheirPage) {
  SKIP_WITHOUT_DATA();
  const std::vector<std::pair<std::string, int>> photos = {
      {"2024/ppwp-page1-blank-a.jpg", 1},
      {"2024/ppwp-page1-blank-b.jpg", 1},
      {"2024/ppwp-page2-a.jpg", 2},
      {"2024/ppwp-page2-b.jpg", 2},
      {"2024/ppwp-page3-a.jpg", 3}};
  for (const auto& [name, page_number] : photos) {
    const cv::Mat photo = Photo(name);
    ASSERT_FALSE(photo.empty());
    absl::StatusOr<RegisteredPage> page = RegisterPage(photo, specs_);
    ASSERT_TRUE(page.ok()) << name << ": " << page.status();
    EXPECT_EQ(page->spec->page, page_number) << name;
    EXPECT_EQ(page->spec, &specs_[page_number - 1]);
    EXPECT_EQ(page->page.type(), CV_8UC1);
    EXPECT_EQ(page->page.size(), page->spec->reference_size);
    EXPECT_LT(page->reprojection_error, 3.0) << name;
    EXPECT_GE(page->corner_marks_used, 3) << name;
    ExpectBoxesOnFrames(photo, *page, name);
    // Only the read area is warped, the whole warp's pixels there: it holds
    // every box with room around it, and the rest of the page is white.
    const cv::Rect page_rect(cv::Point(0, 0), page->page.size());
    EXPECT_EQ(page->area & page_rect, page->area) << name;
    for (const DigitField& field : page->spec->fields) {
      for (const cv::Rect2f& box : field.boxes) {
        const cv::Rect2f room(box.x - 10, box.y - 10, box.width + 20,
                              box.height + 20);
        EXPECT_EQ(cv::Rect2f(page->area) & room, room) << name;
      }
    }
    const cv::Mat whole = WholePage(photo, *page);
    EXPECT_EQ(cv::countNonZero(whole(page->area) != page->page(page->area)), 0)
        << name;
    cv::Mat outside = page->page.clone();
    outside(page->area).setTo(255);
    EXPECT_EQ(cv::countNonZero(outside != 255), 0) << name;
    // Sharpness and brightness are computed in one pass: they are the
    // variance of cv::Laplacian and the mean of the read area (on its own:
    // its border reflected, not the white beyond it).
    cv::Mat lap;
    cv::Laplacian(page->page(page->area).clone(), lap, CV_64F);
    cv::Scalar mean, stddev;
    cv::meanStdDev(lap, mean, stddev);
    EXPECT_NEAR(page->sharpness, stddev[0] * stddev[0], 1e-9 * page->sharpness)
        << name;
    EXPECT_NEAR(page->brightness, cv::mean(page->page(page->area))[0], 1e-9)
        << name;
  }
}

TEST_F(RegistrationTest, RotatedPhotosRegisterToTheSamePage) {
  SKIP_WITHOUT_DATA();
  for (const std::string name :
       {"2024/ppwp-page2-a.jpg", "2024/ppwp-page3-a.jpg"}) {
    const cv::Mat photo = Photo(name);
    ASSERT_FALSE(photo.empty());
    absl::StatusOr<RegisteredPage> upright = RegisterPage(photo, specs_);
    ASSERT_TRUE(upright.ok()) << upright.status();
    for (auto rotation : {cv::ROTATE_180, cv::ROTATE_90_CLOCKWISE,
                          cv::ROTATE_90_COUNTERCLOCKWISE}) {
      cv::Mat turned;
      cv::rotate(photo, turned, rotation);
      absl::StatusOr<RegisteredPage> page = RegisterPage(turned, specs_);
      ASSERT_TRUE(page.ok())
          << name << " rotation " << rotation << ": " << page.status();
      EXPECT_EQ(page->spec, upright->spec);
      ExpectBoxesOnFrames(turned, *page, name);
      // The warped pages agree: the same boxes, to a pixel or two.
      for (size_t f = 0; f < page->boxes.size(); ++f) {
        for (int k = 0; k < 3; ++k) {
          EXPECT_LE(
              cv::norm(page->boxes[f][k].tl() - upright->boxes[f][k].tl()), 2.9)
              << name << " rotation " << rotation;
        }
      }
    }
  }
}

TEST_F(RegistrationTest, OtherFormKindsAreNotAForm) {
  SKIP_WITHOUT_DATA();
  for (const std::string name :
       {"other/c1-ppwp-2014-scan.jpg", "other/c1-kwk-plano-2017-jakarta.jpg"}) {
    const cv::Mat photo = Photo(name);
    ASSERT_FALSE(photo.empty());
    absl::StatusOr<RegisteredPage> page = RegisterPage(photo, specs_);
    ASSERT_FALSE(page.ok()) << name;
    EXPECT_EQ(Kind(page.status()), PageError::kNotAForm) << page.status();
  }
}

TEST_F(RegistrationTest, SyntheticNonFormsAreNotAForm) {
  cv::Mat noise(1500, 1000, CV_8UC3);
  cv::RNG rng(42);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  const cv::Mat blank(3000, 2000, CV_8UC3, cv::Scalar::all(250));
  const cv::Mat black(800, 600, CV_8UC1, cv::Scalar(0));
  for (const cv::Mat& image : {noise, blank, black}) {
    absl::StatusOr<RegisteredPage> page = RegisterPage(image, specs_);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(Kind(page.status()), PageError::kNotAForm) << page.status();
    EXPECT_EQ(PageErrorName(Kind(page.status())), "not_a_form");
  }
}

TEST_F(RegistrationTest, UnknownTagIsWrongPage) {
  cv::Mat marker;
  cv::aruco::drawMarker(
      cv::aruco::getPredefinedDictionary(cv::aruco::DICT_APRILTAG_36h10), 50,
      200, marker);
  cv::Mat image(1400, 1000, CV_8UC1, cv::Scalar(255));
  marker.copyTo(image(cv::Rect(700, 100, 200, 200)));
  absl::StatusOr<RegisteredPage> page = RegisterPage(image, specs_);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(Kind(page.status()), PageError::kWrongPage) << page.status();
  EXPECT_NE(page.status().message().find("id 50"), std::string::npos);
}

TEST_F(RegistrationTest, KnownTagWithoutCornerMarksIsUnreadable) {
  // Page 2's tag on an otherwise empty sheet: the page is named but
  // cannot be mapped.
  cv::Mat marker;
  cv::aruco::drawMarker(
      cv::aruco::getPredefinedDictionary(cv::aruco::DICT_APRILTAG_36h10), 102,
      200, marker);
  cv::Mat image(1400, 1000, CV_8UC1, cv::Scalar(255));
  marker.copyTo(image(cv::Rect(700, 100, 200, 200)));
  absl::StatusOr<RegisteredPage> page = RegisterPage(image, specs_);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(Kind(page.status()), PageError::kUnreadable) << page.status();
}

TEST_F(RegistrationTest, HeavyBlurIsUnreadableOrCorrectNeverWrong) {
  SKIP_WITHOUT_DATA();
  for (const auto& [name, page_number] :
       std::vector<std::pair<std::string, int>>{{"2024/ppwp-page2-a.jpg", 2},
                                                {"2024/ppwp-page3-a.jpg", 3}}) {
    const cv::Mat photo = Photo(name);
    ASSERT_FALSE(photo.empty());
    for (double sigma : {4.0, 12.0, 30.0}) {
      cv::Mat blurred;
      cv::GaussianBlur(photo, blurred, cv::Size(), sigma);
      absl::StatusOr<RegisteredPage> page = RegisterPage(blurred, specs_);
      if (page.ok()) {
        EXPECT_EQ(page->spec->page, page_number) << name << " sigma " << sigma;
      } else {
        const auto kind = Kind(page.status());
        EXPECT_TRUE(kind == PageError::kUnreadable ||
                    kind == PageError::kNotAForm)
            << name << " sigma " << sigma << ": " << page.status();
      }
    }
  }
}

TEST_F(RegistrationTest, DarkPhotoIsUnreadable) {
  SKIP_WITHOUT_DATA();
  const cv::Mat photo = Photo("2024/ppwp-page3-a.jpg");
  ASSERT_FALSE(photo.empty());
  cv::Mat dark;
  photo.convertTo(dark, -1, 0.15);
  absl::StatusOr<RegisteredPage> page = RegisterPage(dark, specs_);
  if (!page.ok()) {
    EXPECT_THAT(Kind(page.status()),
                ::testing::AnyOf(PageError::kUnreadable, PageError::kNotAForm))
        << page.status();
  } else {
    EXPECT_EQ(page->spec->page, 3);
  }
}

// A page drawn from each spec, photographed through known homographies
// (turned, upside down, tilted, small and large in the photo): the
// homography found puts every page corner within a reference pixel of
// where the true one does.
TEST_F(RegistrationTest, KnownHomographyOfADrawnPageIsRecovered) {
  struct View {
    cv::Size photo;
    double degrees, scale, tilt;
  };
  for (const FormSpec& spec : specs_) {
    const cv::Mat page = test_pages::DrawSpecPage(spec);
    for (const View& view :
         {View{{3000, 4000}, 4, 1.9, 0.05}, View{{3000, 4000}, 183, 1.8, 0.12},
          View{{4000, 3000}, -88, 1.4, 0.0},
          View{{1200, 1600}, 10, 0.72, 0.08}}) {
      const std::string what = absl::StrCat(
          "page ", spec.page, " turned ", view.degrees, " scaled ", view.scale);
      const cv::Mat ref_to_photo = test_pages::ReferenceToPhoto(
          spec.reference_size, view.photo, view.degrees, view.scale, view.tilt);
      const cv::Mat photo = test_pages::PhotoOf(page, ref_to_photo, view.photo);
      absl::StatusOr<RegisteredPage> registered = RegisterPage(photo, specs_);
      ASSERT_TRUE(registered.ok()) << what << ": " << registered.status();
      EXPECT_EQ(registered->spec, &spec) << what;
      EXPECT_EQ(registered->corner_marks_used, 4) << what;
      // The RMS error counts the tag corners too, which are found to about
      // a photo pixel; the homography is better than that.
      EXPECT_LT(registered->reprojection_error, 1.5) << what;
      EXPECT_LT(test_pages::PageCornerError(registered->homography,
                                            ref_to_photo, spec.reference_size),
                1.0)
          << what;
    }
  }
}

// The real templates, through a known homography: recovered within a
// pixel, and the boxes found on their printed frames.
TEST_F(RegistrationTest, KnownHomographyOfATemplateIsRecovered) {
  SKIP_WITHOUT_DATA();
  for (const auto& [name, page_number] :
       std::vector<std::pair<std::string, int>>{
           {"PPWP-2024-hal2-plano.png", 2}, {"PPWP-2024-hal3-plano.png", 3}}) {
    const cv::Mat page = test_pages::TemplatePage(name);
    ASSERT_FALSE(page.empty()) << name;
    const cv::Size photo_size(3000, 4000);
    const cv::Mat ref_to_photo =
        test_pages::ReferenceToPhoto(page.size(), photo_size, -6, 1.8, 0.1);
    const cv::Mat photo = test_pages::PhotoOf(page, ref_to_photo, photo_size);
    absl::StatusOr<RegisteredPage> registered = RegisterPage(photo, specs_);
    ASSERT_TRUE(registered.ok()) << name << ": " << registered.status();
    EXPECT_EQ(registered->spec->page, page_number) << name;
    EXPECT_LT(test_pages::PageCornerError(registered->homography, ref_to_photo,
                                          page.size()),
              1.0)
        << name;
    ExpectBoxesOnFrames(photo, *registered, name);
  }
}

// One mark lost (a finger, glare) still registers on the other three; two
// lost cannot. Three marks and the small tag pin the page less well than
// four (the lost corner is extrapolated), but within what the box search
// absorbs: every box is found on its drawn frame, wherever the registered
// page puts it.
TEST_F(RegistrationTest, OneMissingMarkIsToleratedTwoAreNot) {
  const FormSpec& spec = specs_[1];
  const cv::Size photo_size(3000, 4000);
  const cv::Mat ref_to_photo = test_pages::ReferenceToPhoto(
      spec.reference_size, photo_size, 7, 2.0, 0.08);
  for (int lost = 0; lost < 4; ++lost) {
    cv::Mat page = test_pages::DrawSpecPage(spec);
    test_pages::EraseCornerMark(&page, spec, lost);
    absl::StatusOr<RegisteredPage> registered = RegisterPage(
        test_pages::PhotoOf(page, ref_to_photo, photo_size), specs_);
    ASSERT_TRUE(registered.ok())
        << "lost " << lost << ": " << registered.status();
    EXPECT_EQ(registered->corner_marks_used, 3) << "lost " << lost;
    EXPECT_LT(test_pages::PageCornerError(registered->homography, ref_to_photo,
                                          spec.reference_size),
              RegistrationOptions().box_search_radius)
        << "lost " << lost;
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      for (int k = 0; k < 3; ++k) {
        // Where the drawn frame lies in the registered page.
        const cv::Point2f frame = test_pages::Map(
            registered->homography,
            test_pages::Map(ref_to_photo, spec.fields[f].boxes[k].tl()));
        // The box search moves boxes by whole pixels, and a frame at a
        // half-pixel place darkens two shifts alike: a pixel on each axis,
        // with a little room.
        const cv::Point2f off = registered->boxes[f][k].tl() - frame;
        EXPECT_LE(std::max(std::abs(off.x), std::abs(off.y)), 1.25)
            << "lost " << lost << " " << spec.fields[f].name << " box " << k;
      }
    }
    test_pages::EraseCornerMark(&page, spec, (lost + 2) % 4);
    absl::StatusOr<RegisteredPage> two_lost = RegisterPage(
        test_pages::PhotoOf(page, ref_to_photo, photo_size), specs_);
    ASSERT_FALSE(two_lost.ok()) << "lost " << lost;
    EXPECT_EQ(Kind(two_lost.status()), PageError::kUnreadable)
        << two_lost.status();
  }
}

TEST_F(RegistrationTest, RejectsBadArguments) {
  EXPECT_EQ(RegisterPage(cv::Mat(), specs_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RegisterPage(cv::Mat(200, 200, CV_32FC1), specs_).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RegisterPage(cv::Mat(200, 200, CV_8UC3), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PageErrorOf(absl::InvalidArgumentError("x")), PageError::kBadImage);
  EXPECT_EQ(PageErrorOf(absl::OkStatus()), PageError::kNone);
  for (PageError error : {PageError::kBadImage, PageError::kNotAForm,
                          PageError::kWrongPage, PageError::kUnreadable}) {
    EXPECT_EQ(PageErrorOf(PageErrorStatus(error, "why")), error);
  }
}

}  // namespace
}  // namespace c1tally::ocr
