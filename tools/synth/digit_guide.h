// The printed writing guide of a 2024 C.HASIL digit box: a grid of grey
// dots, three columns (left, centre, right) by three rows (top, middle,
// bottom), inside the square frame. Officers trace its outer lines as a
// seven-segment digit (the "8" of a calculator) and its centre column for a
// 1, which is why real 2024 digits are boxy (DOMAIN.md "Handwriting on 2024
// forms").
//
// The geometry is measured on the blank template of page 2, whose boxes
// carry the guide; page 3's template (an earlier draft) has none, so the
// generator prints page 2's guide into its boxes, as on the printed forms.
#ifndef C1TALLY_TOOLS_SYNTH_DIGIT_GUIDE_H_
#define C1TALLY_TOOLS_SYNTH_DIGIT_GUIDE_H_

#include <opencv2/core.hpp>

#include "absl/status/statusor.h"

namespace c1tally::synth {

// Positions as fractions of the box's outer frame (0 = its left or top
// edge, 1 = its right or bottom edge).
struct DigitGuide {
  double left = 0, centre = 0, right = 0;  // x of the three columns
  double top = 0, middle = 0, bottom = 0;  // y of the three rows
  // Grey of the printed dots on the template (0 black .. 255 paper).
  double dot_grey = 210;
  // Where a guide point (u across, v down, each 0..1 over the grid; 0.5 is
  // the centre column or middle row) lies inside `box` (pixels of the page
  // or canvas `box` is in). Values outside 0..1 continue the outer cells.
  cv::Point2f At(const cv::Rect2f& box, double u, double v) const;
};

// Measures the guide inside the frame `box` of the template `page` (BGR or
// grey): the dots are the pixels lighter than print and darker than paper.
// NotFound when the box holds no guide (page 3's template), InvalidArgument
// when `box` is not inside `page`.
absl::StatusOr<DigitGuide> MeasureGuide(const cv::Mat& page,
                                        const cv::Rect& box);

// Prints `guide` as dots into the frame `box` of `page` (BGR, in place):
// the dots of the grid's lines, about one pixel each at a 45 px box, at
// `darkness` (0..1 of black; the template's own is about 0.2).
void PrintGuide(const DigitGuide& guide, const cv::Rect& box, double darkness,
                cv::Mat* page);

}  // namespace c1tally::synth

#endif  // C1TALLY_TOOLS_SYNTH_DIGIT_GUIDE_H_
