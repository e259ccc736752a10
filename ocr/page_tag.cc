#include "ocr/page_tag.h"

#include <algorithm>
#include <cmath>
#include <opencv2/aruco.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "ocr/page_error.h"

namespace c1tally::ocr {
namespace {

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

const FormSpec* SpecForTag(const std::vector<FormSpec>& specs, int dictionary,
                           int id) {
  for (const FormSpec& s : specs) {
    if (s.tag_dictionary_id == dictionary && s.tag_id == id) return &s;
  }
  return nullptr;
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

absl::StatusOr<PageTag> FindPageTag(const cv::Mat& gray,
                                    const std::vector<FormSpec>& specs,
                                    int detect_long_side) {
  std::set<int> dictionaries;
  for (const FormSpec& s : specs) dictionaries.insert(s.tag_dictionary_id);
  std::vector<int> unknown_ids;
  PageTag best;
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
        DetectTags(gray, dictionary, detect_long_side, ids);
    if (tags.ok() && tags->empty()) {
      tags = DetectTags(gray, dictionary, detect_long_side);
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
    return PageErrorStatus(
        PageError::kWrongPage,
        absl::StrCat("found AprilTag id ", unknown_ids[0],
                     ", which is not a page of any known form"));
  }
  return PageErrorStatus(PageError::kNotAForm,
                         "no form page marker (AprilTag) found in the photo");
}

}  // namespace c1tally::ocr
