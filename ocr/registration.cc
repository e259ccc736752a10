#include "ocr/registration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <opencv2/aruco.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

absl::Status Failure(PageError error, const std::string& reason) {
  return PageErrorStatus(error, reason);
}

cv::Point2f Apply(const cv::Mat& h, const cv::Point2f& p) {
  std::vector<cv::Point2f> in{p}, out;
  cv::perspectiveTransform(in, out, h);
  return out[0];
}

// The detector settings tried in order: OpenCV's defaults, then settings
// for small, low-contrast or blurred tags.
std::vector<cv::Ptr<cv::aruco::DetectorParameters>> DetectorSettings() {
  auto defaults = cv::aruco::DetectorParameters::create();
  auto lenient = cv::aruco::DetectorParameters::create();
  lenient->adaptiveThreshWinSizeMin = 5;
  lenient->adaptiveThreshWinSizeMax = 75;
  lenient->adaptiveThreshWinSizeStep = 10;
  lenient->minMarkerPerimeterRate = 0.015;
  lenient->polygonalApproxAccuracyRate = 0.06;
  lenient->perspectiveRemovePixelPerCell = 8;
  return {defaults, lenient};
}

// `gray` scaled by `scale` (<= 1) for tag detection.
cv::Mat DetectionCopy(const cv::Mat& gray, double scale) {
  cv::Mat small = gray;
  if (scale < 1.0)
    cv::resize(gray, small, cv::Size(), scale, scale, cv::INTER_AREA);
  return small;
}

// The tags in `small` (a detection copy made at `scale`), with corners in
// the coordinates of the image it was made from. `offset` is where `small`
// lies in the detection copy when it is a crop of it.
std::vector<DetectedTag> DetectIn(
    const cv::Mat& small, const cv::Ptr<cv::aruco::Dictionary>& dict,
    const cv::Ptr<cv::aruco::DetectorParameters>& params, double scale,
    cv::Point2f offset = {0, 0}) {
  std::vector<std::vector<cv::Point2f>> corners;
  std::vector<int> ids;
  cv::aruco::detectMarkers(small, dict, corners, ids, params);
  std::vector<DetectedTag> tags;
  for (size_t i = 0; i < ids.size(); ++i) {
    DetectedTag tag;
    tag.id = ids[i];
    for (int k = 0; k < 4; ++k) {
      tag.corners[k] = (corners[i][k] + offset) * (1.0 / scale);
    }
    tags.push_back(tag);
  }
  return tags;
}

// The pixels `crop` (in the coordinates of DetectionCopy(gray, scale)) of
// that copy, made from the part of `gray` under it only, and identical to
// the copy's: INTER_AREA weighs each source pixel by where it falls in the
// copy's grid, so the part is cut where that grid meets whole source pixels
// (every q-th copy pixel, q*(1/scale) a whole number). Nullopt when no such
// q <= 256 exists or the crop touches the copy's last row or column.
std::optional<cv::Mat> CopyCrop(const cv::Mat& gray, double scale,
                                const cv::Rect& crop) {
  if (scale >= 1.0) return gray(crop);
  const double inv = 1.0 / scale;
  int q = 0;
  for (int k = 1; k <= 256 && q == 0; ++k) {
    const double v = k * inv;
    if (std::abs(v - std::round(v)) < 1e-9) q = k;
  }
  if (q == 0) return std::nullopt;
  const int x0 = crop.x / q * q, y0 = crop.y / q * q;
  const int sx0 = static_cast<int>(std::lround(x0 * inv));
  const int sy0 = static_cast<int>(std::lround(y0 * inv));
  const int sx1 = std::min(
      gray.cols, static_cast<int>(std::ceil((crop.br().x + 2) * inv)) + 2);
  const int sy1 = std::min(
      gray.rows, static_cast<int>(std::ceil((crop.br().y + 2) * inv)) + 2);
  if (sx1 <= sx0 || sy1 <= sy0) return std::nullopt;
  cv::Mat part;
  cv::resize(gray(cv::Rect(sx0, sy0, sx1 - sx0, sy1 - sy0)), part, cv::Size(),
             scale, scale, cv::INTER_AREA);
  const cv::Rect want(crop.x - x0, crop.y - y0, crop.width, crop.height);
  if ((want & cv::Rect(0, 0, part.cols - 1, part.rows - 1)) != want) {
    return std::nullopt;
  }
  return part(want);
}

// Where the tags are, roughly: in a copy of `gray` shrunk `shrink` times,
// in that copy's pixels. Only a rough place is wanted (the caller detects
// each tag again), so the copy takes every shrink-th pixel (a tenth of the
// cost of averaging them, which OpenCV does slowly for a factor of 3) and
// the image is thresholded with one window instead of three (the three
// are for exact contours). On the real photos and 500 generated ones this
// finds the tag at least as often as the full settings on an averaged
// copy, in a third of the time.
std::vector<DetectedTag> LocateTags(
    const cv::Mat& gray, const cv::Ptr<cv::aruco::Dictionary>& dict,
    const cv::Ptr<cv::aruco::DetectorParameters>& params, int shrink) {
  cv::Mat small;
  cv::resize(gray, small, cv::Size(), 1.0 / shrink, 1.0 / shrink,
             cv::INTER_NEAREST);
  auto locate = cv::makePtr<cv::aruco::DetectorParameters>(*params);
  locate->adaptiveThreshWinSizeMin = 9;
  locate->adaptiveThreshWinSizeMax = 9;
  return DetectIn(small, dict, locate, 1.0);
}

// What DetectIn(DetectionCopy(gray, scale), ..., params, scale) finds, in a
// fraction of the time: the tags are located on a copy about half that
// size (LocateTags; when it shows none, on one at least twice as large,
// which small tags in a large photo need), then detected again with the
// same settings in crops of the detection copy around each, made without
// making the whole copy (CopyCrop). The detector's thresholds and contours
// are local (windows of at most 23 px), so a crop with a tag's width of
// margin gives the same corners as the whole copy (checked on the real
// photos and 500 generated ones). Nullopt when neither copy shows a tag or
// a crop cannot be made or does not confirm one; the caller then searches
// the whole copy. A tag too small to be seen at half size is missed when a
// larger one is seen, which the page tag (the largest) does not mind.
std::optional<std::vector<DetectedTag>> DetectLocated(
    const cv::Mat& gray, const cv::Ptr<cv::aruco::Dictionary>& dict,
    const cv::Ptr<cv::aruco::DetectorParameters>& params, double scale) {
  const cv::Size copy_size(cv::saturate_cast<int>(gray.cols * scale),
                           cv::saturate_cast<int>(gray.rows * scale));
  if (std::min(copy_size.width, copy_size.height) < 400) return std::nullopt;
  int shrink = std::max(2, cvRound(2.0 / scale));
  std::vector<DetectedTag> located = LocateTags(gray, dict, params, shrink);
  if (located.empty() && shrink > 2) {
    shrink = std::max(2, shrink / 2);
    located = LocateTags(gray, dict, params, shrink);
  }
  if (located.empty()) return std::nullopt;
  // Small-copy pixels to detection-copy pixels.
  const float to_copy = static_cast<float>(shrink * scale);
  std::vector<DetectedTag> tags;
  for (const DetectedTag& guess : located) {
    std::vector<cv::Point2f> quad;
    for (const cv::Point2f& c : guess.corners) quad.push_back(c * to_copy);
    const cv::Rect box = cv::boundingRect(quad);
    const int margin = std::max({box.width, box.height, 24});
    const cv::Rect crop =
        cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin,
                 box.height + 2 * margin) &
        cv::Rect(cv::Point(0, 0), copy_size);
    if (crop.empty()) return std::nullopt;
    const std::optional<cv::Mat> pixels = CopyCrop(gray, scale, crop);
    if (!pixels.has_value()) return std::nullopt;
    bool confirmed = false;
    for (const DetectedTag& tag :
         DetectIn(*pixels, dict, params, scale, cv::Point2f(crop.tl()))) {
      // The same tag: same id, corners near where the small copy put them.
      bool same = tag.id == guess.id;
      for (int k = 0; k < 4 && same; ++k) {
        same = cv::norm(tag.corners[k] * scale - quad[k]) < 2.0 * to_copy;
      }
      if (same) {
        tags.push_back(tag);
        confirmed = true;
        break;
      }
    }
    if (!confirmed) return std::nullopt;
  }
  return tags;
}

// Sub-pixel corners at full resolution. A corner that moves further than
// the downscaling could explain is kept where the detector put it.
void RefineCorners(const cv::Mat& gray, double scale, DetectedTag* tag) {
  std::vector<cv::Point2f> pts(tag->corners.begin(), tag->corners.end());
  const double side = cv::norm(pts[0] - pts[1]);
  // Half-window well inside one of the tag's 8 modules.
  const int half = std::clamp(static_cast<int>(side / 8 / 3), 2, 8);
  cv::cornerSubPix(
      gray, pts, cv::Size(half, half), cv::Size(-1, -1),
      cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 30,
                       0.01));
  const double limit = std::max(2.0, 1.5 / scale);
  for (int k = 0; k < 4; ++k) {
    if (cv::norm(pts[k] - tag->corners[k]) <= limit) tag->corners[k] = pts[k];
  }
}

// The integral image of the inverted page (255 - gray) over `area`: CV_32S
// when every sum fits (exact, and half the memory of CV_64F), else CV_64F.
struct DarkIntegral {
  cv::Mat sums;
  cv::Rect area;  // the part of the page summed
  cv::Size page;
};

template <typename T>
double BoxSum(const cv::Mat& sums, const cv::Rect& r) {
  const T* top = sums.ptr<T>(r.y);
  const T* bottom = sums.ptr<T>(r.br().y);
  return static_cast<double>(top[r.x]) + bottom[r.br().x] - top[r.br().x] -
         bottom[r.x];
}

// Mean darkness of `rect` (page coordinates); 0 when the rect leaves the
// page.

double MeanDark(const DarkIntegral& dark, const cv::Rect& rect) {
  if ((rect & cv::Rect(cv::Point(0, 0), dark.page)) != rect ||
      rect.area() == 0) {
    return 0;
  }
  const cv::Rect r = rect - dark.area.tl();
  const double sum = dark.sums.depth() == CV_32S ? BoxSum<int>(dark.sums, r)
                                                 : BoxSum<double>(dark.sums, r);
  return sum / rect.area();
}

// Darkness along a box frame: the four 2-px strips just inside its edge.
double FrameDarkness(const DarkIntegral& dark, const cv::Rect& box) {
  if (box.width < 6 || box.height < 6) return 0;
  const int t = 2;
  const double top = MeanDark(dark, {box.x, box.y, box.width, t});
  const double bottom = MeanDark(dark, {box.x, box.br().y - t, box.width, t});
  const double left = MeanDark(dark, {box.x, box.y, t, box.height});
  const double right = MeanDark(dark, {box.br().x - t, box.y, t, box.height});
  return (top + bottom + left + right) / 4;
}

void RefineBoxes(const RegistrationOptions& options, RegisteredPage* out) {
  const int r = options.box_search_radius;
  // Only the part of the page the boxes can move in is summed (pages 2 and
  // 3 have three fields in a small part of the page).
  cv::Rect around;
  for (const DigitField& field : out->spec->fields) {
    for (const cv::Rect2f& box : field.boxes) {
      const cv::Rect outer(cvFloor(box.x) - r - 2, cvFloor(box.y) - r - 2,
                           cvCeil(box.width) + 2 * r + 5,
                           cvCeil(box.height) + 2 * r + 5);
      around = around.empty() ? outer : (around | outer);
    }
  }
  DarkIntegral dark;
  dark.page = out->page.size();
  dark.area = around & cv::Rect(cv::Point(0, 0), dark.page);
  if (!dark.area.empty()) {
    cv::Mat inverted;
    cv::subtract(cv::Scalar(255), out->page(dark.area), inverted);
    const bool fits =
        int64_t{255} * dark.area.area() < std::numeric_limits<int>::max();
    cv::integral(inverted, dark.sums, fits ? CV_32S : CV_64F);
  }
  for (const DigitField& field : out->spec->fields) {
    std::array<cv::Rect2f, 3> boxes;
    std::array<float, 3> darkness{};
    cv::Point2f shift_sum(0, 0);
    for (int k = 0; k < 3; ++k) {
      const cv::Rect base(
          cv::Point(cvRound(field.boxes[k].x), cvRound(field.boxes[k].y)),
          cv::Size(cvRound(field.boxes[k].width),
                   cvRound(field.boxes[k].height)));
      double best = -1;
      cv::Point best_shift(0, 0);
      for (int dy = -r; dy <= r; ++dy) {
        for (int dx = -r; dx <= r; ++dx) {
          // A tiny preference for small shifts breaks ties toward the spec.
          const double score = FrameDarkness(dark, base + cv::Point(dx, dy)) -
                               0.01 * (std::abs(dx) + std::abs(dy));
          if (score > best) {
            best = score;
            best_shift = {dx, dy};
          }
        }
      }
      boxes[k] = field.boxes[k] + cv::Point2f(best_shift);
      darkness[k] = static_cast<float>(FrameDarkness(dark, base + best_shift));
      shift_sum += cv::Point2f(best_shift);
    }
    out->boxes.push_back(boxes);
    out->frame_darkness.push_back(darkness);
    out->field_shift.push_back(shift_sum * (1.0f / 3));
  }
}

const FormSpec* SpecForTag(const std::vector<FormSpec>& specs, int dictionary,
                           int id) {
  for (const FormSpec& s : specs) {
    if (s.tag_dictionary_id == dictionary && s.tag_id == id) return &s;
  }
  return nullptr;
}

// Where the mark pattern best matches in `patch`: its bounding box (in
// patch pixels, sub-pixel) and the normalised correlation.
struct MarkMatch {
  double score = -1;
  cv::Rect2f box;
};

// Every mark is the same pattern in the upright reference frame: a black
// square in the top-left and one in the bottom-right quarter of its box,
// with white paper around. Normalised correlation with that pattern is
// indifferent to glare and shading and tolerates blur that would break a
// threshold; the photo's surroundings beyond the paper edge lie outside the
// pattern's thin white margin.
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

// FindCornerMark, trying the mark at each of `scales` times its size: in
// the wide first pass perspective can shrink or grow it a good deal.
absl::StatusOr<cv::Point2f> FindMark(const cv::Mat& gray,
                                     const cv::Mat& photo_to_ref,
                                     const FormSpec& spec, int index,
                                     const cv::Rect2f& search_box, double zoom,
                                     std::initializer_list<double> scales) {
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

struct TagMatch {
  const FormSpec* spec = nullptr;
  DetectedTag tag;
};

// Picks the photo's page tag: the largest tag that names a known spec.
absl::StatusOr<TagMatch> FindPageTag(const cv::Mat& gray,
                                     const std::vector<FormSpec>& specs,
                                     const RegistrationOptions& options) {
  std::set<int> dictionaries;
  for (const FormSpec& s : specs) dictionaries.insert(s.tag_dictionary_id);
  std::vector<int> unknown_ids;
  TagMatch best;
  double best_area = 0;
  for (int dictionary : dictionaries) {
    // The specs' own tags first: most of the detector's time goes into
    // comparing every square on the page (digit boxes, table cells) with
    // each code of the dictionary. Only when none of them is there is the
    // whole dictionary searched, to tell a wrong page from no form.
    std::vector<int> ids;
    for (const FormSpec& s : specs) {
      if (s.tag_dictionary_id == dictionary) ids.push_back(s.tag_id);
    }
    absl::StatusOr<std::vector<DetectedTag>> tags =
        DetectTags(gray, dictionary, options.detect_long_side, ids);
    if (tags.ok() && tags->empty()) {
      tags = DetectTags(gray, dictionary, options.detect_long_side);
    }
    if (!tags.ok()) return tags.status();
    for (const DetectedTag& tag : *tags) {
      const FormSpec* spec = SpecForTag(specs, dictionary, tag.id);
      if (spec == nullptr) {
        unknown_ids.push_back(tag.id);
        continue;
      }
      std::vector<cv::Point2f> quad(tag.corners.begin(), tag.corners.end());
      const double area = cv::contourArea(quad);
      if (area > best_area) {
        best_area = area;
        best = {spec, tag};
      }
    }
  }
  if (best.spec != nullptr) return best;
  if (!unknown_ids.empty()) {
    return Failure(PageError::kWrongPage,
                   absl::StrCat("found AprilTag id ", unknown_ids[0],
                                ", which is not a page of any known form"));
  }
  return Failure(PageError::kNotAForm,
                 "no form page marker (AprilTag) found in the photo");
}

// Photo and reference points for the fit: the tag corners, then the marks.
struct PointPairs {
  std::vector<cv::Point2f> photo;
  std::vector<cv::Point2f> reference;
  std::vector<int> mark_index;  // -1 for tag corners
};

PointPairs TagPairs(const TagMatch& match) {
  PointPairs pairs;
  for (int k = 0; k < 4; ++k) {
    pairs.photo.push_back(match.tag.corners[k]);
    pairs.reference.push_back(match.spec->tag_corners[k]);
    pairs.mark_index.push_back(-1);
  }
  return pairs;
}

// The mark's extent (from its outer corner inwards) grown by `margin`.
cv::Rect2f MarkBox(const CornerMark& mark, int index, float margin) {
  const float sx = (index == 0 || index == 3) ? 0 : -mark.size.width;
  const float sy = (index < 2) ? 0 : -mark.size.height;
  return cv::Rect2f(
      mark.outer_corner.x + sx - margin, mark.outer_corner.y + sy - margin,
      mark.size.width + 2 * margin, mark.size.height + 2 * margin);
}

// Photo -> reference transform from the pairs so far: affine until three
// marks are known, because a perspective fitted to the small tag alone
// extrapolates wildly across the page.
cv::Mat RoughTransform(const PointPairs& pairs) {
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

// Margin (reference px) of the search for a mark predicted by the tag and
// the two other marks (see Register).
constexpr float kRepairMargin = 60;

// Pass 1: finds the marks one at a time, nearest the tag first, each
// predicted by a transform fitted to everything found before it, in the
// spec's (wide) search boxes.
void AddCornerMarksWide(const cv::Mat& gray, const FormSpec& spec,
                        PointPairs* pairs) {
  const cv::Point2f tag_centre =
      (spec.tag_corners[0] + spec.tag_corners[2]) * 0.5f;
  std::array<int, 4> order = {0, 1, 2, 3};
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return cv::norm(spec.corner_marks[a].outer_corner - tag_centre) <
           cv::norm(spec.corner_marks[b].outer_corner - tag_centre);
  });
  // A mark missed early (glare, a finger) is looked for once more at the
  // end, when the marks found since predict it better.
  std::array<bool, 4> found_mark = {false, false, false, false};
  for (int round = 0; round < 2; ++round) {
    for (int i : order) {
      if (found_mark[i]) continue;
      const cv::Mat photo_to_ref = RoughTransform(*pairs);
      // The prediction errs roughly in proportion to how far it reaches
      // from the points it rests on; once three marks are known the
      // homography puts the fourth within a few dozen px.
      const CornerMark& mark = spec.corner_marks[i];
      const float reach =
          static_cast<float>(cv::norm(mark.outer_corner - tag_centre));
      const float margin =
          pairs->photo.size() >= 7 ? 60.f : std::max(60.f, 0.3f * reach);
      const cv::Rect2f around = MarkBox(mark, i, margin) & mark.search_box;
      absl::StatusOr<cv::Point2f> found = FindMark(
          gray, photo_to_ref, spec, i, around, /*zoom=*/0.5, {0.8, 1.0, 1.25});
      if (!found.ok()) continue;
      found_mark[i] = true;
      pairs->photo.push_back(Apply(photo_to_ref.inv(), *found));
      pairs->reference.push_back(spec.corner_marks[i].outer_corner);
      pairs->mark_index.push_back(i);
    }
  }
}

// Pass 2: looks for each mark in a box `margin` reference px around where
// `photo_to_ref` puts it, at twice the reference scale for a half-pixel
// bounding box.
void AddCornerMarksNarrow(const cv::Mat& gray, const cv::Mat& photo_to_ref,
                          const FormSpec& spec, float margin,
                          PointPairs* pairs) {
  const cv::Mat ref_to_photo = photo_to_ref.inv();
  for (int i = 0; i < 4; ++i) {
    const cv::Rect2f box = MarkBox(spec.corner_marks[i], i, margin);
    absl::StatusOr<cv::Point2f> found =
        FindCornerMark(gray, photo_to_ref, spec, i, box, 2.0);
    if (!found.ok()) continue;
    pairs->photo.push_back(Apply(ref_to_photo, *found));
    pairs->reference.push_back(spec.corner_marks[i].outer_corner);
    pairs->mark_index.push_back(i);
  }
}

double RmsError(const PointPairs& pairs, const cv::Mat& h, int* worst) {
  std::vector<cv::Point2f> mapped;
  cv::perspectiveTransform(pairs.photo, mapped, h);
  double sum = 0, worst_error = -1;
  for (size_t k = 0; k < mapped.size(); ++k) {
    const double e = cv::norm(mapped[k] - pairs.reference[k]);
    sum += e * e;
    if (pairs.mark_index[k] >= 0 && e > worst_error) {
      worst_error = e;
      *worst = static_cast<int>(k);
    }
  }
  return std::sqrt(sum / mapped.size());
}

PointPairs WithoutMark(const PointPairs& pairs, int drop) {
  PointPairs kept;
  for (size_t k = 0; k < pairs.photo.size(); ++k) {
    if (pairs.mark_index[k] == drop && drop >= 0) continue;
    kept.photo.push_back(pairs.photo[k]);
    kept.reference.push_back(pairs.reference[k]);
    kept.mark_index.push_back(pairs.mark_index[k]);
  }
  return kept;
}

// Least-squares fit to the tag corners and the marks. If the fit is poor
// and four marks were found, each one is left out in turn (a finger, a
// fold, glare mistaken for a mark) and the best fit of three is kept.
absl::StatusOr<cv::Mat> FitHomography(const PointPairs& pairs, double max_error,
                                      RegisteredPage* out) {
  const int marks = static_cast<int>(pairs.photo.size()) - 4;
  if (marks < 3) {
    return Failure(PageError::kUnreadable,
                   absl::StrCat("only ", marks,
                                " of the 4 corner marks found; the page "
                                "is cut off, covered or too blurred"));
  }
  std::vector<int> drops = {-1};
  if (marks == 4) drops.insert(drops.end(), {0, 1, 2, 3});
  double best_rms = 1e18;
  cv::Mat best;
  int best_marks = 0;
  for (int drop : drops) {
    const PointPairs kept = WithoutMark(pairs, drop);
    cv::Mat h = cv::findHomography(kept.photo, kept.reference, 0);
    if (h.empty()) continue;
    int worst = -1;
    const double rms = RmsError(kept, h, &worst);
    if (rms < best_rms) {
      best_rms = rms;
      best = h;
      best_marks = static_cast<int>(kept.photo.size()) - 4;
    }
    if (drop == -1 && rms <= max_error) break;  // all four agree
  }
  if (best.empty() || best_rms > max_error) {
    return Failure(
        PageError::kUnreadable,
        absl::StrFormat("tag and corner marks disagree (%.1f px RMS); the "
                        "page is bent or the marks are misread",
                        best_rms));
  }
  out->reprojection_error = best_rms;
  out->corner_marks_used = best_marks;
  return best;
}

cv::Mat ToGray(const cv::Mat& photo) {
  cv::Mat gray;
  if (photo.type() == CV_8UC1) return photo;
  cv::cvtColor(
      photo, gray,
      photo.type() == CV_8UC4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

// The variance of the 3x3 Laplacian of `page` (what cv::Laplacian with
// ksize 1 and its default reflected border gives) and its mean gray, in one
// pass over the page and without the Laplacian image: Laplacian, then
// meanStdDev, then mean took three passes and a page-sized 16-bit buffer
// (freshly mapped memory for every photo), 3-4 ms of a read; this takes
// well under one. The sums are exact integers, so the values are the same.
void PageSharpnessAndBrightness(const cv::Mat& page, double* sharpness,
                                double* brightness) {
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
  *sharpness = std::max(0.0, lap_squares / n - mean * mean);
  *brightness = gray_sum / n;
}

// The part of the page that is read: every field's boxes and bubbles, each
// shifted by up to the box search radius and with a quarter of its size
// around it (the cell crops take 15% around a box, the box search a few px
// around its frame), clipped to the page. The whole page when the spec has
// no fields.
cv::Rect ReadArea(const FormSpec& spec, int search_radius) {
  const cv::Rect page(cv::Point(0, 0), spec.reference_size);
  cv::Rect area;
  auto add = [&](const cv::Rect2f& r) {
    const float grow = search_radius + 0.25f * std::max(r.width, r.height) + 2;
    const cv::Rect grown(cvFloor(r.x - grow), cvFloor(r.y - grow),
                         cvCeil(r.width + 2 * grow) + 1,
                         cvCeil(r.height + 2 * grow) + 1);
    area = area.empty() ? grown : (area | grown);
  };
  for (const DigitField& field : spec.fields) {
    for (const cv::Rect2f& box : field.boxes) add(box);
    const float r = field.bubble_radius;
    for (const BubbleColumn& column : field.bubble_columns) {
      for (const cv::Point2f& c : column.centres) {
        add(cv::Rect2f(c.x - r, c.y - r, 2 * r, 2 * r));
      }
    }
  }
  area &= page;
  return area.empty() ? page : area;
}

// Warps the read area of the photo into out->page and leaves the rest of
// the page white. Warping the whole page cost 9 ms of a read (2.5 MP); the
// read area is 4% of page 3, 8% of page 2 and 19% of page 1. The pixels
// are the whole warp's: the same inverse map, with the area's offset
// folded into it (the test compares them).
void WarpReadArea(const cv::Mat& gray, const FormSpec& spec,
                  const RegistrationOptions& options, RegisteredPage* out) {
  out->area = ReadArea(spec, options.box_search_radius);
  out->page.create(spec.reference_size, CV_8UC1);
  out->page.setTo(cv::Scalar(255));
  // As cv::warpPerspective does: reference -> photo, by LU.
  cv::Mat to_photo;
  cv::invert(out->homography, to_photo);
  const cv::Mat offset =
      (cv::Mat_<double>(3, 3) << 1, 0, out->area.x, 0, 1, out->area.y, 0, 0, 1);
  cv::Mat part = out->page(out->area);
  cv::warpPerspective(gray, part, to_photo * offset, part.size(),
                      cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                      cv::BORDER_CONSTANT, cv::Scalar(255));
}

absl::Status CheckQuality(const RegistrationOptions& options,
                          RegisteredPage* out) {
  PageSharpnessAndBrightness(out->page(out->area), &out->sharpness,
                             &out->brightness);
  if (out->brightness < options.min_brightness) {
    return Failure(
        PageError::kUnreadable,
        absl::StrFormat("page is too dark (mean gray %.0f)", out->brightness));
  }
  if (out->sharpness < options.min_sharpness) {
    return Failure(
        PageError::kUnreadable,
        absl::StrFormat("page is too blurred (sharpness %.0f, need %.0f)",
                        out->sharpness, options.min_sharpness));
  }
  return absl::OkStatus();
}

// Fits pass 1's `pairs` (which only have to predict the marks to within
// pass 2's search margin), then pass 2: with all eight points the
// prediction is within a few px, so a tight box keeps text and edges out of
// the mark search. Returns the final homography.
absl::StatusOr<cv::Mat> FitBothPasses(const cv::Mat& gray,
                                      const TagMatch& match,
                                      const PointPairs& pairs,
                                      const RegistrationOptions& options,
                                      RegisteredPage* out) {
  ASSIGN_OR_RETURN(
      cv::Mat first,
      FitHomography(pairs, 3 * options.max_reprojection_error, out));
  PointPairs narrow = TagPairs(match);
  AddCornerMarksNarrow(gray, first, *match.spec, 12, &narrow);
  return FitHomography(narrow, options.max_reprojection_error, out);
}

absl::StatusOr<RegisteredPage> Register(const cv::Mat& photo,
                                        const std::vector<FormSpec>& specs,
                                        const RegistrationOptions& options) {
  const cv::Mat gray = ToGray(photo);
  ASSIGN_OR_RETURN(TagMatch match, FindPageTag(gray, specs, options));
  const FormSpec& spec = *match.spec;
  RegisteredPage out;
  out.spec = match.spec;
  // Pass 1: the tag alone predicts the marks only roughly, so the search
  // boxes are the spec's generous ones.
  PointPairs pairs = TagPairs(match);
  AddCornerMarksWide(gray, spec, &pairs);
  absl::StatusOr<cv::Mat> h = FitBothPasses(gray, match, pairs, options, &out);
  if (!h.ok() && pairs.photo.size() == 7) {
    // Three marks that do not fit. With four, the fit leaves each out in
    // turn; with three it cannot tell a look-alike (a keyboard key beside
    // the page, a fold) from a true mark. So each is looked for again where
    // the other two and the tag put it, in a box small enough to leave the
    // look-alike out; the photo is accepted only if the fit then holds as
    // it must for any page. (Otherwise the caller may retry at full size,
    // which costs several times more.)
    for (int drop :
         {pairs.mark_index[4], pairs.mark_index[5], pairs.mark_index[6]}) {
      PointPairs rest = WithoutMark(pairs, drop);
      // A homography: across a page held at an angle, an affine map from
      // two marks misses the third by hundreds of px.
      const cv::Mat rest_to_ref =
          cv::findHomography(rest.photo, rest.reference, 0);
      if (rest_to_ref.empty()) continue;
      const CornerMark& mark = spec.corner_marks[drop];
      absl::StatusOr<cv::Point2f> found =
          FindMark(gray, rest_to_ref, spec, drop,
                   MarkBox(mark, drop, kRepairMargin) & mark.search_box,
                   /*zoom=*/0.5, {0.8, 1.0, 1.25});
      if (!found.ok()) continue;
      rest.photo.push_back(Apply(rest_to_ref.inv(), *found));
      rest.reference.push_back(mark.outer_corner);
      rest.mark_index.push_back(drop);
      RegisteredPage attempt;
      attempt.spec = match.spec;
      absl::StatusOr<cv::Mat> repaired =
          FitBothPasses(gray, match, rest, options, &attempt);
      if (repaired.ok()) {
        h = repaired;
        out = std::move(attempt);
        break;
      }
    }
  }
  if (!h.ok()) return h.status();
  out.homography = *h;
  WarpReadArea(gray, spec, options, &out);
  RETURN_IF_ERROR(CheckQuality(options, &out));
  RefineBoxes(options, &out);
  return out;
}

}  // namespace

absl::StatusOr<std::vector<DetectedTag>> DetectTags(
    const cv::Mat& gray, int dictionary_id, int detect_long_side,
    const std::vector<int>& ids) {
  if (gray.empty() || gray.type() != CV_8UC1) {
    return absl::InvalidArgumentError(
        "DetectTags needs a non-empty 8-bit gray image");
  }
  try {
    cv::Ptr<cv::aruco::Dictionary> dict =
        cv::aruco::getPredefinedDictionary(dictionary_id);
    // A tag's id is the index of its code in the dictionary; a
    // sub-dictionary numbers the codes it keeps from 0, in this order.
    std::vector<int> kept;
    if (!ids.empty()) {
      for (int id : std::set<int>(ids.begin(), ids.end())) {
        if (id >= 0 && id < dict->bytesList.rows) kept.push_back(id);
      }
      if (kept.empty()) return std::vector<DetectedTag>{};
      cv::Mat codes;
      for (int id : kept) codes.push_back(dict->bytesList.row(id));
      dict = cv::makePtr<cv::aruco::Dictionary>(codes, dict->markerSize,
                                                dict->maxCorrectionBits);
    }
    auto tag_id = [&](int index) { return kept.empty() ? index : kept[index]; };
    const int long_side = std::max(gray.cols, gray.rows);
    const double scale =
        std::min(1.0, static_cast<double>(detect_long_side) / long_side);
    // Defaults first (located on a half-size copy when they can be); then
    // lenient settings; then a coarser scale, where a blurred tag's edges
    // become sharp again.
    const auto settings = DetectorSettings();
    for (double s : {scale, scale / 2}) {
      if (s * long_side < 200) continue;
      cv::Mat small;  // made when first needed
      for (size_t i = 0; i < settings.size(); ++i) {
        std::optional<std::vector<DetectedTag>> tags;
        if (s == scale && i == 0) {
          tags = DetectLocated(gray, dict, settings[i], s);
        }
        if (!tags.has_value()) {
          if (small.empty()) small = DetectionCopy(gray, s);
          tags = DetectIn(small, dict, settings[i], s);
        }
        if (tags->empty()) continue;
        for (DetectedTag& tag : *tags) {
          tag.id = tag_id(tag.id);
          RefineCorners(gray, s, &tag);
        }
        return *std::move(tags);
      }
    }
    return std::vector<DetectedTag>{};
  } catch (const cv::Exception& e) {
    return absl::InternalError(
        absl::StrCat("tag detection failed: ", e.what()));
  }
}

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

absl::StatusOr<cv::Point2f> FindCornerMark(const cv::Mat& gray,
                                           const cv::Mat& photo_to_ref,
                                           const FormSpec& spec, int index,
                                           const cv::Rect2f& search_box,
                                           double zoom) {
  return FindMark(gray, photo_to_ref, spec, index, search_box, zoom, {1.0});
}

absl::StatusOr<RegisteredPage> RegisterPage(
    const cv::Mat& photo, const std::vector<FormSpec>& specs,
    const RegistrationOptions& options) {
  if (photo.empty() || photo.depth() != CV_8U ||
      (photo.channels() != 1 && photo.channels() != 3 &&
       photo.channels() != 4)) {
    return absl::InvalidArgumentError(
        "RegisterPage needs a non-empty 8-bit image");
  }
  if (specs.empty()) return absl::InvalidArgumentError("no form specs loaded");
  try {
    return Register(photo, specs, options);
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("registration failed: ", e.what()));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory during registration");
  }
}

}  // namespace c1tally::ocr
