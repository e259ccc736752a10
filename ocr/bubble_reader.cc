#include "ocr/bubble_reader.h"

#include <algorithm>

#include "opencv2/imgproc.hpp"

namespace c1tally::ocr {
namespace {

// A blackened bubble is mostly ink; an empty one shows only its outline and
// printed digit, which the inner disc mostly avoids.
constexpr double kFilledDarkness = 0.45;
// ... and it must stand out from the rest of its column by this much.
constexpr double kMinimumGap = 0.20;

// Mean darkness of the disc of `radius` around `centre`, 0 (white) .. 1.
double DiscDarkness(const cv::Mat& page, cv::Point2f centre, float radius) {
  const int r = std::max(1, static_cast<int>(radius));
  cv::Rect box(static_cast<int>(centre.x) - r, static_cast<int>(centre.y) - r,
               2 * r + 1, 2 * r + 1);
  box &= cv::Rect(0, 0, page.cols, page.rows);
  if (box.area() == 0) return 0;
  cv::Mat mask = cv::Mat::zeros(box.size(), CV_8U);
  cv::circle(mask,
             cv::Point(cvRound(centre.x) - box.x, cvRound(centre.y) - box.y), r,
             cv::Scalar(255), cv::FILLED);
  const double mean = cv::mean(page(box), mask)[0];
  return 1.0 - mean / 255.0;
}

}  // namespace

BubbleColumnReading ReadBubbleColumn(const cv::Mat& page,
                                     const BubbleColumn& column, float radius) {
  BubbleColumnReading reading;
  if (page.empty() || page.type() != CV_8UC1) return reading;
  // The inner 60% of the disc: ink inside, not the printed outline.
  for (const cv::Point2f& centre : column.centres) {
    reading.darkness.push_back(DiscDarkness(page, centre, radius * 0.6f));
  }
  std::vector<double> sorted = reading.darkness;
  std::sort(sorted.begin(), sorted.end(), std::greater<double>());
  const double median = sorted[5];
  auto blackened = [median](double darkness) {
    return darkness >= kFilledDarkness && darkness - median >= kMinimumGap;
  };
  if (!blackened(sorted[0])) {
    // Nothing stands out: an empty column.
    reading.empty = true;
    reading.confidence = std::clamp(
        1.0 - std::max(0.0, sorted[0] - median) / kMinimumGap, 0.0, 1.0);
    return reading;
  }
  if (blackened(sorted[1])) {
    // Two or more blackened: ambiguous.
    return reading;
  }
  reading.digit = static_cast<int>(
      std::max_element(reading.darkness.begin(), reading.darkness.end()) -
      reading.darkness.begin());
  reading.confidence =
      std::clamp((sorted[0] - sorted[1]) / (2 * kMinimumGap), 0.0, 1.0);
  return reading;
}

std::optional<int> BubbleNumber(
    const std::vector<BubbleColumnReading>& columns) {
  int value = 0;
  bool started = false;
  for (const BubbleColumnReading& column : columns) {
    if (column.empty) {
      if (started) return std::nullopt;
      continue;
    }
    if (!column.digit.has_value()) return std::nullopt;
    started = true;
    value = value * 10 + *column.digit;
  }
  if (!started) return std::nullopt;
  return value;
}

}  // namespace c1tally::ocr
