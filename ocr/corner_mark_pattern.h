// The corner mark pattern and its correlation with a gray patch.
//
// Every corner mark is the same pattern in the upright reference frame: a
// black square in the top-left and one in the bottom-right quarter of its
// box, with white paper around. Normalised correlation with that pattern
// is indifferent to glare and shading and tolerates blur that would break a
// threshold. Because the pattern is two flat squares on flat white, the
// correlation at a place needs only box sums of the patch, so its cost does
// not grow with the mark's size (ocr/corner_mark.h does the search).
//
// All functions are pure; a MarkPatchSums is immutable after construction
// and may be shared by threads.
#ifndef C1TALLY_OCR_CORNER_MARK_PATTERN_H_
#define C1TALLY_OCR_CORNER_MARK_PATTERN_H_

#include <opencv2/core.hpp>

namespace c1tally::ocr {

// The corner mark pattern for a mark of w x h pixels: white, with a black
// (w/2) x (h/2) square in its top-left and one in its bottom-right corner,
// and a white margin of MarkPatternMargin(w, h) around it. The white margin
// is thin so that the photo's surroundings beyond the paper edge lie
// outside it.
int MarkPatternMargin(int w, int h);

// Integral images of an 8-bit gray patch, shared by the sizes of the mark
// searched in it: the sum (CV_32S, or CV_64F for a patch too large for
// 32-bit sums) and the sum of squares (CV_64F), both exact. Holds its own
// copies: the patch need not outlive it.
struct MarkPatchSums {
  explicit MarkPatchSums(const cv::Mat& patch);  // CV_8UC1
  cv::Size size;
  cv::Mat sum;
  cv::Mat sqsum;
};

// The normalised correlation (cv::TM_CCOEFF_NORMED) of the patch with the
// mark pattern at every place where the pattern fits: CV_32F,
// (cols - pattern cols + 1) x (rows - pattern rows + 1); 0 where the patch
// is flat. Empty when the patch is not at least 3 px larger than the
// pattern on each axis.
cv::Mat MarkPatternScores(const MarkPatchSums& sums, int w, int h);

// Where the pattern of a w x h mark best matches in the patch.
struct MarkMatch {
  // The best normalised correlation, -1 when the pattern does not fit.
  double score = -1;
  // The mark's own box (both squares, without the pattern's margin) in
  // patch pixels, its position refined to sub-pixel by a parabola through
  // the scores around the peak.
  cv::Rect2f box;
};
MarkMatch MatchMarkPattern(const MarkPatchSums& sums, int w, int h);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_CORNER_MARK_PATTERN_H_
