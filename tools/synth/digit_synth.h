// Synthetic digit boxes for training and testing the digit model: real empty
// boxes cut from the C.HASIL-PPWP templates, with their printed writing
// guide, filled with a digit traced on the guide (handwriting.h), an MNIST
// digit written free-hand, an X, a dash or nothing, in blue or black
// ballpoint, then degraded like a phone photo. The form generator writes
// its pages with the same strokes.
#ifndef C1TALLY_TOOLS_SYNTH_DIGIT_SYNTH_H_
#define C1TALLY_TOOLS_SYNTH_DIGIT_SYNTH_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/synth/digit_guide.h"
#include "tools/synth/handwriting.h"

namespace c1tally::synth {

// The printed digit boxes of a template page (outer edge of the frame),
// found by contour analysis: near-square frames of 40–60 px whose inside is
// white, in the right 40% of the page (where both PPWP pages put them),
// sorted top to bottom then left to right. For the 2024 PPWP pages 2 and 3
// this gives the 9 boxes (3 fields × 3 digits). Fails when `page` is empty.
absl::StatusOr<std::vector<cv::Rect>> FindTemplateBoxes(const cv::Mat& page);

// What to write into a box.
enum class BoxContent {
  kTraced,    // a digit traced on the printed guide (handwriting.h)
  kFreehand,  // an MNIST digit written over the guide
  kX,         // the mark of an unused box
  kDash,      // the other mark of an unused box
  kBlank,     // nothing: the guide shows
};

struct SynthOptions {
  BoxContent content = BoxContent::kTraced;
  int digit = 0;  // 0..9, for kTraced
  cv::Mat mnist;  // CV_8UC1 28×28 white-on-black, for kFreehand
  // The writer; null draws one for this box alone.
  const Handwriting* hand = nullptr;
  // Degrade like a phone photo (blur, noise, light, perspective, JPEG).
  bool degrade = true;
};

// Renders one box crop (BGR, frame plus a random margin, final side 32–110
// px) from the frame `box` of template `page` (BGR), whose writing guide is
// `guide`. Deterministic given `rng`'s state. Never throws (cv::Exception is
// caught and reported).
absl::StatusOr<cv::Mat> RenderSyntheticBox(const cv::Mat& page,
                                           const cv::Rect& box,
                                           const DigitGuide& guide,
                                           const SynthOptions& options,
                                           cv::RNG& rng);

// Writes `options.content` into the frame `box` of `page` (BGR) in place,
// the same way RenderSyntheticBox does but without degrading: the form
// generator degrades the whole photo instead.
absl::Status WriteBoxContent(const cv::Rect& box, const DigitGuide& guide,
                             const SynthOptions& options, cv::RNG& rng,
                             cv::Mat* page);

// The writing guide of a template page: measured on every box of `boxes`
// that has one and averaged. NotFound when none has (page 3's template).
absl::StatusOr<DigitGuide> MeasureTemplateGuide(
    const cv::Mat& page, const std::vector<cv::Rect>& boxes);

// A template page ready to write on: the page, its digit boxes and their
// guide. Pages whose template lacks the guide get `fallback` printed into
// every box, as the printed 2024 forms have it.
struct TemplatePage {
  cv::Mat page;  // BGR
  std::vector<cv::Rect> boxes;
  DigitGuide guide;
};
absl::StatusOr<TemplatePage> PrepareTemplatePage(
    cv::Mat page, const std::vector<cv::Rect>& boxes,
    const DigitGuide* fallback);

// PPWP-2024-hal2-plano.png and -hal3-plano.png from `dir`, each with its 9
// boxes (FindTemplateBoxes) and page 2's guide printed on page 3.
absl::StatusOr<std::vector<TemplatePage>> LoadTemplatePages(
    const std::string& dir);

}  // namespace c1tally::synth

#endif  // C1TALLY_TOOLS_SYNTH_DIGIT_SYNTH_H_
