#include "ocr/corner_mark_pattern.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <opencv2/imgproc.hpp>

namespace c1tally::ocr {

int MarkPatternMargin(int w, int h) {
  return std::max(2, cvRound(0.15 * std::min(w, h)));
}

MarkPatchSums::MarkPatchSums(const cv::Mat& patch) : size(patch.size()) {
  // cv::integral is fast for a 32-bit sum alone but slow with a sum of
  // squares (about 1 ms for a wide pass's patch, a third of its search), so
  // the squares are summed here. Both are exact: every value is an integer
  // far below 2^53.
  const bool fits = int64_t{255} * (patch.rows + 1) * (patch.cols + 1) <
                    std::numeric_limits<int>::max();
  cv::integral(patch, sum, fits ? CV_32S : CV_64F);
  sqsum.create(patch.rows + 1, patch.cols + 1, CV_64F);
  std::fill_n(sqsum.ptr<double>(0), sqsum.cols, 0.0);
  for (int y = 0; y < patch.rows; ++y) {
    const uint8_t* pixels = patch.ptr<uint8_t>(y);
    const double* above = sqsum.ptr<double>(y);
    double* row = sqsum.ptr<double>(y + 1);
    row[0] = 0;
    int64_t run = 0;
    for (int x = 0; x < patch.cols; ++x) {
      run += pixels[x] * pixels[x];
      row[x + 1] = above[x + 1] + static_cast<double>(run);
    }
  }
}

namespace {

// MarkPatternScores with the patch sums of type T (int or double).
template <typename T>
cv::Mat PatternScores(const MarkPatchSums& sums, int w, int h) {
  const int margin = MarkPatternMargin(w, h);
  const int pw = w + 2 * margin, ph = h + 2 * margin;
  // As MatchMarkPattern always required: room for at least a few places.
  if (sums.size.width <= pw + 2 || sums.size.height <= ph + 2) return cv::Mat();
  // The pattern is 255 (paper) except two black w/2 x h/2 squares, so its
  // correlation at a place needs only four box sums: the window's sum and
  // sum of squares, and the sums over the two squares. This is exactly
  // cv::matchTemplate's TM_CCOEFF_NORMED, in O(1) a place instead of a
  // correlation over the window (most of registration's time before).
  const int sw = w / 2, sh = h / 2;
  const double n = static_cast<double>(pw) * ph;
  const double n_black = 2.0 * sw * sh;
  const double mean_t = 255.0 * (n - n_black) / n;
  // Sum of T'^2 with T' = T - mean(T).
  const double t_norm2 = (n - n_black) * (255.0 - mean_t) * (255.0 - mean_t) +
                         n_black * mean_t * mean_t;
  const int ax = margin, ay = margin;
  const int bx = margin + w - sw, by = margin + h - sh;
  cv::Mat score(sums.size.height - ph + 1, sums.size.width - pw + 1, CV_32F);
  for (int y = 0; y < score.rows; ++y) {
    // The rows of the integral images that bound the window and the two
    // squares at this row of places.
    const T* top = sums.sum.ptr<T>(y);
    const T* bottom = sums.sum.ptr<T>(y + ph);
    const double* sq_top = sums.sqsum.ptr<double>(y);
    const double* sq_bottom = sums.sqsum.ptr<double>(y + ph);
    const T* a_top = sums.sum.ptr<T>(y + ay) + ax;
    const T* a_bottom = sums.sum.ptr<T>(y + ay + sh) + ax;
    const T* b_top = sums.sum.ptr<T>(y + by) + bx;
    const T* b_bottom = sums.sum.ptr<T>(y + by + sh) + bx;
    float* out = score.ptr<float>(y);
    // Differences of partial row sums first: with int sums, no intermediate
    // value exceeds the patch's total.
    for (int x = 0; x < score.cols; ++x) {
      const double s_win = static_cast<double>((bottom[x + pw] - bottom[x]) -
                                               (top[x + pw] - top[x]));
      const double q_win =
          sq_top[x] + sq_bottom[x + pw] - sq_top[x + pw] - sq_bottom[x];
      const double s_black = static_cast<double>(
          (a_bottom[x + sw] - a_bottom[x]) - (a_top[x + sw] - a_top[x]) +
          (b_bottom[x + sw] - b_bottom[x]) - (b_top[x + sw] - b_top[x]));
      // Sum of T' * I (T' sums to zero, so I need not be centred).
      const double num = (255.0 - mean_t) * s_win - 255.0 * s_black;
      const double i_norm2 = std::max(0.0, q_win - s_win * s_win / n);
      const double denom = std::sqrt(t_norm2 * i_norm2);
      // A flat window correlates with nothing (matchTemplate gives NaN or
      // an arbitrary value there).
      out[x] = denom > 1e-6 * t_norm2
                   ? static_cast<float>(std::clamp(num / denom, -1.0, 1.0))
                   : 0.0f;
    }
  }
  return score;
}

}  // namespace

cv::Mat MarkPatternScores(const MarkPatchSums& sums, int w, int h) {
  return sums.sum.depth() == CV_32S ? PatternScores<int>(sums, w, h)
                                    : PatternScores<double>(sums, w, h);
}

MarkMatch MatchMarkPattern(const MarkPatchSums& sums, int w, int h) {
  MarkMatch match;
  const cv::Mat score = MarkPatternScores(sums, w, h);
  if (score.empty()) return match;
  cv::Point peak;
  cv::minMaxLoc(score, nullptr, &match.score, nullptr, &peak);
  if (!(match.score >= -1.0)) match.score = -1;
  // Sub-pixel peak: a parabola through the neighbours on each axis.
  auto offset = [&](cv::Point step) {
    const cv::Point p = peak + step, q = peak - step;
    const cv::Rect valid(0, 0, score.cols, score.rows);
    if (!valid.contains(p) || !valid.contains(q)) return 0.0f;
    const float a = score.at<float>(q), b = score.at<float>(peak),
                c = score.at<float>(p);
    const float denom = a - 2 * b + c;
    return denom < 0 ? std::clamp(0.5f * (a - c) / denom, -0.5f, 0.5f) : 0.0f;
  };
  const int margin = MarkPatternMargin(w, h);
  match.box = cv::Rect2f(peak.x + offset({1, 0}) + margin,
                         peak.y + offset({0, 1}) + margin,
                         static_cast<float>(w), static_cast<float>(h));
  return match;
}

}  // namespace c1tally::ocr
