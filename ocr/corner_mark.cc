#include "ocr/corner_mark.h"

#include <opencv2/imgproc.hpp>
#include <vector>

#include "absl/strings/str_format.h"
#include "ocr/corner_mark_pattern.h"

namespace c1tally::ocr {

absl::StatusOr<cv::Point2f> FindCornerMarkAtScales(
    const cv::Mat& gray, const cv::Mat& photo_to_ref, const FormSpec& spec,
    int index, const cv::Rect2f& search_box, double zoom,
    absl::Span<const double> scales) {
  const CornerMark& mark = spec.corner_marks[index];
  const cv::Size size(cvRound(search_box.width * zoom),
                      cvRound(search_box.height * zoom));
  if (size.width < 8 || size.height < 8)
    return absl::NotFoundError("search box too small");
  cv::Mat to_patch = (cv::Mat_<double>(3, 3) << zoom, 0, -search_box.x * zoom,
                      0, zoom, -search_box.y * zoom, 0, 0, 1);
  to_patch = to_patch * photo_to_ref;
  cv::Mat patch;
  cv::warpPerspective(gray, patch, to_patch, size, cv::INTER_LINEAR,
                      cv::BORDER_REPLICATE);
  // The tag's own black and white modules can look like a mark: blank it.
  std::vector<cv::Point> tag;
  const cv::Point2f centre = (spec.tag_corners[0] + spec.tag_corners[2]) * 0.5f;
  for (const cv::Point2f& c : spec.tag_corners) {
    tag.push_back((centre + (c - centre) * 1.3f - search_box.tl()) * zoom);
  }
  cv::fillConvexPoly(patch, tag, cv::Scalar(255));
  const MarkPatchSums sums(patch);
  MarkMatch best;
  for (double scale : scales) {
    const int w = cvRound(mark.size.width * zoom * scale);
    const int h = cvRound(mark.size.height * zoom * scale);
    if (w < 4 || h < 4) continue;
    MarkMatch m = MatchMarkPattern(sums, w, h);
    if (m.score > best.score) best = m;
  }
  constexpr double kMinScore = 0.55;
  if (best.score < kMinScore) {
    return absl::NotFoundError(absl::StrFormat(
        "no corner mark where expected (best match %.2f)", best.score));
  }
  const cv::Point2f corner(
      best.box.x + ((index == 0 || index == 3) ? 0 : best.box.width),
      best.box.y + (index < 2 ? 0 : best.box.height));
  return search_box.tl() + corner * (1.0 / zoom);
}

absl::StatusOr<cv::Point2f> FindCornerMark(const cv::Mat& gray,
                                           const cv::Mat& photo_to_ref,
                                           const FormSpec& spec, int index,
                                           const cv::Rect2f& search_box,
                                           double zoom) {
  return FindCornerMarkAtScales(gray, photo_to_ref, spec, index, search_box,
                                zoom, {1.0});
}

cv::Rect2f CornerMarkBox(const CornerMark& mark, int index, float margin) {
  const float sx = (index == 0 || index == 3) ? 0 : -mark.size.width;
  const float sy = (index < 2) ? 0 : -mark.size.height;
  return cv::Rect2f(
      mark.outer_corner.x + sx - margin, mark.outer_corner.y + sy - margin,
      mark.size.width + 2 * margin, mark.size.height + 2 * margin);
}

}  // namespace c1tally::ocr
