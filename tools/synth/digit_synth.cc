#include "tools/synth/digit_synth.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally::synth {
namespace {

// Work at 3× the template's scale so strokes and blur have sub-pixel room.
constexpr double kUpscale = 3.0;

cv::Mat ToGray(const cv::Mat& page) {
  if (page.channels() == 1) return page;
  cv::Mat gray;
  cv::cvtColor(page, gray, cv::COLOR_BGR2GRAY);
  return gray;
}

bool IsBoxFrame(const cv::Rect& r, const cv::Mat& gray) {
  if (r.width < 40 || r.width > 60 || r.height < 40 || r.height > 60) {
    return false;
  }
  if (r.x < gray.cols * 0.6) return false;
  const cv::Rect inside(r.x + 6, r.y + 6, r.width - 12, r.height - 12);
  return cv::mean(gray(inside))[0] > 200.0;
}

// Alpha (0..1, CV_32F, size of the work canvas) of an MNIST digit scaled,
// thickened or thinned, rotated and shifted inside the box interior.
cv::Mat DigitAlpha(const cv::Mat& mnist, const cv::Size& canvas,
                   const cv::Rect& interior, cv::RNG& rng) {
  cv::Mat digit;
  mnist.convertTo(digit, CV_32F, 1.0 / 255);
  // MNIST digits fill 20 of 28 px; make the digit 55–95% of the box height.
  const double height = interior.height * rng.uniform(0.55, 0.95);
  const double scale = height / 20.0;
  cv::Mat big;
  cv::resize(digit, big, cv::Size(), scale, scale, cv::INTER_CUBIC);
  const int k = rng.uniform(-1, 3);  // thinner, same or bolder pen
  if (k != 0) {
    const cv::Mat se = cv::getStructuringElement(
        cv::MORPH_ELLIPSE, cv::Size(2 * std::abs(k) + 1, 2 * std::abs(k) + 1));
    if (k > 0)
      cv::dilate(big, big, se);
    else
      cv::erode(big, big, se);
  }
  const cv::Point2f centre(
      interior.x + interior.width / 2.0f +
          static_cast<float>(rng.uniform(-0.12, 0.12) * interior.width),
      interior.y + interior.height / 2.0f +
          static_cast<float>(rng.uniform(-0.1, 0.1) * interior.height));
  cv::Mat m = cv::getRotationMatrix2D(
      cv::Point2f(big.cols / 2.0f, big.rows / 2.0f), rng.uniform(-12.0, 12.0),
      rng.uniform(0.85, 1.15));
  m.at<double>(0, 2) += centre.x - big.cols / 2.0;
  m.at<double>(1, 2) += centre.y - big.rows / 2.0;
  cv::Mat alpha;
  cv::warpAffine(big, alpha, m, canvas, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 0);
  return cv::min(alpha * 1.4, 1.0);
}

cv::Point2f Jitter(const cv::Point2f& p, double amount, cv::RNG& rng) {
  return p + cv::Point2f(static_cast<float>(rng.uniform(-amount, amount)),
                         static_cast<float>(rng.uniform(-amount, amount)));
}

// A hand stroke from a to b, bowed through a jittered midpoint.
void Stroke(cv::Mat& alpha, cv::Point2f a, cv::Point2f b, int thickness,
            double bow, double strength, cv::RNG& rng) {
  const cv::Point2f mid = Jitter((a + b) * 0.5f, bow, rng);
  std::vector<cv::Point> pts;
  for (int i = 0; i <= 12; ++i) {
    const float t = i / 12.0f;
    const cv::Point2f p =
        (1 - t) * (1 - t) * a + 2 * (1 - t) * t * mid + t * t * b;
    pts.emplace_back(cvRound(p.x * 4), cvRound(p.y * 4));
  }
  cv::polylines(alpha, pts, false, strength, thickness, cv::LINE_AA, 2);
}

// The X of an unused box: corner to corner of the interior at the writer's
// size, often with a heavier pen than the digits.
cv::Mat XAlpha(const cv::Size& canvas, const cv::Rect& in,
               const Handwriting& hand, cv::RNG& rng) {
  cv::Mat alpha = cv::Mat::zeros(canvas, CV_32F);
  const double fill =
      std::clamp(hand.x_size + rng.uniform(-0.08, 0.08), 0.4, 1.08);
  const float w = static_cast<float>(in.width * fill);
  const float h = static_cast<float>(in.height * fill * rng.uniform(0.8, 1.1));
  const cv::Point2f c =
      Jitter(cv::Point2f(in.x + in.width / 2.0f, in.y + in.height / 2.0f),
             in.width * 0.06, rng);
  const double j = in.width * 0.06, bow = in.width * 0.05;
  const int thick = std::max(2, cvRound(hand.pen * hand.x_weight * in.width *
                                        rng.uniform(0.85, 1.15)));
  Stroke(alpha, Jitter(c + cv::Point2f(-w / 2, -h / 2), j, rng),
         Jitter(c + cv::Point2f(w / 2, h / 2), j, rng), thick, bow,
         hand.ink_strength, rng);
  Stroke(alpha, Jitter(c + cv::Point2f(w / 2, -h / 2), j, rng),
         Jitter(c + cv::Point2f(-w / 2, h / 2), j, rng), thick, bow,
         hand.ink_strength, rng);
  return alpha;
}

cv::Mat DashAlpha(const cv::Size& canvas, const cv::Rect& in,
                  const Handwriting& hand, cv::RNG& rng) {
  cv::Mat alpha = cv::Mat::zeros(canvas, CV_32F);
  const float len = static_cast<float>(in.width * rng.uniform(0.3, 0.8));
  const cv::Point2f c =
      Jitter(cv::Point2f(
                 in.x + in.width / 2.0f,
                 in.y + in.height * static_cast<float>(rng.uniform(0.35, 0.7))),
             in.width * 0.06, rng);
  const float tilt = static_cast<float>(rng.uniform(-0.1, 0.1)) * len;
  const int thick = std::max(2, cvRound(hand.pen * hand.x_weight * in.width));
  Stroke(alpha, c + cv::Point2f(-len / 2, -tilt),
         c + cv::Point2f(len / 2, tilt), thick, in.width * 0.03,
         hand.ink_strength, rng);
  return alpha;
}

// Lighting gradient, perspective jitter, blur, noise and JPEG.
cv::Mat Degrade(const cv::Mat& bgr, cv::RNG& rng) {
  const float s = static_cast<float>(bgr.cols);
  const float d = s * static_cast<float>(rng.uniform(0.0, 0.03));
  std::vector<cv::Point2f> src = {{0, 0}, {s, 0}, {s, s}, {0, s}};
  std::vector<cv::Point2f> dst;
  for (const auto& p : src) dst.push_back(Jitter(p, d, rng));
  cv::Mat warped;
  cv::warpPerspective(bgr, warped, cv::getPerspectiveTransform(src, dst),
                      bgr.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  cv::Mat light(warped.size(), CV_32F);
  const double base = rng.uniform(0.55, 1.0), slope = rng.uniform(-0.3, 0.3);
  const double angle = rng.uniform(0.0, CV_PI * 2);
  for (int y = 0; y < light.rows; ++y) {
    for (int x = 0; x < light.cols; ++x) {
      const double t = (std::cos(angle) * x + std::sin(angle) * y) / s;
      light.at<float>(y, x) = static_cast<float>(base + slope * t);
    }
  }
  cv::Mat f;
  warped.convertTo(f, CV_32FC3);
  std::vector<cv::Mat> ch;
  cv::split(f, ch);
  for (auto& c : ch) c = c.mul(light);
  cv::merge(ch, f);
  const double sigma = rng.uniform(0.0, 2.5) * bgr.cols / 150.0;
  if (sigma > 0.3) cv::GaussianBlur(f, f, cv::Size(0, 0), sigma);
  cv::Mat noise(f.size(), CV_32FC3);
  cv::randn(noise, 0, rng.uniform(0.0, 10.0));
  f += noise;
  const int side = rng.uniform(32, 111);
  cv::Mat small;
  f.convertTo(small, CV_8UC3);
  cv::resize(small, small, cv::Size(side, side), 0, 0, cv::INTER_AREA);
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", small, jpeg,
               {cv::IMWRITE_JPEG_QUALITY, rng.uniform(30, 95)});
  return cv::imdecode(jpeg, cv::IMREAD_COLOR);
}

// `base` (BGR, kUpscale times the page) with `options.content` written
// inside the frame `frame` (whose interior is `interior`), as CV_32FC3.
cv::Mat Ink(const cv::Mat& base, const cv::Rect& frame,
            const cv::Rect& interior, const DigitGuide& guide,
            const SynthOptions& options, cv::RNG& rng) {
  Handwriting own;
  if (options.hand == nullptr) own = RandomHandwriting(rng);
  const Handwriting& hand = options.hand != nullptr ? *options.hand : own;
  cv::Mat alpha;
  switch (options.content) {
    case BoxContent::kTraced:
      alpha = TracedDigitAlpha(options.digit, guide, cv::Rect2f(frame), hand,
                               base.size(), rng);
      break;
    case BoxContent::kFreehand:
      alpha = DigitAlpha(options.mnist, base.size(), interior, rng) *
              hand.ink_strength;
      break;
    case BoxContent::kX:
      alpha = XAlpha(base.size(), interior, hand, rng);
      break;
    case BoxContent::kDash:
      alpha = DashAlpha(base.size(), interior, hand, rng);
      break;
    case BoxContent::kBlank:
      alpha = cv::Mat::zeros(base.size(), CV_32F);
      break;
  }
  // Each box's ink varies a little around the writer's colour.
  const cv::Scalar ink =
      hand.ink +
      cv::Scalar(rng.uniform(-12, 12), rng.uniform(-8, 8), rng.uniform(-8, 8));
  cv::Mat f, a3;
  base.convertTo(f, CV_32FC3);
  cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, a3);
  cv::Mat inked = f.mul(cv::Scalar::all(1.0) - a3) +
                  a3.mul(cv::Mat(f.size(), CV_32FC3, ink));
  return inked;
}

cv::Mat Render(const cv::Mat& page, const cv::Rect& box,
               const DigitGuide& guide, const SynthOptions& options,
               cv::RNG& rng) {
  // The crop a registration step would hand over: margin 8–25% per side
  // and a few pixels of misplacement.
  const double margin = rng.uniform(0.08, 0.25);
  const int mx = cvRound(box.width * margin), my = cvRound(box.height * margin);
  cv::Rect crop(box.x - mx + rng.uniform(-3, 4),
                box.y - my + rng.uniform(-3, 4), box.width + 2 * mx,
                box.height + 2 * my);
  crop &= cv::Rect(0, 0, page.cols, page.rows);
  cv::Mat base;
  cv::Mat src = page(crop);
  if (src.channels() == 1) cv::cvtColor(src, src, cv::COLOR_GRAY2BGR);
  cv::resize(src, base, cv::Size(), kUpscale, kUpscale, cv::INTER_CUBIC);
  const int line = cvRound(3 * kUpscale);
  const cv::Rect frame(cvRound((box.x - crop.x) * kUpscale),
                       cvRound((box.y - crop.y) * kUpscale),
                       cvRound(box.width * kUpscale),
                       cvRound(box.height * kUpscale));
  const cv::Rect interior(frame.x + line, frame.y + line,
                          frame.width - 2 * line, frame.height - 2 * line);
  cv::Mat inked = Ink(base, frame, interior, guide, options, rng);
  cv::Mat out;
  inked.convertTo(out, CV_8UC3);
  if (options.degrade) return Degrade(out, rng);
  cv::resize(out, out, cv::Size(), 1 / kUpscale, 1 / kUpscale, cv::INTER_AREA);
  return out;
}

}  // namespace

absl::StatusOr<std::vector<cv::Rect>> FindTemplateBoxes(const cv::Mat& page) {
  if (page.empty()) return absl::InvalidArgumentError("empty template page");
  try {
    const cv::Mat gray = ToGray(page);
    cv::Mat ink;
    cv::threshold(gray, ink, 160, 255, cv::THRESH_BINARY_INV);
    // Two-level hierarchy: outer edges (no parent) sit at the top level even
    // inside a table cell, which RETR_EXTERNAL would hide.
    std::vector<std::vector<cv::Point>> contours;
    std::vector<cv::Vec4i> hierarchy;
    cv::findContours(ink, contours, hierarchy, cv::RETR_CCOMP,
                     cv::CHAIN_APPROX_SIMPLE);
    std::vector<cv::Rect> boxes;
    for (size_t i = 0; i < contours.size(); ++i) {
      if (hierarchy[i][3] >= 0) continue;  // a hole
      const cv::Rect r = cv::boundingRect(contours[i]);
      if (IsBoxFrame(r, gray)) boxes.push_back(r);
    }
    // Rows are ~150 px apart; sort by row band, then by x.
    std::sort(boxes.begin(), boxes.end(),
              [](const cv::Rect& a, const cv::Rect& b) {
                if (std::abs(a.y - b.y) > 20) return a.y < b.y;
                return a.x < b.x;
              });
    return boxes;
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("template boxes: ", e.what()));
  }
}

namespace {

// Both entry points take a box that lies inside a non-empty page and, for
// a digit, an 8-bit MNIST image.
absl::Status CheckBoxAndContent(const cv::Mat& page, const cv::Rect& box,
                                const SynthOptions& options) {
  if (page.empty() || box.empty() ||
      (box & cv::Rect(0, 0, page.cols, page.rows)) != box) {
    return absl::InvalidArgumentError("box outside the page");
  }
  if (options.content == BoxContent::kFreehand &&
      (options.mnist.type() != CV_8UC1 || options.mnist.empty())) {
    return absl::InvalidArgumentError(
        "a free-hand digit needs an 8-bit MNIST image");
  }
  if (options.content == BoxContent::kTraced &&
      (options.digit < 0 || options.digit > 9)) {
    return absl::InvalidArgumentError("a traced digit is 0..9");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<cv::Mat> RenderSyntheticBox(const cv::Mat& page,
                                           const cv::Rect& box,
                                           const DigitGuide& guide,
                                           const SynthOptions& options,
                                           cv::RNG& rng) {
  RETURN_IF_ERROR(CheckBoxAndContent(page, box, options));
  try {
    return Render(page, box, guide, options, rng);
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("synthetic box: ", e.what()));
  }
}

absl::Status WriteBoxContent(const cv::Rect& box, const DigitGuide& guide,
                             const SynthOptions& options, cv::RNG& rng,
                             cv::Mat* page) {
  if (page == nullptr || page->type() != CV_8UC3) {
    return absl::InvalidArgumentError("the page must be 8-bit BGR");
  }
  RETURN_IF_ERROR(CheckBoxAndContent(*page, box, options));
  try {
    cv::Mat base;
    cv::resize((*page)(box), base, cv::Size(), kUpscale, kUpscale,
               cv::INTER_CUBIC);
    const int line = cvRound(3 * kUpscale);
    const cv::Rect frame(0, 0, base.cols, base.rows);
    const cv::Rect interior(line, line, base.cols - 2 * line,
                            base.rows - 2 * line);
    cv::Mat inked = Ink(base, frame, interior, guide, options, rng), out;
    inked.convertTo(out, CV_8UC3);
    cv::resize(out, (*page)(box), box.size(), 0, 0, cv::INTER_AREA);
    return absl::OkStatus();
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("writing a box: ", e.what()));
  }
}

absl::StatusOr<DigitGuide> MeasureTemplateGuide(
    const cv::Mat& page, const std::vector<cv::Rect>& boxes) {
  DigitGuide sum;
  sum.dot_grey = 0;
  int found = 0;
  for (const cv::Rect& box : boxes) {
    absl::StatusOr<DigitGuide> guide = MeasureGuide(page, box);
    if (!guide.ok()) continue;
    sum.left += guide->left;
    sum.centre += guide->centre;
    sum.right += guide->right;
    sum.top += guide->top;
    sum.middle += guide->middle;
    sum.bottom += guide->bottom;
    sum.dot_grey += guide->dot_grey;
    ++found;
  }
  if (found == 0) return absl::NotFoundError("no box of the page has a guide");
  for (double* v : {&sum.left, &sum.centre, &sum.right, &sum.top, &sum.middle,
                    &sum.bottom, &sum.dot_grey}) {
    *v /= found;
  }
  return sum;
}

absl::StatusOr<TemplatePage> PrepareTemplatePage(
    cv::Mat page, const std::vector<cv::Rect>& boxes,
    const DigitGuide* fallback) {
  if (page.empty() || page.type() != CV_8UC3) {
    return absl::InvalidArgumentError("a template page is 8-bit BGR");
  }
  TemplatePage out;
  out.boxes = boxes;
  absl::StatusOr<DigitGuide> own = MeasureTemplateGuide(page, boxes);
  if (own.ok()) {
    out.guide = *own;
  } else if (fallback != nullptr) {
    out.guide = *fallback;
    for (const cv::Rect& box : boxes) {
      if ((box & cv::Rect(0, 0, page.cols, page.rows)) != box) {
        return absl::InvalidArgumentError("box outside the template page");
      }
      PrintGuide(out.guide, box, 1.0 - out.guide.dot_grey / 255.0, &page);
    }
  } else {
    return own.status();
  }
  out.page = std::move(page);
  return out;
}

absl::StatusOr<std::vector<TemplatePage>> LoadTemplatePages(
    const std::string& dir) {
  std::vector<TemplatePage> out;
  for (const char* name :
       {"PPWP-2024-hal2-plano.png", "PPWP-2024-hal3-plano.png"}) {
    cv::Mat page = cv::imread(dir + "/" + name, cv::IMREAD_COLOR);
    if (page.empty()) {
      return absl::NotFoundError(absl::StrCat("cannot read ", dir, "/", name));
    }
    absl::StatusOr<std::vector<cv::Rect>> boxes = FindTemplateBoxes(page);
    if (!boxes.ok()) return boxes.status();
    if (boxes->size() != 9) {
      return absl::FailedPreconditionError(
          absl::StrCat(name, ": found ", boxes->size(), " digit boxes, not 9"));
    }
    ASSIGN_OR_RETURN(
        TemplatePage prepared,
        PrepareTemplatePage(std::move(page), *boxes,
                            out.empty() ? nullptr : &out.front().guide));
    out.push_back(std::move(prepared));
  }
  return out;
}

}  // namespace c1tally::synth
