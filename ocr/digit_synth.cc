#include "ocr/digit_synth.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "absl/strings/str_cat.h"

namespace c1tally::ocr {
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

}  // namespace

cv::Scalar BallpointColour(cv::RNG& rng) {
  if (rng.uniform(0, 2) == 0) {
    return cv::Scalar(rng.uniform(110, 190), rng.uniform(30, 90),
                      rng.uniform(10, 60));
  }
  const int k = rng.uniform(15, 70);
  return cv::Scalar(k + rng.uniform(0, 15), k, k);
}

namespace {

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
            double bow, cv::RNG& rng) {
  const cv::Point2f mid = Jitter((a + b) * 0.5f, bow, rng);
  std::vector<cv::Point> pts;
  for (int i = 0; i <= 12; ++i) {
    const float t = i / 12.0f;
    const cv::Point2f p =
        (1 - t) * (1 - t) * a + 2 * (1 - t) * t * mid + t * t * b;
    pts.emplace_back(cvRound(p.x * 4), cvRound(p.y * 4));
  }
  cv::polylines(alpha, pts, false, 1.0, thickness, cv::LINE_AA, 2);
}

cv::Mat XAlpha(const cv::Size& canvas, const cv::Rect& in, cv::RNG& rng) {
  cv::Mat alpha = cv::Mat::zeros(canvas, CV_32F);
  const double fill = rng.uniform(0.5, 0.95);
  const float w = static_cast<float>(in.width * fill);
  const float h = static_cast<float>(in.height * fill * rng.uniform(0.8, 1.1));
  const cv::Point2f c =
      Jitter(cv::Point2f(in.x + in.width / 2.0f, in.y + in.height / 2.0f),
             in.width * 0.08, rng);
  const double j = in.width * 0.08, bow = in.width * 0.06;
  const int thick = rng.uniform(5, 14);
  Stroke(alpha, Jitter(c + cv::Point2f(-w / 2, -h / 2), j, rng),
         Jitter(c + cv::Point2f(w / 2, h / 2), j, rng), thick, bow, rng);
  Stroke(alpha, Jitter(c + cv::Point2f(w / 2, -h / 2), j, rng),
         Jitter(c + cv::Point2f(-w / 2, h / 2), j, rng), thick, bow, rng);
  return alpha;
}

cv::Mat DashAlpha(const cv::Size& canvas, const cv::Rect& in, cv::RNG& rng) {
  cv::Mat alpha = cv::Mat::zeros(canvas, CV_32F);
  const float len = static_cast<float>(in.width * rng.uniform(0.3, 0.8));
  const cv::Point2f c =
      Jitter(cv::Point2f(
                 in.x + in.width / 2.0f,
                 in.y + in.height * static_cast<float>(rng.uniform(0.35, 0.7))),
             in.width * 0.06, rng);
  const float tilt = static_cast<float>(rng.uniform(-0.1, 0.1)) * len;
  Stroke(alpha, c + cv::Point2f(-len / 2, -tilt),
         c + cv::Point2f(len / 2, tilt), rng.uniform(5, 14), in.width * 0.03,
         rng);
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

// `base` (BGR, kUpscale times the page) with `options.content` written in
// ballpoint inside `interior`, as CV_32FC3.
cv::Mat Ink(const cv::Mat& base, const cv::Rect& interior,
            const SynthOptions& options, cv::RNG& rng) {
  cv::Mat alpha;
  switch (options.content) {
    case BoxContent::kDigit:
      alpha = DigitAlpha(options.mnist, base.size(), interior, rng);
      break;
    case BoxContent::kX:
      alpha = XAlpha(base.size(), interior, rng);
      break;
    case BoxContent::kDash:
      alpha = DashAlpha(base.size(), interior, rng);
      break;
    case BoxContent::kBlank:
      alpha = cv::Mat::zeros(base.size(), CV_32F);
      break;
  }
  const cv::Scalar ink = BallpointColour(rng);
  cv::Mat f, a3;
  base.convertTo(f, CV_32FC3);
  cv::merge(std::vector<cv::Mat>{alpha, alpha, alpha}, a3);
  cv::Mat inked = f.mul(cv::Scalar::all(1.0) - a3) +
                  a3.mul(cv::Mat(f.size(), CV_32FC3, ink));
  return inked;
}

cv::Mat Render(const cv::Mat& page, const cv::Rect& box,
               const SynthOptions& options, cv::RNG& rng) {
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
  const int frame = cvRound(3 * kUpscale);
  const cv::Rect interior(cvRound((box.x - crop.x) * kUpscale) + frame,
                          cvRound((box.y - crop.y) * kUpscale) + frame,
                          cvRound(box.width * kUpscale) - 2 * frame,
                          cvRound(box.height * kUpscale) - 2 * frame);
  cv::Mat inked = Ink(base, interior, options, rng);
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
  if (options.content == BoxContent::kDigit &&
      (options.mnist.type() != CV_8UC1 || options.mnist.empty())) {
    return absl::InvalidArgumentError(
        "digit content needs an 8-bit MNIST image");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<cv::Mat> RenderSyntheticBox(const cv::Mat& page,
                                           const cv::Rect& box,
                                           const SynthOptions& options,
                                           cv::RNG& rng) {
  if (absl::Status ok = CheckBoxAndContent(page, box, options); !ok.ok()) {
    return ok;
  }
  try {
    return Render(page, box, options, rng);
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("synthetic box: ", e.what()));
  }
}

absl::Status WriteBoxContent(const cv::Rect& box, const SynthOptions& options,
                             cv::RNG& rng, cv::Mat* page) {
  if (page == nullptr || page->type() != CV_8UC3) {
    return absl::InvalidArgumentError("the page must be 8-bit BGR");
  }
  if (absl::Status ok = CheckBoxAndContent(*page, box, options); !ok.ok()) {
    return ok;
  }
  try {
    cv::Mat base;
    cv::resize((*page)(box), base, cv::Size(), kUpscale, kUpscale,
               cv::INTER_CUBIC);
    const int frame = cvRound(3 * kUpscale);
    const cv::Rect interior(frame, frame, base.cols - 2 * frame,
                            base.rows - 2 * frame);
    cv::Mat inked = Ink(base, interior, options, rng), out;
    inked.convertTo(out, CV_8UC3);
    cv::resize(out, (*page)(box), box.size(), 0, 0, cv::INTER_AREA);
    return absl::OkStatus();
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("writing a box: ", e.what()));
  }
}

}  // namespace c1tally::ocr
