#include "tools/synth/photo_effects.h"

#include <cmath>

#include "absl/strings/str_format.h"
#include "opencv2/imgcodecs.hpp"
#include "opencv2/imgproc.hpp"

namespace c1tally::synth {
namespace {

constexpr double kPi = 3.14159265358979323846;

double Uniform(std::mt19937* random, double low, double high) {
  return std::uniform_real_distribution<double>(low, high)(*random);
}

uint64_t Seed(std::mt19937* random) {
  return (static_cast<uint64_t>((*random)()) << 32) | (*random)();
}

// A table top: a flat colour with a little texture.
cv::Mat Background(cv::Size size, std::mt19937* random) {
  const cv::Scalar colour(Uniform(random, 40, 150), Uniform(random, 50, 150),
                          Uniform(random, 60, 170));
  cv::Mat background(size, CV_8UC3, colour);
  cv::Mat texture(size / 8, CV_8UC3);
  // OpenCV's own cv::randu draws from a per-thread generator; a photo must
  // depend on its seed alone, whichever thread renders it.
  cv::RNG(Seed(random)).fill(texture, cv::RNG::UNIFORM, 0, 24);
  cv::resize(texture, texture, size, 0, 0, cv::INTER_LINEAR);
  background += texture;
  background -= cv::Scalar::all(12);
  return background;
}

// Where the page's corners land in the photo.
std::vector<cv::Point2f> PageCorners(cv::Size page, const PhotoStyle& style,
                                     const PhotoEffects& effects,
                                     std::mt19937* random) {
  const bool sideways = effects.quarter_turns % 2 == 1;
  const double page_w = sideways ? page.height : page.width;
  const double page_h = sideways ? page.width : page.height;
  const double scale =
      effects.page_fill *
      std::min(style.frame.width / page_w, style.frame.height / page_h);
  const cv::Point2f centre(style.frame.width / 2.0f, style.frame.height / 2.0f);
  // Corners of the upright page, centred, then turned and tilted.
  std::vector<cv::Point2f> corners = {{-0.5f * page.width, -0.5f * page.height},
                                      {0.5f * page.width, -0.5f * page.height},
                                      {0.5f * page.width, 0.5f * page.height},
                                      {-0.5f * page.width, 0.5f * page.height}};
  const double angle =
      (effects.quarter_turns * 90.0 + effects.tilt_degrees) * kPi / 180.0;
  const double c = std::cos(angle), s = std::sin(angle);
  for (cv::Point2f& p : corners) {
    const double x = p.x * scale, y = p.y * scale;
    // Perspective: each corner moves on its own.
    const double jitter =
        effects.perspective * scale * std::max(page.width, page.height);
    p = cv::Point2f(static_cast<float>(c * x + s * y + centre.x +
                                       Uniform(random, -jitter, jitter)),
                    static_cast<float>(-s * x + c * y + centre.y +
                                       Uniform(random, -jitter, jitter)));
  }
  return corners;
}

// Multiplies the photo by a linear light falloff and maybe a soft shadow.
// The gain varies slowly, so it is drawn at 1/8 size and scaled up.
void Light(const PhotoEffects& effects, std::mt19937* random, cv::Mat* photo) {
  constexpr int kShrink = 8;
  const cv::Size small(std::max(1, photo->cols / kShrink),
                       std::max(1, photo->rows / kShrink));
  cv::Mat gain(small, CV_32F);
  const double direction = Uniform(random, 0, 2 * kPi);
  const double dx = std::cos(direction), dy = std::sin(direction);
  const double span = std::abs(dx) * small.width + std::abs(dy) * small.height;
  for (int y = 0; y < small.height; ++y) {
    float* row = gain.ptr<float>(y);
    for (int x = 0; x < small.width; ++x) {
      const double t = ((dx * x + dy * y) - std::min(0.0, dx) * small.width -
                        std::min(0.0, dy) * small.height) /
                       span;
      row[x] = static_cast<float>(1.0 - effects.light_gradient * t);
    }
  }
  if (effects.shadow) {
    cv::Mat shadow(small, CV_32F, cv::Scalar(0));
    const cv::Point centre(static_cast<int>(Uniform(random, 0, small.width)),
                           static_cast<int>(Uniform(random, 0, small.height)));
    cv::ellipse(shadow, centre, cv::Size(small.width / 3, small.height / 5),
                Uniform(random, 0, 180), 0, 360, cv::Scalar(0.35), cv::FILLED);
    cv::GaussianBlur(shadow, shadow, cv::Size(0, 0), small.width / 25.0);
    gain -= shadow;
  }
  // Applied a row at a time in 8 bits: the same products and rounding as a
  // float image times a 3-channel gain, without 300 MB of float copies.
  cv::Mat full_gain;
  cv::resize(gain, full_gain, photo->size(), 0, 0, cv::INTER_LINEAR);
  for (int y = 0; y < photo->rows; ++y) {
    const float* g = full_gain.ptr<float>(y);
    uchar* p = photo->ptr<uchar>(y);
    for (int x = 0; x < photo->cols; ++x, p += 3) {
      for (int c = 0; c < 3; ++c) {
        p[c] = cv::saturate_cast<uchar>(static_cast<float>(p[c]) * g[x]);
      }
    }
  }
}

}  // namespace

std::string PhotoEffects::ToString() const {
  return absl::StrFormat(
      "turns=%d tilt=%.1f fill=%.2f perspective=%.3f light=%.2f shadow=%d "
      "blur=%.2f noise=%.1f jpeg=%d seed=%u",
      quarter_turns, tilt_degrees, page_fill, perspective, light_gradient,
      shadow ? 1 : 0, blur_sigma, noise_sigma, jpeg_quality, seed);
}

PhotoEffects DrawPhotoEffects(const PhotoStyle& style, std::mt19937* random) {
  PhotoEffects effects;
  const double turn = Uniform(random, 0, 1);
  if (turn < style.upside_down_share) {
    effects.quarter_turns = 2;
  } else if (turn < style.upside_down_share + style.sideways_share) {
    effects.quarter_turns = Uniform(random, 0, 1) < 0.5 ? 1 : 3;
  }
  effects.tilt_degrees =
      Uniform(random, -style.max_tilt_degrees, style.max_tilt_degrees);
  effects.page_fill = Uniform(random, 0.70, 0.92);
  effects.perspective = Uniform(random, 0, style.max_perspective);
  effects.light_gradient = Uniform(random, 0, style.max_light_gradient);
  effects.shadow = Uniform(random, 0, 1) < style.shadow_share;
  effects.blur_sigma = Uniform(random, 0, style.max_blur_sigma);
  effects.noise_sigma = Uniform(random, 0, style.max_noise_sigma);
  effects.jpeg_quality =
      static_cast<int>(Uniform(random, style.min_jpeg_quality, 95));
  effects.seed = (*random)();
  return effects;
}

std::string RenderPhoto(const cv::Mat& page, const PhotoStyle& style,
                        const PhotoEffects& effects, cv::Mat* page_to_photo) {
  std::mt19937 random(effects.seed);
  const std::vector<cv::Point2f> source = {
      {0, 0},
      {static_cast<float>(page.cols), 0},
      {static_cast<float>(page.cols), static_cast<float>(page.rows)},
      {0, static_cast<float>(page.rows)}};
  const std::vector<cv::Point2f> target =
      PageCorners(page.size(), style, effects, &random);
  const cv::Mat homography = cv::getPerspectiveTransform(source, target);
  if (page_to_photo != nullptr) *page_to_photo = homography.clone();

  cv::Mat photo = Background(style.frame, &random);
  cv::warpPerspective(page, photo, homography, style.frame, cv::INTER_LINEAR,
                      cv::BORDER_TRANSPARENT);
  Light(effects, &random, &photo);
  if (effects.blur_sigma > 0.3) {
    cv::GaussianBlur(photo, photo, cv::Size(0, 0), effects.blur_sigma);
  }
  if (effects.noise_sigma > 0.5) {
    cv::Mat noise(photo.size(), CV_16SC3);
    cv::RNG(Seed(&random)).fill(noise, cv::RNG::NORMAL, 0, effects.noise_sigma);
    // Added in place, saturating, rather than through a 16-bit copy.
    for (int y = 0; y < photo.rows; ++y) {
      const int16_t* n = noise.ptr<int16_t>(y);
      uchar* p = photo.ptr<uchar>(y);
      for (int i = 0; i < 3 * photo.cols; ++i) {
        p[i] = cv::saturate_cast<uchar>(static_cast<int>(p[i]) + n[i]);
      }
    }
  }
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", photo, jpeg,
               {cv::IMWRITE_JPEG_QUALITY, effects.jpeg_quality});
  return std::string(jpeg.begin(), jpeg.end());
}

}  // namespace c1tally::synth
