#include "ocr/registration_quality.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_format.h"
#include "ocr/page_error.h"

namespace c1tally::ocr {

// One pass: cv::Laplacian, then meanStdDev, then mean took three passes
// and a page-sized 16-bit buffer (freshly mapped memory for every photo),
// 3-4 ms of a read; this takes well under one.
ReadAreaQuality MeasureReadAreaQuality(const cv::Mat& page) {
  const int rows = page.rows, cols = page.cols;
  // Lanes of fixed count let the compiler vectorize the inner loop at -O2.
  // A lane sums at most cols/16 squares of at most 1020^2 within a row:
  // below 2^31 for any page of up to 20,000 px (FormSpec's bound).
  constexpr int kLanes = 16;
  int64_t lap_sum = 0, lap_squares = 0, gray_sum = 0;
  for (int y = 0; y < rows; ++y) {
    const uint8_t* c = page.ptr<uint8_t>(y);
    // Reflected border: row -1 is row 1, column -1 is column 1.
    const uint8_t* up =
        page.ptr<uint8_t>(y > 0 ? y - 1 : std::min(1, rows - 1));
    const uint8_t* down =
        page.ptr<uint8_t>(y + 1 < rows ? y + 1 : std::max(0, rows - 2));
    int32_t sums[kLanes] = {}, squares[kLanes] = {}, grays[kLanes] = {};
    int x = 1;
    for (; x + kLanes < cols; x += kLanes) {
      for (int k = 0; k < kLanes; ++k) {
        const int i = x + k;
        const int v = up[i] + down[i] + c[i - 1] + c[i + 1] - 4 * c[i];
        sums[k] += v;
        squares[k] += v * v;
        grays[k] += c[i];
      }
    }
    int64_t row_sum = 0, row_squares = 0, row_gray = 0;
    for (int k = 0; k < kLanes; ++k) {
      row_sum += sums[k];
      row_squares += squares[k];
      row_gray += grays[k];
    }
    auto add = [&](int i, int left, int right) {
      const int v = up[i] + down[i] + c[left] + c[right] - 4 * c[i];
      row_sum += v;
      row_squares += v * v;
      row_gray += c[i];
    };
    for (; x < cols - 1; ++x) add(x, x - 1, x + 1);
    if (cols > 1) {
      add(0, 1, 1);
      add(cols - 1, cols - 2, cols - 2);
    } else {
      add(0, 0, 0);
    }
    lap_sum += row_sum;
    lap_squares += row_squares;
    gray_sum += row_gray;
  }
  const double n = static_cast<double>(rows) * cols;
  const double mean = lap_sum / n;
  ReadAreaQuality quality;
  quality.sharpness = std::max(0.0, lap_squares / n - mean * mean);
  quality.brightness = gray_sum / n;
  return quality;
}

absl::Status CheckReadAreaQuality(const ReadAreaQuality& quality,
                                  double min_sharpness, double min_brightness) {
  if (quality.brightness < min_brightness) {
    return PageErrorStatus(PageError::kUnreadable,
                           absl::StrFormat("page is too dark (mean gray %.0f)",
                                           quality.brightness));
  }
  if (quality.sharpness < min_sharpness) {
    return PageErrorStatus(
        PageError::kUnreadable,
        absl::StrFormat("page is too blurred (sharpness %.0f, need %.0f)",
                        quality.sharpness, min_sharpness));
  }
  return absl::OkStatus();
}

}  // namespace c1tally::ocr
