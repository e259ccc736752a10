// Reading the bubbles (OMR) of page 2: under each digit box is a column of
// ten printed circles 0..9, and the officer blackens the one that matches
// the digit. The bubbles are an independent second reading of each digit.
#ifndef C1TALLY_OCR_BUBBLE_READER_H_
#define C1TALLY_OCR_BUBBLE_READER_H_

#include <optional>
#include <vector>

#include "ocr/form_spec.h"
#include "opencv2/core.hpp"

namespace c1tally::ocr {

struct BubbleColumnReading {
  // The blackened bubble's digit; unset when none or several are blackened.
  std::optional<int> digit;
  // How clearly one bubble stands out, 0..1.
  double confidence = 0;
  // True when no bubble is blackened (a leading X or blank box).
  bool empty = false;
  // Mean darkness (0 white .. 1 black) inside each bubble, 0..9.
  std::vector<double> darkness;
};

// Reads one column. `page` is the registered page (8-bit grayscale,
// reference size); the column's centres are in page coordinates and
// `radius` is the bubbles' printed radius.
BubbleColumnReading ReadBubbleColumn(const cv::Mat& page,
                                     const BubbleColumn& column, float radius);

// The number read from a field's columns (most significant first): leading
// empty columns are zeros; unset when a column is ambiguous, a column after
// the first filled one is empty, or every column is empty.
std::optional<int> BubbleNumber(
    const std::vector<BubbleColumnReading>& columns);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_BUBBLE_READER_H_
