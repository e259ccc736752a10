#include "tools/synth/digit_guide.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "absl/strings/str_cat.h"

namespace c1tally::synth {
namespace {

// The frame's print is about 3 px of a 45 px box; this inset clears it.
constexpr double kFrameInset = 0.12;
// Dots print between these greys: lighter than the frame's black, darker
// than the paper (measured on page 2's template: 200 to 240).
constexpr int kDotDarkest = 120;
constexpr int kDotLightest = 246;
// Dots along a line, as a fraction of the box side (page 2: about 4 px of
// 45 across, 3.4 of 43 down).
constexpr double kDotStep = 0.085;

// Index of the largest entry of `counts` in [from, to), or -1 when all are 0.
int Peak(const std::vector<int>& counts, int from, int to) {
  int best = -1;
  for (int i = std::max(0, from); i < std::min<int>(to, counts.size()); ++i) {
    if (counts[i] > 0 && (best < 0 || counts[i] > counts[best])) best = i;
  }
  return best;
}

}  // namespace

cv::Point2f DigitGuide::At(const cv::Rect2f& box, double u, double v) const {
  // Piecewise, so that u = 0.5 is the centre column and v = 0.5 the middle
  // row wherever they were printed.
  auto between = [](double a, double mid, double b, double t) {
    return t <= 0.5 ? a + (mid - a) * 2 * t : mid + (b - mid) * (2 * t - 1);
  };
  const double x = between(left, centre, right, u);
  const double y = between(top, middle, bottom, v);
  return {static_cast<float>(box.x + x * box.width),
          static_cast<float>(box.y + y * box.height)};
}

absl::StatusOr<DigitGuide> MeasureGuide(const cv::Mat& page,
                                        const cv::Rect& box) {
  if (page.empty() || box.empty() ||
      (box & cv::Rect(0, 0, page.cols, page.rows)) != box) {
    return absl::InvalidArgumentError("box outside the template page");
  }
  cv::Mat gray = page(box);
  if (gray.channels() == 3) cv::cvtColor(gray, gray, cv::COLOR_BGR2GRAY);
  const int ix = static_cast<int>(std::ceil(box.width * kFrameInset));
  const int iy = static_cast<int>(std::ceil(box.height * kFrameInset));
  const cv::Rect inside(ix, iy, box.width - 2 * ix, box.height - 2 * iy);
  if (inside.width < 8 || inside.height < 8) {
    return absl::InvalidArgumentError("box too small for a guide");
  }
  const cv::Mat region = gray(inside);
  const cv::Mat dots = (region >= kDotDarkest) & (region <= kDotLightest);
  std::vector<int> by_column(region.cols, 0), by_row(region.rows, 0);
  int count = 0;
  double grey_sum = 0;
  for (int y = 0; y < region.rows; ++y) {
    for (int x = 0; x < region.cols; ++x) {
      if (dots.at<uchar>(y, x) == 0) continue;
      ++by_column[x];
      ++by_row[y];
      ++count;
      grey_sum += region.at<uchar>(y, x);
    }
  }
  if (count < 12) {
    return absl::NotFoundError(
        absl::StrCat("no writing guide in the box at ", box.x, ",", box.y));
  }
  auto first = [](const std::vector<int>& v) {
    return static_cast<int>(
        std::find_if(v.begin(), v.end(), [](int c) { return c > 0; }) -
        v.begin());
  };
  auto last = [](const std::vector<int>& v) {
    return static_cast<int>(v.rend() -
                            std::find_if(v.rbegin(), v.rend(),
                                         [](int c) { return c > 0; })) -
           1;
  };
  const int x0 = first(by_column), x1 = last(by_column);
  const int y0 = first(by_row), y1 = last(by_row);
  // The centre column and middle row are the densest lines between the
  // outer ones (2 px clear of them).
  const int xc = Peak(by_column, x0 + 2, x1 - 1);
  const int yc = Peak(by_row, y0 + 2, y1 - 1);
  if (xc < 0 || yc < 0 || x1 - x0 < 6 || y1 - y0 < 6) {
    return absl::NotFoundError("the box's dots form no 3x3 guide");
  }
  // Pixel centres, as fractions of the box.
  auto fx = [&](int x) { return (ix + x + 0.5) / box.width; };
  auto fy = [&](int y) { return (iy + y + 0.5) / box.height; };
  DigitGuide guide;
  guide.left = fx(x0);
  guide.centre = fx(xc);
  guide.right = fx(x1);
  guide.top = fy(y0);
  guide.middle = fy(yc);
  guide.bottom = fy(y1);
  guide.dot_grey = grey_sum / count;
  return guide;
}

void PrintGuide(const DigitGuide& guide, const cv::Rect& box, double darkness,
                cv::Mat* page) {
  const cv::Rect2f frame(box);
  const cv::Scalar ink = cv::Scalar::all(255.0 * (1.0 - darkness));
  const double radius = std::max(0.5, box.width / 60.0);
  auto dot = [&](double u, double v) {
    const cv::Point2f p = guide.At(frame, u, v);
    // Sub-pixel centres (shift 4) so a dot lands between pixels as print
    // does after scanning.
    cv::circle(*page, cv::Point(cvRound(p.x * 16), cvRound(p.y * 16)),
               cvRound(radius * 16), ink, cv::FILLED, cv::LINE_AA, 4);
  };
  const double width = (guide.right - guide.left) * box.width;
  const double height = (guide.bottom - guide.top) * box.height;
  const int across = std::max(
      2, static_cast<int>(std::lround(width / (kDotStep * box.width))));
  const int down = std::max(
      2, static_cast<int>(std::lround(height / (kDotStep * box.height))));
  for (double v : {0.0, 0.5, 1.0}) {
    for (int i = 0; i <= across; ++i) dot(static_cast<double>(i) / across, v);
  }
  for (double u : {0.0, 0.5, 1.0}) {
    for (int i = 0; i <= down; ++i) dot(u, static_cast<double>(i) / down);
  }
}

}  // namespace c1tally::synth
