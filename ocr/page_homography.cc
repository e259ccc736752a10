#include "ocr/page_homography.h"

#include <cmath>
#include <opencv2/calib3d.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ocr/page_error.h"

namespace c1tally::ocr {
namespace {

// RMS distance (reference px) of the pairs' photo points, mapped by `h`,
// from their reference points.
double RmsError(const PagePointPairs& pairs, const cv::Mat& h) {
  std::vector<cv::Point2f> mapped;
  cv::perspectiveTransform(pairs.photo, mapped, h);
  double sum = 0;
  for (size_t k = 0; k < mapped.size(); ++k) {
    const double e = cv::norm(mapped[k] - pairs.reference[k]);
    sum += e * e;
  }
  return std::sqrt(sum / mapped.size());
}

}  // namespace

void PagePointPairs::AddMark(int index, const cv::Point2f& photo_point,
                             const cv::Point2f& reference_point) {
  photo.push_back(photo_point);
  reference.push_back(reference_point);
  mark_index.push_back(index);
}

PagePointPairs TagPointPairs(const PageTag& tag) {
  PagePointPairs pairs;
  for (int k = 0; k < 4; ++k) {
    pairs.photo.push_back(tag.tag.corners[k]);
    pairs.reference.push_back(tag.spec->tag_corners[k]);
    pairs.mark_index.push_back(-1);
  }
  return pairs;
}

PagePointPairs WithoutMark(const PagePointPairs& pairs, int drop) {
  PagePointPairs kept;
  for (size_t k = 0; k < pairs.photo.size(); ++k) {
    if (pairs.mark_index[k] == drop && drop >= 0) continue;
    kept.photo.push_back(pairs.photo[k]);
    kept.reference.push_back(pairs.reference[k]);
    kept.mark_index.push_back(pairs.mark_index[k]);
  }
  return kept;
}

cv::Mat RoughPhotoToReference(const PagePointPairs& pairs) {
  if (pairs.photo.size() >= 7) {
    cv::Mat h = cv::findHomography(pairs.photo, pairs.reference, 0);
    if (!h.empty()) return h;
  }
  // Least-squares affine: [x y 1] * A = [u v].
  const int n = static_cast<int>(pairs.photo.size());
  cv::Mat a(n, 3, CV_64F), b(n, 2, CV_64F), x;
  for (int i = 0; i < n; ++i) {
    a.at<double>(i, 0) = pairs.photo[i].x;
    a.at<double>(i, 1) = pairs.photo[i].y;
    a.at<double>(i, 2) = 1;
    b.at<double>(i, 0) = pairs.reference[i].x;
    b.at<double>(i, 1) = pairs.reference[i].y;
  }
  cv::solve(a, b, x, cv::DECOMP_SVD);
  cv::Mat t = cv::Mat::eye(3, 3, CV_64F);
  cv::Mat(x.t()).copyTo(t(cv::Rect(0, 0, 3, 2)));
  return t;
}

absl::StatusOr<PageHomography> FitPageHomography(const PagePointPairs& pairs,
                                                 double max_error) {
  const int marks = pairs.marks();
  if (marks < 3) {
    return PageErrorStatus(PageError::kUnreadable,
                           absl::StrCat("only ", marks,
                                        " of the 4 corner marks found; the "
                                        "page is cut off, covered or too "
                                        "blurred"));
  }
  std::vector<int> drops = {-1};
  if (marks == 4) drops.insert(drops.end(), {0, 1, 2, 3});
  PageHomography best;
  best.reprojection_error = 1e18;
  for (int drop : drops) {
    const PagePointPairs kept = WithoutMark(pairs, drop);
    cv::Mat h = cv::findHomography(kept.photo, kept.reference, 0);
    if (h.empty()) continue;
    const double rms = RmsError(kept, h);
    if (rms < best.reprojection_error) best = {h, rms, kept.marks()};
    if (drop == -1 && rms <= max_error) break;  // all four agree
  }
  if (best.photo_to_ref.empty() || best.reprojection_error > max_error) {
    return PageErrorStatus(
        PageError::kUnreadable,
        absl::StrFormat("tag and corner marks disagree (%.1f px RMS); the "
                        "page is bent or the marks are misread",
                        best.reprojection_error));
  }
  return best;
}

}  // namespace c1tally::ocr
