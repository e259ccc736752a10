// Pages drawn from a form spec with known geometry, and photos of them
// through a known homography, for the registration suites: what the page
// tag search, the corner mark search and the homography fit must recover.
//
// Coordinates follow OpenCV's warps: pixel (x, y) is centred on (x, y), so
// it covers [x - 0.5, x + 0.5] x [y - 0.5, y + 0.5]. Header-only so that
// each suite links the same libraries as ocr_registration_test.
#ifndef C1TALLY_TESTS_OCR_TEST_PAGES_H_
#define C1TALLY_TESTS_OCR_TEST_PAGES_H_

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/aruco.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ocr/corner_mark.h"
#include "ocr/form_spec.h"
#include "ocr/image_decode.h"
#include "tests/test_support.h"

namespace c1tally::ocr::test_pages {

// Darkens `gray` (CV_8UC1) over `rect` to `ink` by the exact share of each
// pixel the rect covers, so sub-pixel edges are where the rect says.
inline void FillRect(cv::Mat* gray, const cv::Rect2f& rect, int ink = 0) {
  const int x0 = std::max(0, cvFloor(rect.x + 0.5f));
  const int y0 = std::max(0, cvFloor(rect.y + 0.5f));
  const int x1 = std::min(gray->cols - 1, cvCeil(rect.br().x + 0.5f));
  const int y1 = std::min(gray->rows - 1, cvCeil(rect.br().y + 0.5f));
  auto overlap = [](float lo, float hi, int pixel) {
    return std::max(0.f,
                    std::min(hi, pixel + 0.5f) - std::max(lo, pixel - 0.5f));
  };
  for (int y = y0; y <= y1; ++y) {
    const float cy = overlap(rect.y, rect.br().y, y);
    for (int x = x0; x <= x1; ++x) {
      const float cover = cy * overlap(rect.x, rect.br().x, x);
      if (cover <= 0) continue;
      uint8_t& v = gray->at<uint8_t>(y, x);
      v = cv::saturate_cast<uint8_t>(v - cover * (v - ink));
    }
  }
}

// Draws corner mark `index` of `spec` (two squares on a diagonal, the
// spec's size) with its outer corner at the spec's, moved by `shift`.
inline void DrawCornerMark(cv::Mat* page, const FormSpec& spec, int index,
                           cv::Point2f shift = {0, 0}) {
  const CornerMark& mark = spec.corner_marks[index];
  const cv::Rect2f box = CornerMarkBox(mark, index, 0) + shift;
  const cv::Size2f half(box.width / 2, box.height / 2);
  FillRect(page, cv::Rect2f(box.tl(), half));
  FillRect(page,
           cv::Rect2f(box.tl() + cv::Point2f(half.width, half.height), half));
}

// Paints mark `index`'s box (with `margin` around it) white again.
inline void EraseCornerMark(cv::Mat* page, const FormSpec& spec, int index,
                            float margin = 4) {
  const cv::Rect box =
      cv::Rect(CornerMarkBox(spec.corner_marks[index], index, margin)) &
      cv::Rect(0, 0, page->cols, page->rows);
  (*page)(box).setTo(255);
}

// The homography that maps the `side` x `side` image of a tag (its outer
// edges at -0.5 and side - 0.5) onto `corners`, in cv::aruco order.
inline cv::Mat TagToCorners(int side,
                            const std::array<cv::Point2f, 4>& corners) {
  const float lo = -0.5f, hi = side - 0.5f;
  const std::vector<cv::Point2f> from = {
      {lo, lo}, {hi, lo}, {hi, hi}, {lo, hi}};
  const std::vector<cv::Point2f> to(corners.begin(), corners.end());
  return cv::getPerspectiveTransform(from, to);
}

// Draws tag `id` of `dictionary_id` with its corners at `corners`.
inline void DrawTag(cv::Mat* page, int dictionary_id, int id,
                    const std::array<cv::Point2f, 4>& corners) {
  // Drawn about as large as it lands, in whole pixels per module (8
  // modules across with the border), so that the warp barely resamples.
  const double across = cv::norm(corners[1] - corners[0]);
  const int side = std::max(16, 8 * cvCeil(across / 8));
  cv::Mat tag;
  cv::aruco::drawMarker(cv::aruco::getPredefinedDictionary(dictionary_id), id,
                        side, tag);
  // Sampled linearly, a step edge is at half darkness exactly where it
  // lies; outside the tag the warp gives white.
  cv::Mat warped;
  cv::warpPerspective(tag, warped, TagToCorners(side, corners), page->size(),
                      cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  cv::min(*page, warped, *page);
}

// The corners of a `side` px tag drawn axis-aligned with its top-left
// pixel at `top_left` (aruco order: top-left, top-right, bottom-right,
// bottom-left).
inline std::array<cv::Point2f, 4> SquareCorners(cv::Point2f top_left,
                                                float side) {
  const cv::Point2f o = top_left - cv::Point2f(0.5f, 0.5f);
  return {o, o + cv::Point2f(side, 0), o + cv::Point2f(side, side),
          o + cv::Point2f(0, side)};
}

// `spec`'s page as printed, reduced to what registration looks at: white
// paper, the page tag, the four corner marks, and every digit box's frame
// (2 px of ink just inside its edge) so that the read area is not blank.
inline cv::Mat DrawSpecPage(const FormSpec& spec) {
  cv::Mat page(spec.reference_size, CV_8UC1, cv::Scalar(255));
  DrawTag(&page, spec.tag_dictionary_id, spec.tag_id, spec.tag_corners);
  for (int i = 0; i < 4; ++i) DrawCornerMark(&page, spec, i);
  for (const DigitField& field : spec.fields) {
    for (const cv::Rect2f& box : field.boxes) {
      FillRect(&page, {box.x, box.y, box.width, 2});
      FillRect(&page, {box.x, box.br().y - 2, box.width, 2});
      FillRect(&page, {box.x, box.y, 2, box.height});
      FillRect(&page, {box.br().x - 2, box.y, 2, box.height});
    }
  }
  return page;
}

// A reference -> photo homography of a page of `page_size` seen in a photo
// of `photo_size`: turned by `degrees` about its centre, scaled by `scale`,
// its far side shrunk by `tilt` (0 = seen square on), centred in the photo.
inline cv::Mat ReferenceToPhoto(cv::Size page_size, cv::Size photo_size,
                                double degrees, double scale, double tilt) {
  const float w = page_size.width, h = page_size.height;
  const float t = static_cast<float>(tilt) * w / 2;
  const std::vector<cv::Point2f> page = {{0, 0}, {w, 0}, {w, h}, {0, h}};
  // Tilted: the top edge is shorter, as when the top of the page is
  // further from the camera.
  std::vector<cv::Point2f> seen = {{t, 0}, {w - t, 0}, {w, h}, {0, h}};
  const double a = degrees * CV_PI / 180, c = std::cos(a), s = std::sin(a);
  const cv::Point2f centre(w / 2, h / 2);
  const cv::Point2f photo_centre(photo_size.width / 2.f,
                                 photo_size.height / 2.f);
  for (cv::Point2f& p : seen) {
    const cv::Point2f d = (p - centre) * static_cast<float>(scale);
    p = photo_centre + cv::Point2f(static_cast<float>(c * d.x - s * d.y),
                                   static_cast<float>(s * d.x + c * d.y));
  }
  return cv::getPerspectiveTransform(page, seen);
}

// The photo of `page` through `ref_to_photo`: `photo_size`, a gray table
// (`background`) around the paper.
inline cv::Mat PhotoOf(const cv::Mat& page, const cv::Mat& ref_to_photo,
                       cv::Size photo_size, int background = 90) {
  cv::Mat photo;
  cv::warpPerspective(page, photo, ref_to_photo, photo_size, cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar(background));
  return photo;
}

// `p` mapped by the 3x3 homography `h`.
inline cv::Point2f Map(const cv::Mat& h, cv::Point2f p) {
  std::vector<cv::Point2f> in = {p}, out;
  cv::perspectiveTransform(in, out, h);
  return out[0];
}

// How far (reference px) a found `photo_to_ref` puts the corners of a page
// of `page_size` from where they are, the photo being taken through the
// true `ref_to_photo`: the worst of the four.
inline double PageCornerError(const cv::Mat& photo_to_ref,
                              const cv::Mat& ref_to_photo, cv::Size page_size) {
  double worst = 0;
  for (cv::Point2f p : {cv::Point2f(0, 0), cv::Point2f(page_size.width, 0),
                        cv::Point2f(page_size.width, page_size.height),
                        cv::Point2f(0, page_size.height)}) {
    worst =
        std::max(worst, cv::norm(Map(photo_to_ref, Map(ref_to_photo, p)) - p));
  }
  return worst;
}

// The blank template `file` (e.g. "PPWP-2024-hal2-plano.png") of
// ../shared/data/forms/templates in gray, or an empty Mat when the data is
// absent (a test then skips with C1TALLY_NEED) or the file does not decode.
inline cv::Mat TemplatePage(const std::string& file) {
  const std::string data = ::c1tally::testing::SharedDataDir();
  if (data.empty()) return cv::Mat();
  absl::StatusOr<cv::Mat> page = DecodePhotoFile(
      data + "/forms/templates/" + file, {}, 0, PixelFormat::kGray);
  return page.ok() ? *page : cv::Mat();
}

// The real photo `name` (e.g. "2024/ppwp-page2-a.jpg") of
// ../shared/data/forms/photos, decoded in colour and turned gray as the
// registration suite does, or an empty Mat when the data is absent.
inline cv::Mat RealGrayPhoto(const std::string& name) {
  const std::string data = ::c1tally::testing::SharedDataDir();
  if (data.empty()) return cv::Mat();
  absl::StatusOr<cv::Mat> photo =
      DecodePhotoFile(data + "/forms/photos/" + name);
  if (!photo.ok()) return cv::Mat();
  cv::Mat gray;
  cv::cvtColor(*photo, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

// The shipped spec of page `page` (ocr/forms), or a FormSpec with page 0
// when it does not load.
inline FormSpec ShippedSpec(int page) {
  absl::StatusOr<std::vector<FormSpec>> specs =
      LoadFormSpecs(DefaultFormsDir());
  if (specs.ok()) {
    for (FormSpec& spec : *specs) {
      if (spec.page == page) return std::move(spec);
    }
  }
  return FormSpec();
}

}  // namespace c1tally::ocr::test_pages

#endif  // C1TALLY_TESTS_OCR_TEST_PAGES_H_
