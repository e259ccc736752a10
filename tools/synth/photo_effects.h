// Phone-photo effects for synthetic forms: a flat, filled page becomes
// something like what a citizen's phone sends — on a table, in perspective,
// rotated (upside down too), under uneven light with a shadow, blurred,
// noisy and JPEG-compressed. Used by the form generator (`c1ctl forms
// generate`); every effect is drawn from a seeded generator so that a seed
// reproduces a photo exactly.
#ifndef C1TALLY_TOOLS_SYNTH_PHOTO_EFFECTS_H_
#define C1TALLY_TOOLS_SYNTH_PHOTO_EFFECTS_H_

#include <random>
#include <string>

#include "opencv2/core.hpp"

namespace c1tally::synth {

// How strong the effects may get; each photo draws its own within these.
struct PhotoStyle {
  // Output size (portrait); the page fills 70-92% of the frame.
  cv::Size frame = {2250, 3000};
  // Largest in-plane tilt, degrees (beyond the 0/90/180/270 turn).
  double max_tilt_degrees = 8;
  // Share of photos turned 180 degrees, and 90 degrees either way.
  double upside_down_share = 0.15;
  double sideways_share = 0.05;
  // Largest perspective: corner displacement as a share of the page size.
  double max_perspective = 0.06;
  // Largest light falloff across the page (0 none, 1 black corner).
  double max_light_gradient = 0.45;
  // Share of photos with a soft shadow (a hand or the phone).
  double shadow_share = 0.4;
  double max_blur_sigma = 1.6;
  double max_noise_sigma = 7;
  int min_jpeg_quality = 60;
};

// The effects drawn for one photo (kept with the photo's truth).
struct PhotoEffects {
  int quarter_turns = 0;  // 0..3, counter-clockwise
  double tilt_degrees = 0;
  double page_fill = 0.85;
  double perspective = 0;
  double light_gradient = 0;
  bool shadow = false;
  double blur_sigma = 0;
  double noise_sigma = 0;
  int jpeg_quality = 90;
  uint32_t seed = 0;  // for the per-pixel randomness

  // A one-line description, e.g. for truth files.
  std::string ToString() const;
};

PhotoEffects DrawPhotoEffects(const PhotoStyle& style, std::mt19937* random);

// Renders `page` (8-bit BGR, upright) as a photo with `effects`. Returns
// the JPEG bytes; `page_to_photo`, when not null, receives the homography
// from page to photo pixel coordinates.
std::string RenderPhoto(const cv::Mat& page, const PhotoStyle& style,
                        const PhotoEffects& effects,
                        cv::Mat* page_to_photo = nullptr);

}  // namespace c1tally::synth

#endif  // C1TALLY_TOOLS_SYNTH_PHOTO_EFFECTS_H_
