// Registration quality: whether the part of a registered page that is read
// (RegisteredPage::area) is sharp and bright enough to read.
//
// Sharpness is the variance of the 3x3 Laplacian: blur lowers it, printed
// frames and ink raise it. Brightness is the mean gray: a photo taken in
// the dark is refused even when its marks were found. The geometric quality
// of a registration, its reprojection error, comes from the fit
// (ocr/page_homography.h).
//
// Pure functions: thread-safe, never throw.
#ifndef C1TALLY_OCR_REGISTRATION_QUALITY_H_
#define C1TALLY_OCR_REGISTRATION_QUALITY_H_

#include <opencv2/core.hpp>

#include "absl/status/status.h"

namespace c1tally::ocr {

struct ReadAreaQuality {
  // Variance of cv::Laplacian (ksize 1, the default reflected border) of
  // the area on its own: its border reflected, not what lies beyond it.
  double sharpness = 0;
  // Mean gray, 0 (black) .. 255 (white).
  double brightness = 0;
};

// Measures `area` (CV_8UC1, at least 1 x 1, at most 20,000 px on a side as
// FormSpec allows; a view into a larger image is fine) in one pass, without
// making the Laplacian image; the sums are exact integers, so the values
// are those of cv::Laplacian then cv::meanStdDev.
ReadAreaQuality MeasureReadAreaQuality(const cv::Mat& area);

// OK when `quality` meets both limits (values equal to a limit pass);
// otherwise a PageError kUnreadable status (ocr/page_error.h) saying
// "too dark" (checked first) or "too blurred", with the measured value.
absl::Status CheckReadAreaQuality(const ReadAreaQuality& quality,
                                  double min_sharpness, double min_brightness);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_REGISTRATION_QUALITY_H_
