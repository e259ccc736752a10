#include "ocr/digit_cell.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

// Every crop is first resampled to this square so the thresholds below are
// in one unit whatever the photo's resolution was.
constexpr int kWork = 64;
// Darkness (1 - pixel / local paper white) above which a pixel may be a
// printed frame line; the frame is black print, well above this. In a
// blurred photo the print itself is lighter: then a pixel counts as frame
// at kFrameShareOfDarkest of the crop's darkest (its 99th percentile),
// down to kFrameDarknessFloor (the guide dots print at about 0.2).
constexpr float kFrameDarkness = 0.3f;
constexpr float kFrameShareOfDarkest = 0.6f;
constexpr float kFrameDarknessFloor = 0.18f;
// A row (column) belongs to a frame line when this share of the whole crop
// width (height) is dark. The frame spans 65-85% of a crop with its margin;
// a digit stroke (the bar of a 7, a tall 1) spans well under 55%.
constexpr double kLineShare = 0.55;
// How much thicker (in work pixels) than the thinnest side of the frame
// another side may be taken to be: uneven blur, not ink.
constexpr int kThicknessSlack = 2;
// Ink must be at least this dark; the dotted guides print at about 0.2.
constexpr float kMinInkDarkness = 0.3f;
// Side of the MNIST-like digit box inside the 28×28 image.
constexpr int kDigitBox = 20;

// Grey where blue ballpoint is dark too: the per-pixel minimum over the
// colour channels (blue ink is dark in red and green).
cv::Mat InkGray(const cv::Mat& crop) {
  if (crop.channels() == 1) return crop;
  std::vector<cv::Mat> planes;
  cv::split(crop, planes);
  cv::Mat gray = cv::min(planes[0], planes[1]);
  return cv::min(gray, planes[2]);
}

// 1 - pixel / local paper white, so uneven light and grey paper drop out.
cv::Mat Darkness(const cv::Mat& gray8) {
  cv::Mat work;
  const int interp = gray8.cols > kWork || gray8.rows > kWork
                         ? cv::INTER_AREA
                         : cv::INTER_LINEAR;
  cv::resize(gray8, work, cv::Size(kWork, kWork), 0, 0, interp);
  work.convertTo(work, CV_32F);
  cv::Mat white;
  cv::dilate(work, white,
             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(17, 17)));
  cv::GaussianBlur(white, white, cv::Size(9, 9), 0);
  white = cv::max(white, 1.0f);
  cv::Mat darkness = 1.0f - work / white;
  return cv::max(darkness, 0.0f);
}

double Percentile(const cv::Mat& values, double q) {
  std::vector<float> v(values.begin<float>(), values.end<float>());
  if (v.empty()) return 0.0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * v.size()));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

// Share of dark pixels along each row (by_rows) or column, counted over
// `across` (the columns or rows it is taken over; all of them by default),
// with a ±2 line tolerance so a tilted frame line still counts as one line.
std::vector<double> LineShares(const cv::Mat& dark_mask, bool by_rows,
                               cv::Range across = cv::Range::all()) {
  cv::Mat mask = by_rows ? dark_mask : dark_mask.t();
  cv::Mat thick;
  cv::dilate(mask, thick, cv::getStructuringElement(cv::MORPH_RECT, {1, 5}));
  if (across != cv::Range::all()) thick = thick.colRange(across);
  std::vector<double> share(mask.rows, 0.0);
  for (int r = 0; r < mask.rows; ++r) {
    share[r] = static_cast<double>(cv::countNonZero(thick.row(r))) / thick.cols;
  }
  return share;
}

// Where the frame line lies on one side: `share` runs from the crop edge
// (index 0) towards the centre.
struct FrameLine {
  // First index of the line, seen from the crop edge.
  int outer = 0;
  // Indices the line covers; more than the print where ink runs along it.
  int thickness = 0;
};

// The frame line on one side, or nullopt when there is none. The frame is
// the strongest line in the outer band; among near-equal lines (a
// neighbouring box's frame in the margin) the one nearest the centre wins.
// Near-equal is at least `best - slack` (whole crop: lines at the crop's
// edge may be cut short) or `best * ratio` (over the span between the
// other axis's lines, where the frame is dark end to end).
struct NearEqual {
  double slack = 0.12;
  double ratio = 0.0;
};
std::optional<FrameLine> FindFrameLine(const std::vector<double>& share,
                                       NearEqual near_equal = {}) {
  // The frame lies within about 21% of the crop edge for the margins a
  // cell crop has (up to 25% of the box, plus a few px of misplacement);
  // a wider band would take a "1" written near the side for the frame.
  const int band = static_cast<int>(share.size()) * 26 / 100;
  double best = 0.0;
  for (int i = 0; i < band; ++i) best = std::max(best, share[i]);
  if (best < kLineShare) return std::nullopt;
  int chosen = -1;
  for (int i = 0; i < band; ++i) {
    // The innermost strong line.
    if (share[i] >=
        std::max(best - near_equal.slack, best * near_equal.ratio)) {
      chosen = i;
    }
  }
  const double strong = 0.6 * share[chosen];
  FrameLine line;
  line.outer = chosen;
  while (line.outer > 0 && share[line.outer - 1] >= strong) --line.outer;
  int inner = chosen;
  while (inner + 1 < band && share[inner + 1] >= strong) ++inner;
  line.thickness = inner - line.outer + 1;
  return line;
}

// How thick the print of the frame is, from the lines found on its four
// sides. The print is equally thick all round; a side looks thicker where
// ink runs along its line (the foot of a 2, the belly of a 0), so the
// thinnest side tells. A line that starts at the crop's edge may be cut by
// it, so it only counts when no side has a whole line.
int PrintThickness(const std::optional<FrameLine> (&lines)[4]) {
  int whole = kWork, cut = kWork;
  for (const auto& line : lines) {
    if (!line.has_value()) continue;
    int& thinnest = line->outer > 0 ? whole : cut;
    thinnest = std::min(thinnest, line->thickness);
  }
  return whole < kWork ? whole : cut;
}

// The frame lines (top, left, bottom, right) from line shares taken over
// the rows `rows` and columns `cols`.
void FindLines(const cv::Mat& dark_mask, cv::Range rows, cv::Range cols,
               NearEqual near_equal, std::optional<FrameLine> (&lines)[4]) {
  const std::vector<double> by_row =
      LineShares(dark_mask, /*by_rows=*/true, cols);
  const std::vector<double> by_col =
      LineShares(dark_mask, /*by_rows=*/false, rows);
  lines[0] = FindFrameLine(by_row, near_equal);
  lines[1] = FindFrameLine(by_col, near_equal);
  lines[2] = FindFrameLine({by_row.rbegin(), by_row.rend()}, near_equal);
  lines[3] = FindFrameLine({by_col.rbegin(), by_col.rend()}, near_equal);
}

// The indices between two opposite lines' inner edges, or all of them when
// one is missing or they leave too little between them.
cv::Range Between(const std::optional<FrameLine>& near,
                  const std::optional<FrameLine>& far) {
  if (!near.has_value() || !far.has_value()) return cv::Range::all();
  const int from = near->outer + near->thickness;
  const int to = kWork - far->outer - far->thickness;
  return to - from >= kWork / 3 ? cv::Range(from, to) : cv::Range::all();
}

// The box's interior and on how many sides a frame line bounds it.
struct Interior {
  cv::Rect rect;
  int frame_sides = 0;
  bool lines[4] = {false, false, false, false};  // top, left, bottom, right
};

Interior FindInterior(const cv::Mat& darkness) {
  const float threshold = std::clamp(
      kFrameShareOfDarkest * static_cast<float>(Percentile(darkness, 0.99)),
      kFrameDarknessFloor, kFrameDarkness);
  cv::Mat dark_mask = darkness > threshold;
  // Top, left, bottom, right: first over the whole crop, then each axis
  // again over the span between the other axis's lines. There a frame line
  // is dark end to end, while a stroke along the frame (a 1 traced on the
  // guide's right column, four fifths of the box tall) stops short of the
  // lines it does not reach and is no longer taken for the frame.
  std::optional<FrameLine> lines[4];
  FindLines(dark_mask, cv::Range::all(), cv::Range::all(), NearEqual(), lines);
  const cv::Range rows = Between(lines[0], lines[2]);
  const cv::Range cols = Between(lines[1], lines[3]);
  if (rows != cv::Range::all() && cols != cv::Range::all()) {
    std::optional<FrameLine> refined[4];
    FindLines(dark_mask, rows, cols, NearEqual{0.12, 0.93}, refined);
    for (int k = 0; k < 4; ++k) {
      if (refined[k].has_value()) lines[k] = refined[k];
    }
  }
  const int thickness = PrintThickness(lines);
  int inside[4];
  for (int k = 0; k < 4; ++k) {
    // A side may be a little thicker than the thinnest where the photo's
    // blur is uneven; more than kThicknessSlack is ink along the line. The
    // ±2 tolerance of LineShares already covers the anti-aliased edge.
    inside[k] = lines[k].has_value()
                    ? lines[k]->outer + std::min(lines[k]->thickness,
                                                 thickness + kThicknessSlack)
                    : 0;
  }
  const int top = inside[0], left = inside[1];
  const int bottom = kWork - inside[2], right = kWork - inside[3];
  if (right - left < kWork / 3 || bottom - top < kWork / 3) {
    Interior none;  // no plausible frame: use it all
    none.rect = cv::Rect(0, 0, kWork, kWork);
    return none;
  }
  Interior out;
  out.rect = cv::Rect(left, top, right - left, bottom - top);
  for (int k = 0; k < 4; ++k) {
    out.lines[k] = lines[k].has_value();
    out.frame_sides += out.lines[k];
  }
  return out;
}

// A thin straight run lying wholly in the outer eighth of the interior is
// what is left of a frame line the line search missed (often a neighbouring
// box's); a written 1 or a dash sits further in, even a 1 traced on the
// guide's right column (about four fifths across the interior).
bool IsFrameResidue(const cv::Rect& box, const cv::Size& size) {
  const int near_x = size.width / 8, near_y = size.height / 8;
  const bool horizontal =
      box.height <= 4 && box.width > size.width / 2 &&
      (box.y + box.height <= near_y || box.y >= size.height - near_y);
  const bool vertical =
      box.width <= 4 && box.height > size.height / 2 &&
      (box.x + box.width <= near_x || box.x >= size.width - near_x);
  return horizontal || vertical;
}

// Clears rows (columns) in the outer eighth of the interior that are dark
// almost edge to edge: a frame line the line search missed (crop cut close
// to the frame, tilt, a neighbouring box's frame taken for this one's).
// Almost is 85% on a side where no frame line was found (`near_found`:
// the top or left side, `far_found`: the bottom or right) and 95% where
// one was: there the frame is cut off already, and what runs along it is
// more likely ink (a 1 traced close to the right side spans at most about
// nine tenths of the interior), unless it spans all of it as print does.
void ClearEdgeLines(cv::Mat& mask, bool by_rows, bool near_found,
                    bool far_found) {
  cv::Mat m = by_rows ? mask : mask.t();
  cv::Mat thick;
  cv::dilate(m, thick, cv::getStructuringElement(cv::MORPH_RECT, {1, 3}));
  const int eighth = std::max(2, m.rows / 8);
  std::vector<int> clear;
  for (int r = 0; r < m.rows; ++r) {
    if (r >= eighth && r < m.rows - eighth) continue;
    const bool found = r < eighth ? near_found : far_found;
    if (cv::countNonZero(thick.row(r)) >= (found ? 0.95 : 0.85) * m.cols) {
      clear.push_back(r);
    }
  }
  for (int r : clear) {
    for (int d = -1; d <= 1; ++d) {
      if (r + d >= 0 && r + d < m.rows) m.row(r + d).setTo(0);
    }
  }
  if (!by_rows) mask = m.t();
}

// Keeps the ink components: dark enough, larger than a guide dot, not frame.
// `lines` says on which sides (top, left, bottom, right) a frame line was
// found.
cv::Mat InkMask(const cv::Mat& darkness, const bool (&lines)[4],
                int* components) {
  const double strong = Percentile(darkness, 0.995);
  const float threshold =
      std::max(kMinInkDarkness, static_cast<float>(0.45 * strong));
  cv::Mat mask = darkness > threshold;
  ClearEdgeLines(mask, /*by_rows=*/true, lines[0], lines[2]);
  ClearEdgeLines(mask, /*by_rows=*/false, lines[1], lines[3]);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids,
                                                 8, CV_32S);
  const int min_area = std::max(6, static_cast<int>(0.004 * darkness.total()));
  cv::Mat kept = cv::Mat::zeros(mask.size(), CV_8U);
  *components = 0;
  for (int i = 1; i < n; ++i) {
    const cv::Rect box(stats.at<int>(i, cv::CC_STAT_LEFT),
                       stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH),
                       stats.at<int>(i, cv::CC_STAT_HEIGHT));
    if (stats.at<int>(i, cv::CC_STAT_AREA) < min_area) continue;
    if (IsFrameResidue(box, mask.size())) continue;
    kept.setTo(255, labels == i);
    ++*components;
  }
  return kept;
}

// Scales the ink so its longer side is kDigitBox and centres it by mass in a
// kCellSide square, the way MNIST digits were normalised.
cv::Mat Normalise(const cv::Mat& ink, const cv::Rect& box) {
  const double scale =
      static_cast<double>(kDigitBox) / std::max(box.width, box.height);
  const int w = std::max(1, static_cast<int>(std::lround(box.width * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(box.height * scale)));
  cv::Mat patch;
  cv::resize(ink(box), patch, cv::Size(w, h), 0, 0, cv::INTER_AREA);
  const cv::Moments m = cv::moments(patch);
  const double cx = m.m00 > 0 ? m.m10 / m.m00 : w / 2.0;
  const double cy = m.m00 > 0 ? m.m01 / m.m00 : h / 2.0;
  const int x = std::clamp(static_cast<int>(std::lround(kCellSide / 2.0 - cx)),
                           0, kCellSide - w);
  const int y = std::clamp(static_cast<int>(std::lround(kCellSide / 2.0 - cy)),
                           0, kCellSide - h);
  cv::Mat out = cv::Mat::zeros(kCellSide, kCellSide, CV_32F);
  patch.copyTo(out(cv::Rect(x, y, w, h)));
  return out;
}

absl::Status Validate(const cv::Mat& crop) {
  if (crop.empty()) return absl::InvalidArgumentError("empty box crop");
  if (crop.depth() != CV_8U ||
      (crop.channels() != 1 && crop.channels() != 3 && crop.channels() != 4)) {
    return absl::InvalidArgumentError(
        "box crop must be 8-bit grey, BGR or BGRA");
  }
  if (crop.cols < 8 || crop.rows < 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("box crop too small: ", crop.cols, "x", crop.rows));
  }
  if (crop.cols > kMaxCellSide || crop.rows > kMaxCellSide) {
    return absl::InvalidArgumentError(
        absl::StrCat("box crop too large: ", crop.cols, "x", crop.rows));
  }
  return absl::OkStatus();
}

PreparedCell Prepare(const cv::Mat& crop) {
  cv::Mat bgr = crop;
  if (crop.channels() == 4) cv::cvtColor(crop, bgr, cv::COLOR_BGRA2BGR);
  const cv::Mat gray = InkGray(bgr);
  const cv::Mat darkness = Darkness(gray);
  const Interior found = FindInterior(darkness);
  const cv::Mat inside = darkness(found.rect).clone();
  PreparedCell cell;
  cell.frame_sides = found.frame_sides;
  cell.digit = cv::Mat::zeros(kCellSide, kCellSide, CV_32F);
  cell.box_ink = cv::Mat::zeros(kCellSide, kCellSide, CV_32F);
  cv::resize(inside, cell.interior, cv::Size(kCellSide, kCellSide), 0, 0,
             cv::INTER_AREA);
  cell.interior = cv::min(cell.interior * 2.0, 1.0);
  cv::Mat kept = InkMask(inside, found.lines, &cell.components);
  const int ink_pixels = cv::countNonZero(kept);
  if (ink_pixels == 0) return cell;
  cell.blank = false;
  const cv::Rect box = cv::boundingRect(kept);
  cell.ink_fraction = static_cast<double>(ink_pixels) / inside.total();
  cell.ink_width = static_cast<double>(box.width) / inside.cols;
  cell.ink_height = static_cast<double>(box.height) / inside.rows;
  const cv::Moments m = cv::moments(kept, /*binaryImage=*/true);
  cell.ink_centre_x = m.m10 / m.m00 / inside.cols;
  cell.ink_centre_y = m.m01 / m.m00 / inside.rows;
  // Soft strokes (not the hard mask) keep the thickness cues MNIST has.
  const double strong = std::max(0.05, Percentile(inside, 0.995));
  cv::Mat soft = cv::min(inside / strong, 1.0f);
  cv::Mat near_ink;
  cv::dilate(kept, near_ink, cv::Mat());
  cv::Mat ink = cv::Mat::zeros(inside.size(), CV_32F);
  soft.copyTo(ink, near_ink);
  cell.digit = Normalise(ink, box);
  cv::resize(ink, cell.box_ink, cell.box_ink.size(), 0, 0, cv::INTER_AREA);
  return cell;
}

}  // namespace

absl::StatusOr<PreparedCell> PrepareCell(const cv::Mat& box_crop) {
  RETURN_IF_ERROR(Validate(box_crop));
  try {
    return Prepare(box_crop);
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("cell preparation: ", e.what()));
  }
}

}  // namespace c1tally::ocr
