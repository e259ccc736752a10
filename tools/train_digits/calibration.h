// Calibration of a trained digit network and the figures it is chosen on.
//
// On the calibration split (writers and MNIST digits kept out of
// training): the softmax temperature (least negative log-likelihood), the
// novelty statistics (class means and shared covariance of the training
// boxes' features) and limit (a high quantile of the calibration boxes'
// distances), and the acceptance threshold (the lowest at which the
// calibration boxes accepted hold at most `max_accepted_error` wrong). The
// test split is only measured.
#ifndef C1TALLY_TOOLS_TRAIN_DIGITS_CALIBRATION_H_
#define C1TALLY_TOOLS_TRAIN_DIGITS_CALIBRATION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_classifier.h"
#include "tools/train_digits/box_sets.h"

namespace c1tally::train_digits {

// The model's raw outputs on a set.
struct SetOutputs {
  cv::Mat logits;    // n × classes, CV_32F
  cv::Mat features;  // n × D, CV_32F
};
absl::StatusOr<SetOutputs> RunOnSet(const ocr::DigitClassifier& model,
                                    const BoxSet& set);

// What a calibrated model said of each box of a set.
struct SetReadings {
  std::vector<int> read;
  std::vector<double> confidence;
  std::vector<double> novelty;
};
SetReadings ReadSet(const ocr::DigitClassifier& model, const BoxSet& set,
                    const SetOutputs& outputs);

struct CalibrationOptions {
  // Most boxes of the training set used for the novelty statistics.
  int novelty_sample = 40000;
  // Share of calibration boxes below the novelty limit.
  double novelty_quantile = 0.995;
  // Share of training boxes below the stray darkness limit.
  double stray_quantile = 0.999;
  // Error among accepted calibration boxes the threshold allows.
  double max_accepted_error = 0.0003;
};

// Fits the calibration of `raw` (a network with temperature 1 and no
// novelty check) on `train_outputs` (for the novelty statistics) and
// `calib` with its outputs.
absl::StatusOr<ocr::DigitCalibration> Calibrate(
    const BoxSet& train, const SetOutputs& train_outputs, const BoxSet& calib,
    const SetOutputs& calib_outputs, const CalibrationOptions& options);

// Figures of `readings` of `set` at `threshold`: in all, per class and per
// kind, the boxes, share read right (ClassesAgree), share accepted
// (confident enough and not novel), wrong among accepted and its rate, and
// share novel; plus an accuracy-coverage curve over thresholds.
nlohmann::json Figures(const BoxSet& set, const SetReadings& readings,
                       double threshold);

// Prints the figures' table (in all, per class, per kind) to stdout.
void PrintFigures(const char* title, const nlohmann::json& figures);

// Boxes that are no digit box at all, for the novelty check's figures:
// crops of the templates' printed text, lines and bubbles away from the
// digit boxes, and noise, light and dark patches. Deterministic for
// `seed`.
std::vector<cv::Mat> JunkCrops(
    const std::vector<synth::TemplatePage>& templates, int count,
    uint64_t seed);

}  // namespace c1tally::train_digits

#endif  // C1TALLY_TOOLS_TRAIN_DIGITS_CALIBRATION_H_
