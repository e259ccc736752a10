// Synthetic digit boxes for training and testing the digit model: real empty
// boxes cut from the C.HASIL-PPWP templates, filled with an MNIST digit, an
// X, a dash or nothing in blue or black ballpoint, then degraded like a
// phone photo. The form generator can use the same strokes.
#ifndef C1TALLY_OCR_DIGIT_SYNTH_H_
#define C1TALLY_OCR_DIGIT_SYNTH_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace c1tally::ocr {

// The printed digit boxes of a template page (outer edge of the frame),
// found by contour analysis: near-square frames of 40–60 px whose inside is
// white, in the right 40% of the page (where both PPWP pages put them),
// sorted top to bottom then left to right. For the 2024 PPWP pages 2 and 3
// this gives the 9 boxes (3 fields × 3 digits). Fails when `page` is empty.
absl::StatusOr<std::vector<cv::Rect>> FindTemplateBoxes(const cv::Mat& page);

// What to write into a box.
enum class BoxContent { kDigit, kX, kDash, kBlank };

struct SynthOptions {
  BoxContent content = BoxContent::kDigit;
  cv::Mat mnist;  // CV_8UC1 28×28 white-on-black, for kDigit
  // Degrade like a phone photo (blur, noise, light, perspective, JPEG).
  bool degrade = true;
};

// Renders one box crop (BGR, frame plus a random margin, final side 32–110
// px) from the empty box `box` of template `page` (BGR). Deterministic
// given `rng`'s state. Never throws (cv::Exception is caught and reported).
absl::StatusOr<cv::Mat> RenderSyntheticBox(const cv::Mat& page,
                                           const cv::Rect& box,
                                           const SynthOptions& options,
                                           cv::RNG& rng);

// Writes `options.content` in ballpoint into the box `box` (its printed
// frame) of `page` (BGR) in place, the same way RenderSyntheticBox does but
// without degrading: the form generator degrades the whole photo instead.
absl::Status WriteBoxContent(const cv::Rect& box, const SynthOptions& options,
                             cv::RNG& rng, cv::Mat* page);

// A ballpoint colour (BGR): dark blue or near-black, with some spread.
cv::Scalar BallpointColour(cv::RNG& rng);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_DIGIT_SYNTH_H_
