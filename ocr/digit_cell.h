// Cell preparation: turns the crop of one digit box into the digit model's
// input.
//
// Input: a crop of ONE digit box as it sits on a registered page, the
// printed square frame included plus a small margin (any size from about 30
// to 120 px; grayscale or BGR). The frame and the dotted 7-segment guide are
// printed, thin and lighter than ballpoint ink, so they are removed by
// geometry (frame) and by darkness and size (guide dots); what remains is the
// ink, which is centred by mass in a 28×28 MNIST-like image.
#ifndef C1TALLY_OCR_DIGIT_CELL_H_
#define C1TALLY_OCR_DIGIT_CELL_H_

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace c1tally::ocr {

// Crops larger than this on either side are refused: a digit box is never
// that large, so such an input is a caller bug, not a box.
inline constexpr int kMaxCellSide = 2000;
// Side of the normalised ink image.
inline constexpr int kCellSide = 28;

struct PreparedCell {
  // CV_32FC1 kCellSide×kCellSide, ink 1, paper 0; all zeros when no ink.
  cv::Mat digit;
  // CV_32FC1 kCellSide×kCellSide: the same ink over the whole box interior,
  // not rescaled, so its size and place in the box survive; all zeros when
  // no ink.
  cv::Mat box_ink;
  // CV_32FC1 kCellSide×kCellSide: the darkness of the whole interior
  // before any mark was kept or dropped (twice the darkness, at most 1):
  // faint strokes too light to count as ink, the guide dots, what is left
  // of the frame. The model sees what the cleaning threw away.
  cv::Mat interior;
  // Ink pixels as a fraction of the box interior (after guide removal).
  double ink_fraction = 0.0;
  // Ink bounding box relative to the interior, in [0, 1].
  double ink_width = 0.0;
  double ink_height = 0.0;
  // Centre of the ink's mass relative to the interior, in [0, 1]; a stray
  // frame line sits near an edge, a digit near the middle.
  double ink_centre_x = 0.5;
  double ink_centre_y = 0.5;
  // Connected ink components kept.
  int components = 0;
  // True when nothing darker and larger than the printed guides was found.
  bool blank = true;
  // On how many sides (0..4) a printed frame line was found. A digit box
  // crop has it on all four, or three where the crop cut one off; fewer
  // means a badly blurred box or no digit box (digit_classifier.h).
  int frame_sides = 0;
};

// Prepares `box_crop` (CV_8UC1, CV_8UC3 BGR or CV_8UC4 BGRA). Returns
// InvalidArgument for an empty, tiny (< 8 px), oversized or wrongly typed
// crop. Never throws. Thread-safe (pure function).
absl::StatusOr<PreparedCell> PrepareCell(const cv::Mat& box_crop);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_DIGIT_CELL_H_
