#include "tools/synth/handwriting.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

namespace c1tally::synth {
namespace {

using Grid = cv::Point2d;  // a point of the guide grid: u across, v down

// The nine points of the grid.
const Grid kTL{0, 0}, kTC{0.5, 0}, kTR{1, 0};
const Grid kML{0, 0.5}, kMC{0.5, 0.5}, kMR{1, 0.5};
const Grid kBL{0, 1}, kBC{0.5, 1}, kBR{1, 1};

// One pen movement: points in grid units, how round its corners are, and
// whether it returns to its start.
struct Stroke {
  std::vector<Grid> points;
  double rounding = 0;
  bool closed = false;
};

double Clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

// A habit, kept by this box unless the writer is inconsistent here.
bool Habit(bool habit, const Handwriting& hand, cv::RNG& rng) {
  return rng.uniform(0.0, 1.0) < hand.inconsistency ? !habit : habit;
}

// The strokes of `digit` in the writer's order, before any variation.
std::vector<Stroke> DigitStrokes(int digit, const Handwriting& hand,
                                 cv::RNG& rng) {
  const double round = Clamp01(hand.rounding + rng.uniform(-0.15, 0.15));
  auto open = [&](std::vector<Grid> points, double r = -1) {
    return Stroke{std::move(points), r < 0 ? round : r, false};
  };
  auto closed = [&](std::vector<Grid> points, double r = -1) {
    return Stroke{std::move(points), r < 0 ? round : r, true};
  };
  switch (digit) {
    case 0:
      // Started at the top left or the top middle, as pens start a 0.
      if (Habit(hand.zero_oval, hand, rng)) {
        return {closed({kTC, kTL, kBL, kBR, kTR}, rng.uniform(0.8, 1.0))};
      }
      return {rng.uniform(0, 2) == 0 ? closed({kTL, kBL, kBR, kTR})
                                     : closed({kTC, kTL, kBL, kBR, kTR})};
    case 1: {
      const bool right = Habit(hand.one_on_right, hand, rng);
      const Grid top = right ? kTR : kTC, foot = right ? kBR : kBC;
      std::vector<Stroke> strokes;
      if (Habit(hand.one_flag, hand, rng)) {
        const Grid flag =
            top + Grid(-rng.uniform(0.15, 0.35), rng.uniform(0.08, 0.25));
        strokes.push_back(open({flag, top, foot}, 0));
      } else {
        strokes.push_back(open({top, foot}, 0));
      }
      if (Habit(hand.one_foot, hand, rng)) {
        const double half = rng.uniform(0.2, 0.35);
        strokes.push_back(
            open({foot + Grid(-half, 0), foot + Grid(half, 0)}, 0));
      }
      return strokes;
    }
    case 2:
      if (Habit(hand.two_diagonal, hand, rng)) {
        return {open({kTL, kTR, kMR, kBL, kBR})};
      }
      return {open({kTL, kTR, kMR, kML, kBL, kBR})};
    case 3:
      if (rng.uniform(0, 2) == 0) {
        // One movement, back along the middle bar.
        return {open({kTL, kTR, kMR, kML + Grid(0.25, 0), kMR, kBR, kBL})};
      }
      return {open({kTL, kTR, kBR, kBL}), open({kML + Grid(0.1, 0), kMR})};
    case 4:
      if (Habit(hand.four_closed, hand, rng)) {
        return {open({kTR + Grid(-0.1, 0), kML + Grid(0, 0.15), kMR}, 0),
                open({kTR, kBR}, 0)};
      }
      // Open: the left stem stops at the bar; the right stem runs whole.
      return {open({kTL, kML, kMR + Grid(rng.uniform(0.0, 0.2), 0)}),
              open({kTR, kBR}, 0)};
    case 5:
      if (Habit(hand.five_split, hand, rng)) {
        return {open({kTL, kML, kMR, kBR, kBL}), open({kTL, kTR}, 0)};
      }
      return {open({kTR, kTL, kML, kMR, kBR, kBL})};
    case 6: {
      const bool loop = Habit(hand.six_loop, hand, rng);
      const double low_round = loop ? rng.uniform(0.7, 1.0) : round;
      if (Habit(hand.six_top, hand, rng)) {
        // Б: the top bar, the left stem, the closed lower square.
        return {open({kTR, kTL, kBL, kBR, kMR, kML}, low_round)};
      }
      return {open({kTL, kBL, kBR, kMR, kML}, low_round)};
    }
    case 7: {
      std::vector<Grid> points;
      if (Habit(hand.seven_serif, hand, rng)) {
        points.push_back(kTL + Grid(0, rng.uniform(0.2, 0.4)));
      }
      points.push_back(kTL);
      points.push_back(kTR);
      points.push_back(Habit(hand.seven_slanted, hand, rng)
                           ? kBC + Grid(rng.uniform(-0.1, 0.2), 0)
                           : kBR);
      std::vector<Stroke> strokes = {open(points, std::min(round, 0.3))};
      if (Habit(hand.seven_bar, hand, rng)) {
        strokes.push_back(open({kML + Grid(0.25, 0), kMR + Grid(0.1, 0)}, 0));
      }
      return strokes;
    }
    case 8:
      if (rng.uniform(0, 3) == 0) {
        // Two squares, top then bottom.
        return {closed({kML, kTL, kTR, kMR}), closed({kML, kMR, kBR, kBL})};
      }
      return {closed({kTL, kBL, kBR, kTR}), open({kML, kMR}, 0)};
    case 9: {
      const bool loop = Habit(hand.nine_loop, hand, rng);
      const bool foot = Habit(hand.nine_foot, hand, rng);
      if (loop) {
        std::vector<Stroke> strokes = {
            closed({kMR, kML, kTL, kTR}, rng.uniform(0.7, 1.0))};
        strokes.push_back(foot ? open({kTR, kBR, kBL}) : open({kTR, kBR}, 0));
        return strokes;
      }
      // The square top and the right stem in one movement.
      std::vector<Grid> points = {kMR, kML, kTL, kTR, kBR};
      if (foot) points.push_back(kBL);
      return {open(points)};
    }
    default:
      return {};
  }
}

// `points` with each interior corner (and, for a closed stroke, every
// corner) replaced by a quadratic curve cutting `rounding` of the shorter
// neighbouring half-segment; 1 turns a square into a circle-like loop.
std::vector<cv::Point2d> RoundCorners(const std::vector<cv::Point2d>& points,
                                      double rounding, bool closed) {
  const size_t n = points.size();
  if (n < 3 || rounding <= 0) {
    std::vector<cv::Point2d> out = points;
    if (closed && n > 0) out.push_back(points.front());
    return out;
  }
  std::vector<cv::Point2d> out;
  auto corner = [&](const cv::Point2d& before, const cv::Point2d& at,
                    const cv::Point2d& after) {
    const double in = cv::norm(at - before), gone = cv::norm(after - at);
    const double r = rounding * 0.5 * std::min(in, gone);
    if (r <= 1e-9) {
      out.push_back(at);
      return;
    }
    const cv::Point2d a = at + (before - at) * (r / in);
    const cv::Point2d b = at + (after - at) * (r / gone);
    for (int i = 0; i <= 8; ++i) {
      const double t = i / 8.0;
      out.push_back((1 - t) * (1 - t) * a + 2 * (1 - t) * t * at + t * t * b);
    }
  };
  if (!closed) {
    out.push_back(points.front());
    for (size_t i = 1; i + 1 < n; ++i) {
      corner(points[i - 1], points[i], points[i + 1]);
    }
    out.push_back(points.back());
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    corner(points[(i + n - 1) % n], points[i], points[(i + 1) % n]);
  }
  out.push_back(out.front());
  return out;
}

// Moves the stroke's first and last point along their segments: positive
// runs past the corner, negative stops short (at most 40% of the segment).
void ExtendEnds(std::vector<cv::Point2d>* points, double start, double end) {
  if (points->size() < 2) return;
  auto move = [](cv::Point2d* tip, const cv::Point2d& from, double amount) {
    const cv::Point2d d = *tip - from;
    const double len = cv::norm(d);
    if (len < 1e-9) return;
    const double a = std::max(amount, -0.4 * len);
    *tip += d * (a / len);
  };
  move(&points->front(), (*points)[1], start);
  move(&points->back(), (*points)[points->size() - 2], end);
}

// Points every `step` pixels along the polyline.
std::vector<cv::Point2d> Densify(const std::vector<cv::Point2d>& points,
                                 double step) {
  std::vector<cv::Point2d> out;
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    const cv::Point2d d = points[i + 1] - points[i];
    const int k = std::max(1, static_cast<int>(cv::norm(d) / step));
    for (int j = 0; j < k; ++j) out.push_back(points[i] + d * (double(j) / k));
  }
  if (!points.empty()) out.push_back(points.back());
  return out;
}

// A slow sideways tremor: two sines of random phase along the stroke, one
// to two cycles and three to five cycles per `side` pixels of path.
void Wobble(std::vector<cv::Point2d>* points, double amplitude, double side,
            cv::RNG& rng) {
  if (amplitude <= 0 || points->size() < 3 || side <= 0) return;
  const double f1 = rng.uniform(1.0, 2.0) / side;
  const double f2 = rng.uniform(3.0, 5.0) / side;
  const double p1 = rng.uniform(0.0, CV_2PI), p2 = rng.uniform(0.0, CV_2PI);
  std::vector<cv::Point2d> moved = *points;
  double along = 0;
  for (size_t i = 1; i + 1 < points->size(); ++i) {
    along += cv::norm((*points)[i] - (*points)[i - 1]);
    cv::Point2d d = (*points)[i + 1] - (*points)[i - 1];
    const double len = cv::norm(d);
    if (len < 1e-9) continue;
    const cv::Point2d normal(-d.y / len, d.x / len);
    const double s = amplitude * (0.8 * std::sin(p1 + f1 * along * CV_2PI) +
                                  0.2 * std::sin(p2 + f2 * along * CV_2PI));
    moved[i] += normal * s;
  }
  *points = std::move(moved);
}

// Draws a stroke whose width and opacity follow the pen's pressure.
void Ink(const std::vector<cv::Point2d>& points, double width,
         const Handwriting& hand, cv::RNG& rng, cv::Mat* alpha) {
  constexpr int kShift = 3;  // 1/8 px
  const double phase = rng.uniform(0.0, CV_2PI);
  const double rate = rng.uniform(0.003, 0.015);
  for (size_t i = 0; i + 1 < points.size(); ++i) {
    const double p = 1 + hand.pressure * std::sin(phase + rate * i * CV_2PI);
    const int thickness = std::max(1, static_cast<int>(std::lround(width * p)));
    const double strength = std::min(1.0, hand.ink_strength * (0.9 + 0.1 * p));
    auto at = [](const cv::Point2d& q) {
      return cv::Point(cvRound(q.x * (1 << kShift)),
                       cvRound(q.y * (1 << kShift)));
    };
    cv::line(*alpha, at(points[i]), at(points[i + 1]), strength, thickness,
             cv::LINE_AA, kShift);
  }
}

// Scales and shifts `paths` so that, with the pen's width, they stay in the
// part of `box` inside its printed frame and a small gap.
void FitInside(const cv::Rect2f& box, double pen,
               std::vector<std::vector<cv::Point2d>>* paths) {
  constexpr double kInset = 0.12;  // frame print (7%) and a gap
  double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
  for (const auto& path : *paths) {
    for (const cv::Point2d& p : path) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
  }
  if (x1 < x0) return;
  const double half = pen / 2;
  const double ax0 = box.x + box.width * kInset + half;
  const double ax1 = box.x + box.width * (1 - kInset) - half;
  const double ay0 = box.y + box.height * kInset + half;
  const double ay1 = box.y + box.height * (1 - kInset) - half;
  const double scale = std::min({1.0, (ax1 - ax0) / std::max(1e-9, x1 - x0),
                                 (ay1 - ay0) / std::max(1e-9, y1 - y0)});
  const cv::Point2d centre((x0 + x1) / 2, (y0 + y1) / 2);
  // After scaling, the shift that brings the ink inside the allowed area.
  const double w = (x1 - x0) * scale, h = (y1 - y0) * scale;
  const double nx0 = std::clamp(centre.x - w / 2, ax0, std::max(ax0, ax1 - w));
  const double ny0 = std::clamp(centre.y - h / 2, ay0, std::max(ay0, ay1 - h));
  const cv::Point2d moved(nx0 + w / 2, ny0 + h / 2);
  for (auto& path : *paths) {
    for (cv::Point2d& p : path) p = moved + (p - centre) * scale;
  }
}

}  // namespace

cv::Scalar BallpointColour(cv::RNG& rng) {
  if (rng.uniform(0, 2) == 0) {
    return cv::Scalar(rng.uniform(110, 200), rng.uniform(30, 100),
                      rng.uniform(10, 60));
  }
  const int k = rng.uniform(10, 70);
  return cv::Scalar(k + rng.uniform(0, 15), k, k);
}

Handwriting RandomHandwriting(cv::RNG& rng) {
  Handwriting h;
  auto chance = [&](double p) { return rng.uniform(0.0, 1.0) < p; };
  // Most officers trace (DOMAIN.md); some write free-hand over the guide.
  h.traced_share =
      chance(0.75) ? rng.uniform(0.75, 1.0) : rng.uniform(0.0, 0.4);
  h.scale = rng.uniform(0.85, 1.15);
  h.aspect = rng.uniform(0.8, 1.2);
  h.slant = chance(0.6) ? rng.uniform(-0.05, 0.08) : rng.uniform(-0.15, 0.3);
  h.offset = {rng.uniform(-0.06, 0.06), rng.uniform(-0.06, 0.06)};
  h.precision = chance(0.6) ? rng.uniform(0.01, 0.05) : rng.uniform(0.05, 0.1);
  h.rounding = chance(0.5) ? rng.uniform(0.0, 0.25) : rng.uniform(0.25, 0.8);
  h.overshoot = rng.uniform(-0.08, 0.15);
  h.pen_lifts = rng.uniform(0.0, 0.35);
  h.wobble = rng.uniform(0.0, 0.02);
  h.pen = chance(0.12) ? rng.uniform(0.09, 0.15) : rng.uniform(0.035, 0.09);
  h.pressure = rng.uniform(0.0, 0.45);
  h.ink_strength = chance(0.15) ? rng.uniform(0.6, 0.8) : rng.uniform(0.8, 1.0);
  h.inconsistency = rng.uniform(0.0, 0.25);
  h.one_flag = chance(0.45);
  h.one_foot = chance(0.15);
  h.one_on_right = chance(0.25);
  h.seven_serif = chance(0.35);
  h.seven_bar = chance(0.1);
  h.seven_slanted = chance(0.3);
  h.four_closed = chance(0.1);
  h.nine_foot = chance(0.7);
  h.nine_loop = chance(0.25);
  h.six_top = chance(0.75);
  h.six_loop = chance(0.25);
  h.five_split = chance(0.35);
  h.two_diagonal = chance(0.2);
  h.zero_oval = chance(0.3);
  h.x_size = rng.uniform(0.6, 1.05);
  h.x_weight = rng.uniform(1.0, 2.0);
  h.marks_dash = chance(0.1);
  h.ink = BallpointColour(rng);
  return h;
}

cv::Mat TracedDigitAlpha(int digit, const DigitGuide& guide,
                         const cv::Rect2f& box, const Handwriting& hand,
                         const cv::Size& canvas, cv::RNG& rng) {
  cv::Mat alpha = cv::Mat::zeros(canvas, CV_32F);
  if (digit < 0 || digit > 9) return alpha;
  // This box's placement: the writer's habits plus a little of its own.
  const double scale = hand.scale * rng.uniform(0.93, 1.07);
  const double aspect = hand.aspect * rng.uniform(0.93, 1.07);
  const double slant = hand.slant + rng.uniform(-0.04, 0.04);
  const cv::Point2d offset =
      hand.offset +
      cv::Point2d(rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03));
  const double side = std::min(box.width, box.height);
  auto place = [&](const Grid& g) {
    const double jitter_u = rng.gaussian(hand.precision);
    const double jitter_v = rng.gaussian(hand.precision);
    const double v = 0.5 + (g.y - 0.5 + jitter_v) * scale;
    const double u =
        0.5 + (g.x - 0.5 + jitter_u) * scale * aspect + slant * (0.5 - v);
    const cv::Point2f p = guide.At(box, u, v);
    return cv::Point2d(p.x + offset.x * box.width, p.y + offset.y * box.height);
  };
  const double pen = hand.pen * side * rng.uniform(0.9, 1.1);
  const double grid_px = (guide.bottom - guide.top) * box.height * scale;
  // The pen paths, then fitted into the box: officers write inside the
  // frame, so a large or offset digit is pulled in rather than drawn over
  // the print.
  std::vector<std::vector<cv::Point2d>> paths;
  for (const Stroke& stroke : DigitStrokes(digit, hand, rng)) {
    std::vector<cv::Point2d> points;
    for (const Grid& g : stroke.points) points.push_back(place(g));
    // A pen lift at one corner splits the stroke in two.
    std::vector<std::vector<cv::Point2d>> pieces = {points};
    if (!stroke.closed && points.size() >= 3 &&
        rng.uniform(0.0, 1.0) < hand.pen_lifts) {
      const int at = rng.uniform(1, static_cast<int>(points.size()) - 1);
      pieces = {
          std::vector<cv::Point2d>(points.begin(), points.begin() + at + 1),
          std::vector<cv::Point2d>(points.begin() + at, points.end())};
    }
    for (auto& piece : pieces) {
      std::vector<cv::Point2d> path =
          RoundCorners(piece, stroke.rounding, stroke.closed);
      if (!stroke.closed) {
        ExtendEnds(&path, grid_px * (hand.overshoot + rng.uniform(-0.06, 0.06)),
                   grid_px * (hand.overshoot + rng.uniform(-0.06, 0.06)));
      }
      paths.push_back(Densify(path, 0.75));
    }
  }
  FitInside(box, pen, &paths);
  for (auto& path : paths) {
    Wobble(&path, hand.wobble * side, side, rng);
    Ink(path, pen, hand, rng, &alpha);
  }
  return alpha;
}

}  // namespace c1tally::synth
