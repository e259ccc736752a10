#include "ocr/registration.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "ocr/corner_mark.h"
#include "ocr/page_homography.h"
#include "ocr/registration_quality.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

cv::Point2f Apply(const cv::Mat& h, const cv::Point2f& p) {
  std::vector<cv::Point2f> in{p}, out;
  cv::perspectiveTransform(in, out, h);
  return out[0];
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

// Margin (reference px) of the search for a mark predicted by the tag and
// the two other marks (see RepairThreeMarks).
constexpr float kRepairMargin = 60;

// The wide passes try the marks at these sizes: before the marks are known,
// perspective can shrink or grow them a good deal.
constexpr double kWideScales[] = {0.8, 1.0, 1.25};

// Pass 1: finds the marks one at a time, nearest the tag first, each
// predicted by a transform fitted to everything found before it, in the
// spec's (wide) search boxes.
void AddCornerMarksWide(const cv::Mat& gray, const FormSpec& spec,
                        PagePointPairs* pairs) {
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
      const cv::Mat photo_to_ref = RoughPhotoToReference(*pairs);
      // The prediction errs roughly in proportion to how far it reaches
      // from the points it rests on; once three marks are known the
      // homography puts the fourth within a few dozen px.
      const CornerMark& mark = spec.corner_marks[i];
      const float reach =
          static_cast<float>(cv::norm(mark.outer_corner - tag_centre));
      const float margin =
          pairs->photo.size() >= 7 ? 60.f : std::max(60.f, 0.3f * reach);
      const cv::Rect2f around =
          CornerMarkBox(mark, i, margin) & mark.search_box;
      absl::StatusOr<cv::Point2f> found = FindCornerMarkAtScales(
          gray, photo_to_ref, spec, i, around, /*zoom=*/0.5, kWideScales);
      if (!found.ok()) continue;
      found_mark[i] = true;
      pairs->AddMark(i, Apply(photo_to_ref.inv(), *found), mark.outer_corner);
    }
  }
}

// Pass 2: looks for each mark in a box `margin` reference px around where
// `photo_to_ref` puts it, at twice the reference scale for a half-pixel
// bounding box.
void AddCornerMarksNarrow(const cv::Mat& gray, const cv::Mat& photo_to_ref,
                          const FormSpec& spec, float margin,
                          PagePointPairs* pairs) {
  const cv::Mat ref_to_photo = photo_to_ref.inv();
  for (int i = 0; i < 4; ++i) {
    const CornerMark& mark = spec.corner_marks[i];
    const cv::Rect2f box = CornerMarkBox(mark, i, margin);
    absl::StatusOr<cv::Point2f> found =
        FindCornerMark(gray, photo_to_ref, spec, i, box, 2.0);
    if (!found.ok()) continue;
    pairs->AddMark(i, Apply(ref_to_photo, *found), mark.outer_corner);
  }
}

cv::Mat ToGray(const cv::Mat& photo) {
  cv::Mat gray;
  if (photo.type() == CV_8UC1) return photo;
  cv::cvtColor(
      photo, gray,
      photo.type() == CV_8UC4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
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

// Fits pass 1's `pairs` (which only have to predict the marks to within
// pass 2's search margin), then pass 2: with all eight points the
// prediction is within a few px, so a tight box keeps text and edges out of
// the mark search. Returns the final homography.
absl::StatusOr<PageHomography> FitBothPasses(
    const cv::Mat& gray, const PageTag& tag, const PagePointPairs& pairs,
    const RegistrationOptions& options) {
  ASSIGN_OR_RETURN(
      const PageHomography first,
      FitPageHomography(pairs, 3 * options.max_reprojection_error));
  PagePointPairs narrow = TagPointPairs(tag);
  AddCornerMarksNarrow(gray, first.photo_to_ref, *tag.spec, 12, &narrow);
  return FitPageHomography(narrow, options.max_reprojection_error);
}

// Three marks that do not fit. With four, the fit leaves each out in turn;
// with three it cannot tell a look-alike (a keyboard key beside the page, a
// fold) from a true mark. So each is looked for again where the other two
// and the tag put it, in a box small enough to leave the look-alike out;
// the photo is accepted only if the fit then holds as it must for any
// page. (Otherwise the caller may retry at full size, which costs several
// times more.) `pairs` are pass 1's, with exactly three marks; on failure
// the caller keeps the first fit's error.
absl::StatusOr<PageHomography> RepairThreeMarks(
    const cv::Mat& gray, const PageTag& tag, const PagePointPairs& pairs,
    const RegistrationOptions& options) {
  const FormSpec& spec = *tag.spec;
  for (int drop :
       {pairs.mark_index[4], pairs.mark_index[5], pairs.mark_index[6]}) {
    PagePointPairs rest = WithoutMark(pairs, drop);
    // A homography: across a page held at an angle, an affine map from two
    // marks misses the third by hundreds of px.
    const cv::Mat rest_to_ref =
        cv::findHomography(rest.photo, rest.reference, 0);
    if (rest_to_ref.empty()) continue;
    const CornerMark& mark = spec.corner_marks[drop];
    absl::StatusOr<cv::Point2f> found = FindCornerMarkAtScales(
        gray, rest_to_ref, spec, drop,
        CornerMarkBox(mark, drop, kRepairMargin) & mark.search_box,
        /*zoom=*/0.5, kWideScales);
    if (!found.ok()) continue;
    rest.AddMark(drop, Apply(rest_to_ref.inv(), *found), mark.outer_corner);
    absl::StatusOr<PageHomography> repaired =
        FitBothPasses(gray, tag, rest, options);
    if (repaired.ok()) return repaired;
  }
  return absl::NotFoundError("no mark found again where the others put it");
}

absl::StatusOr<RegisteredPage> Register(const cv::Mat& photo,
                                        const std::vector<FormSpec>& specs,
                                        const RegistrationOptions& options) {
  const cv::Mat gray = ToGray(photo);
  ASSIGN_OR_RETURN(const PageTag tag,
                   FindPageTag(gray, specs, options.detect_long_side));
  // Pass 1: the tag alone predicts the marks only roughly, so the search
  // boxes are the spec's generous ones.
  PagePointPairs pairs = TagPointPairs(tag);
  AddCornerMarksWide(gray, *tag.spec, &pairs);
  absl::StatusOr<PageHomography> fit = FitBothPasses(gray, tag, pairs, options);
  if (!fit.ok() && pairs.marks() == 3) {
    absl::StatusOr<PageHomography> repaired =
        RepairThreeMarks(gray, tag, pairs, options);
    if (repaired.ok()) fit = *std::move(repaired);
  }
  if (!fit.ok()) return fit.status();
  RegisteredPage out;
  out.spec = tag.spec;
  out.homography = fit->photo_to_ref;
  out.reprojection_error = fit->reprojection_error;
  out.corner_marks_used = fit->corner_marks_used;
  WarpReadArea(gray, *tag.spec, options, &out);
  const ReadAreaQuality quality = MeasureReadAreaQuality(out.page(out.area));
  out.sharpness = quality.sharpness;
  out.brightness = quality.brightness;
  RETURN_IF_ERROR(CheckReadAreaQuality(quality, options.min_sharpness,
                                       options.min_brightness));
  RefineBoxes(options, &out);
  return out;
}

}  // namespace

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
