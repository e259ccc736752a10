// Registration: from a photo to the page's reference frame.
//
// The AprilTag printed on every page names the page (its id) and, through
// the order of its corners, the photo's orientation; a homography from the
// tag alone predicts where the four corner marks are; the final homography
// is fit to the tag corners and the marks together, and each digit box is
// then re-found locally in the warped page so that the cell reader crops
// the printed frame exactly.
//
// When the photo cannot be registered the result is a typed failure, never
// a guess: see PageError.
//
// This file is the sequence and the refinement of the digit boxes; each
// other step is its own unit:
//   ocr/page_tag.h              the tag search and the spec it names
//   ocr/corner_mark.h           finding one corner mark
//   ocr/corner_mark_pattern.h   the mark pattern's fast correlation
//   ocr/page_homography.h       the fit to the tag corners and the marks
//   ocr/registration_quality.h  sharpness and brightness of the read area
// The first three are included here: this header declared their functions
// before, and callers that measure new form specs use them through it.
#ifndef C1TALLY_OCR_REGISTRATION_H_
#define C1TALLY_OCR_REGISTRATION_H_

#include <array>
#include <opencv2/core.hpp>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ocr/corner_mark.h"
#include "ocr/corner_mark_pattern.h"
#include "ocr/form_spec.h"
#include "ocr/page_error.h"
#include "ocr/page_tag.h"

namespace c1tally::ocr {

// Tunables; the defaults are measured on the real 2024 photos.
//
// The quality limits apply to the read area (RegisteredPage::area). They
// were 10 and 50 when the whole page was warped. The area's sharpness is
// higher (printed frames, ink) but falls faster with blur: of 404 copies
// of the 5 real and 80 generated photos blurred by 0-3 px, the whole
// page's limit refused 85; 16 refuses 15 others and lets 16 of those
// through. The area is on the median 7% darker than the whole page.
struct RegistrationOptions {
  int detect_long_side = 1200;          // tag search on a downscaled copy
  double max_reprojection_error = 3.0;  // reference px, RMS over points used
  double min_sharpness = 16.0;          // see RegisteredPage::sharpness
  double min_brightness = 46.0;         // mean gray of the read area
  int box_search_radius = 6;            // reference px, per digit box
};

struct RegisteredPage {
  // The matched spec: points into the `specs` vector given to RegisterPage,
  // which must outlive this object and must not be resized meanwhile.
  const FormSpec* spec = nullptr;
  // Grayscale (CV_8UC1), upright, spec->reference_size. Only `area` is
  // warped from the photo; the rest is white.
  cv::Mat page;
  // The part of the page that is read: every field's boxes and bubbles
  // with room around them for the box search and the cell crops (a quarter
  // of a box's size), clipped to the page.
  cv::Rect area;
  // 3x3 CV_64F, photo pixel -> reference pixel.
  cv::Mat homography;
  // Refined digit boxes, parallel to spec->fields: the printed frame as
  // found in `page` (the spec's box shifted by at most box_search_radius).
  std::vector<std::array<cv::Rect2f, 3>> boxes;
  // Mean darkness (0 white .. 255 black) along each refined box frame.
  std::vector<std::array<float, 3>> frame_darkness;
  // Mean shift of each field's three boxes (refined - spec), for readers
  // of nearby printed things such as the bubbles.
  std::vector<cv::Point2f> field_shift;
  // Quality: RMS distance (reference px) of the tag corners and corner
  // marks from where the final homography puts them; how many of the four
  // marks were used; variance of the Laplacian of the read area (blur
  // lowers it); mean gray of the read area.
  double reprojection_error = 0;
  int corner_marks_used = 0;
  double sharpness = 0;
  double brightness = 0;
};

// Registers `photo` (CV_8UC1, CV_8UC3 BGR or CV_8UC4 BGRA; any size the
// decoder lets through) against `specs`. Never throws; thread-safe (a pure
// function of its arguments).
// Errors: INVALID_ARGUMENT for an empty or unsupported image; otherwise the
// code of a PageError (PageErrorOf tells which) and a reason in words.
absl::StatusOr<RegisteredPage> RegisterPage(
    const cv::Mat& photo, const std::vector<FormSpec>& specs,
    const RegistrationOptions& options = {});

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_REGISTRATION_H_
