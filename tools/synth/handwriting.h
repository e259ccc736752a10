// Officers' handwriting on the 2024 guides: digits drawn as pen strokes
// along the printed dot grid of a box (digit_guide.h), the way most
// officers wrote them, with one officer's habits kept over a whole form.
//
// What is drawn, and why (DOMAIN.md "Handwriting on 2024 forms"; the
// confusions measured on real 2024 boxes in issue 13 name the shapes an
// MNIST-trained reader got wrong):
// - Seven-segment shapes on the outer lines of the grid: 0 a rectangle,
//   2 3 5 with square corners, 6 as a Cyrillic Б (top bar, left stem, a
//   closed lower square; or without the top bar), 9 as a square top with
//   a straight right stem and a flat foot (or no foot), 8 as a rectangle
//   with a middle bar, 4 open (no top bar: a left stem to the middle, the
//   bar, a full right stem; rarely the closed free-hand 4), 7 a top bar and
//   a right stem (a vertical left serif, a middle bar or a slanted stem as
//   habits), 1 one vertical stroke on the centre or right column, with or
//   without a flag and a foot.
// - As pens move: strokes in a writer's order, ends that overshoot or stop
//   short of a corner (partial tracing), pen lifts at corners, rounded or
//   sharp corners, a loop in place of a corner (an oval 0, a round-topped
//   9, a looped 6), slant, size and offset in the box, points off the
//   guide, wobble, pen width from fine ballpoint to marker, pressure along
//   a stroke, blue or black ink.
// - Unused boxes: a large X from corner to corner, often heavier than the
//   digits, or a dash (digit_synth.h draws them with these habits).
// Free-hand digits (MNIST) are mixed in by digit_synth.h at the writer's
// `traced_share`.
#ifndef C1TALLY_TOOLS_SYNTH_HANDWRITING_H_
#define C1TALLY_TOOLS_SYNTH_HANDWRITING_H_

#include <opencv2/core.hpp>

#include "tools/synth/digit_guide.h"

namespace c1tally::synth {

// One officer's habits: drawn once per writer, then kept for every box the
// writer fills (each box still varies around them).
struct Handwriting {
  // Share of digits traced on the guide; the rest are free-hand.
  double traced_share = 0.8;
  // Size of the traced digit against the guide grid, width against height.
  double scale = 1.0;
  double aspect = 1.0;
  // Slant: horizontal shift per unit of height, positive leaning right.
  double slant = 0.0;
  // Mean offset of the digit from the guide, in fractions of the box.
  cv::Point2d offset = {0, 0};
  // How far points land off the guide (grid units, standard deviation).
  double precision = 0.04;
  // Corners: 0 sharp, 1 round.
  double rounding = 0.2;
  // Mean extension of a stroke's ends past its corner (grid units);
  // negative stops short.
  double overshoot = 0.03;
  // Chance of a pen lift (a small gap) at a corner.
  double pen_lifts = 0.1;
  // Slow sideways tremor of a stroke, in fractions of the box.
  double wobble = 0.01;
  // Pen width in fractions of the box side (ballpoint 0.04, marker 0.14).
  double pen = 0.06;
  // Width variation along a stroke (0 even .. 0.5).
  double pressure = 0.2;
  // Ink opacity (0.6 faint .. 1 solid).
  double ink_strength = 0.95;
  // How often a box departs from the shape habits below (0..0.5).
  double inconsistency = 0.1;
  // Shape habits.
  bool one_flag = false, one_foot = false, one_on_right = false;
  bool seven_serif = false, seven_bar = false, seven_slanted = false;
  bool four_closed = false;
  bool nine_foot = true, nine_loop = false;
  bool six_top = true, six_loop = false;
  bool five_split = false;
  bool two_diagonal = false;
  bool zero_oval = false;
  // Unused boxes: the X's size (fraction of the box interior) and pen
  // (times `pen`), or a dash instead.
  double x_size = 0.85;
  double x_weight = 1.4;
  bool marks_dash = false;
  // BGR.
  cv::Scalar ink = {150, 60, 30};
};

// A ballpoint colour (BGR): dark blue or near-black, with some spread.
cv::Scalar BallpointColour(cv::RNG& rng);

// A writer drawn from the spread of habits above (deterministic for `rng`'s
// state).
Handwriting RandomHandwriting(cv::RNG& rng);

// The alpha (CV_32FC1, `canvas` size, 0 paper .. 1 ink) of `digit` (0..9)
// traced by `hand` over `guide` in the frame `box` (canvas pixels).
// Deterministic for `rng`'s state; `digit` outside 0..9 gives an empty
// alpha.
cv::Mat TracedDigitAlpha(int digit, const DigitGuide& guide,
                         const cv::Rect2f& box, const Handwriting& hand,
                         const cv::Size& canvas, cv::RNG& rng);

}  // namespace c1tally::synth

#endif  // C1TALLY_TOOLS_SYNTH_HANDWRITING_H_
