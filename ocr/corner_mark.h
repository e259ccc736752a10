// Corner marks: the four printed marks near the page corners
// (FormSpec::corner_marks), found one at a time in a photo that a rough
// photo -> reference transform already maps near the page.
//
// A mark is searched in a patch warped from the photo into reference
// coordinates around where the spec puts it, by correlation with the mark
// pattern (ocr/corner_mark_pattern.h). The page tag's own black and white
// modules can look like a mark, so the tag's area (grown by 30%) is blanked
// in the patch first. The search measures where the mark is; it never
// falls back to where the spec says it should be.
//
// Pure functions: thread-safe; they may throw cv::Exception for inputs
// OpenCV refuses (RegisterPage catches it).
#ifndef C1TALLY_OCR_CORNER_MARK_H_
#define C1TALLY_OCR_CORNER_MARK_H_

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ocr/form_spec.h"

namespace c1tally::ocr {

// Finds `mark` (index 0..3: top-left, top-right, bottom-right, bottom-left)
// in `gray`, looking in `search_box` (reference coordinates), with
// `photo_to_ref` mapping `gray` into reference coordinates, sampled at
// `zoom` times the reference scale. Returns the mark's outer corner in
// reference coordinates as measured (not the spec's); NOT_FOUND when
// nothing mark-like is there (best correlation below 0.55) or the search
// box is under 8 px at that zoom.
absl::StatusOr<cv::Point2f> FindCornerMark(const cv::Mat& gray,
                                           const cv::Mat& photo_to_ref,
                                           const FormSpec& spec, int index,
                                           const cv::Rect2f& search_box,
                                           double zoom = 2.0);

// FindCornerMark, trying the mark at each of `scales` times its spec size
// and keeping the best match: before the marks are known, perspective can
// shrink or grow a mark a good deal. Scales giving a mark under 4 px at
// `zoom` are skipped.
absl::StatusOr<cv::Point2f> FindCornerMarkAtScales(
    const cv::Mat& gray, const cv::Mat& photo_to_ref, const FormSpec& spec,
    int index, const cv::Rect2f& search_box, double zoom,
    absl::Span<const double> scales);

// The extent of mark `index` in reference coordinates (from its outer
// corner inwards, its spec size) grown by `margin` on every side: the
// search box for a mark whose place is already known to within `margin`.
cv::Rect2f CornerMarkBox(const CornerMark& mark, int index, float margin);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_CORNER_MARK_H_
