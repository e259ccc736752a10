// The page homography: the 3x3 map from photo pixels to the page's
// reference frame (ocr/form_spec.h), fit to point pairs that are known in
// both: the page tag's four corners, then the corner marks found so far.
//
// The fit is a plain least-squares homography over all the pairs (no
// RANSAC: there are at most eight, and a look-alike mark is handled by
// leaving each mark out in turn). Its RMS reprojection error is the
// geometric quality of a registration.
//
// Pure functions on values: thread-safe. They may throw cv::Exception for
// degenerate input OpenCV refuses (RegisterPage catches it).
#ifndef C1TALLY_OCR_PAGE_HOMOGRAPHY_H_
#define C1TALLY_OCR_PAGE_HOMOGRAPHY_H_

#include <opencv2/core.hpp>
#include <vector>

#include "absl/status/statusor.h"
#include "ocr/page_tag.h"

namespace c1tally::ocr {

// Photo and reference points for the fit, parallel: the tag corners first,
// then the marks in the order they were found.
struct PagePointPairs {
  std::vector<cv::Point2f> photo;
  std::vector<cv::Point2f> reference;
  std::vector<int> mark_index;  // -1 for a tag corner, else the mark 0..3

  int marks() const { return static_cast<int>(photo.size()) - 4; }
  // Appends corner mark `index` seen at `photo_point`, which the spec puts
  // at `reference_point` (its outer corner).
  void AddMark(int index, const cv::Point2f& photo_point,
               const cv::Point2f& reference_point);
};

// The four pairs of the page tag: its detected corners and the spec's.
// `tag.spec` must not be null.
PagePointPairs TagPointPairs(const PageTag& tag);

// `pairs` without those of mark `drop` (all of them for drop = -1).
PagePointPairs WithoutMark(const PagePointPairs& pairs, int drop);

// A photo -> reference transform for predicting where the next mark is:
// the homography of the pairs once there are seven or more (three marks
// and the tag), else the least-squares affine map, because a perspective
// fitted to the small tag alone extrapolates wildly across the page.
// 3x3 CV_64F. Needs at least three pairs not on one line.
cv::Mat RoughPhotoToReference(const PagePointPairs& pairs);

struct PageHomography {
  cv::Mat photo_to_ref;           // 3x3 CV_64F
  double reprojection_error = 0;  // reference px, RMS over the pairs used
  int corner_marks_used = 0;      // 3 or 4
};

// Least-squares fit to all of `pairs`. If its RMS error exceeds
// `max_error` and four marks are there, each is left out in turn (a
// finger, a fold, glare mistaken for a mark) and the best fit of three is
// kept. Errors (PageError kUnreadable, ocr/page_error.h): fewer than
// three marks, or no fit within `max_error`.
absl::StatusOr<PageHomography> FitPageHomography(const PagePointPairs& pairs,
                                                 double max_error);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_PAGE_HOMOGRAPHY_H_
