// The digit model: reads one digit box crop as "0".."9", "X" or "blank" with
// a calibrated confidence.
//
// Model: HOG (28×28, 7-px cells) + 14×14 pixels + ink shape features of the
// prepared cell (digit_cell.h), fed to a small ensemble of OpenCV multilayer
// perceptrons (cv::ml::ANN_MLP, different sizes and initial weights) whose
// averaged outputs are turned into probabilities by a softmax with a
// temperature fitted on a held-out calibration split. Averaging makes a
// digit the networks disagree on less confident, which is what the
// acceptance threshold needs. See tools/train_digits for how it is built and
// measured.
//
// Optionally convolutional networks (digit_network.h) over the same
// prepared cell join the ensemble: their mean logits are added to the
// perceptrons' mean outputs before the softmax, each scaled by a temperature
// of its own, the two fitted together on the calibration split (a product
// of the two kinds of experts: a digit is sure only when both lean the same
// way).
//
// Files: a JSON descriptor (version, temperature, acceptance threshold,
// measured figures, weights file names; "cnn_weights" and
// "cnn_temperature" when there are convolutional networks) next to the
// weights files.
#ifndef C1TALLY_OCR_DIGIT_CLASSIFIER_H_
#define C1TALLY_OCR_DIGIT_CLASSIFIER_H_

#include <array>
#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ocr/digit_network.h"

namespace c1tally::ocr {

// Class order of the probability vector. "X" means the box was marked as
// unused (an X or a dash); "blank" means nothing was written. Both count as
// a leading zero in a number.
inline constexpr int kDigitClassCount = 12;
inline constexpr std::array<const char*, kDigitClassCount> kDigitClasses = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "blank"};
inline constexpr int kClassX = 10;
inline constexpr int kClassBlank = 11;

struct DigitReading {
  std::string cls = "blank";  // one of kDigitClasses
  // Calibrated probability that `cls` is right; 0 when the crop could not
  // be read at all (see `error`).
  double confidence = 0.0;
  std::vector<double> probabilities;  // kDigitClassCount entries, sum 1
  std::string error;                  // why the crop was unreadable, or ""
};

// The version of the committed model, which tools/train_digits writes: its
// files are <version>.json and <version>-<k>.yml.gz, and every reading
// records it.
inline constexpr char kDigitModelVersion[] = "digits-v2";

class DigitClassifier {
 public:
  // The committed model: C1TALLY_MODELS_DIR "/<kDigitModelVersion>.json".
  static std::string DefaultModelPath();

  // Loads the JSON descriptor at `model_path` and the weights file it names
  // (relative to the descriptor's folder). NotFound / DataLoss on a missing
  // or malformed file.
  static absl::StatusOr<DigitClassifier> Load(const std::string& model_path);

  // Wraps freshly trained networks (the trainer's path); `nets` is not
  // empty and every net takes FeatureSize() inputs.
  DigitClassifier(std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets,
                  double temperature, double accept_threshold,
                  std::string version);
  // With convolutional networks too; `cnn_temperature` scales their mean
  // logits.
  DigitClassifier(std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets,
                  double temperature, std::vector<DigitNetwork> cnns,
                  double cnn_temperature, double accept_threshold,
                  std::string version);

  // Reads one box crop (frame included; see digit_cell.h). Never throws; an
  // unusable crop (empty, 1×1, oversized) gives class "blank" with
  // confidence 0 and `error` set, which callers treat as "needs review".
  // Thread-safe: the network is only read.
  DigitReading Classify(const cv::Mat& box_crop) const;
  // Reads several crops of one box (views: the box cut a few pixels apart)
  // and averages their probabilities, so one view where the frame search
  // slipped does not decide alone. The first view readable at `sure_alone`
  // or more is taken as it is (most boxes: a third of the work). Views that
  // cannot be read are left out; when none can, the first view's error is
  // returned. Thread-safe.
  DigitReading ClassifyViews(const std::vector<cv::Mat>& views,
                             double sure_alone = 1.0) const;

  // The model input for one crop: 1×FeatureSize() CV_32F.
  static absl::StatusOr<cv::Mat> Features(const cv::Mat& box_crop);
  static int FeatureSize();
  // Both inputs from one preparation of the crop: the perceptrons'
  // features and, when `network_input` is not null, the convolutional
  // networks' input (1×DigitNetwork::kInputSize).
  static absl::Status Inputs(const cv::Mat& box_crop, cv::Mat* features,
                             cv::Mat* network_input);

  // Mean network output for each row of `features` → softmax(mean / T).
  // The perceptrons alone.
  cv::Mat Probabilities(const cv::Mat& features, double temperature) const;

  // The perceptrons' mean outputs (rows × classes, CV_64F) and the
  // convolutional networks' mean logits (empty without them).
  cv::Mat MlpOutputs(const cv::Mat& features) const;
  cv::Mat CnnLogits(const cv::Mat& network_inputs) const;
  // softmax(mlp / temperature + cnn / cnn_temperature) per row; `cnn` may
  // be empty.
  static cv::Mat Combine(const cv::Mat& mlp, double temperature,
                         const cv::Mat& cnn, double cnn_temperature);

  // Writes `<dir>/<version>.json` and `<dir>/<version>-<k>.yml.gz` per
  // network; `extra_json` is merged into the JSON (measured figures).
  absl::Status Save(const std::string& dir,
                    const std::string& extra_json) const;

  double temperature() const { return temperature_; }
  double cnn_temperature() const { return cnn_temperature_; }
  bool has_cnns() const { return !cnns_.empty(); }
  // Confidence at or above which a digit may be accepted without review.
  double accept_threshold() const { return accept_threshold_; }
  const std::string& version() const { return version_; }

 private:
  std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets_;
  double temperature_ = 1.0;
  std::vector<DigitNetwork> cnns_;
  double cnn_temperature_ = 1.0;
  // The networks' logits for an empty box (an all-zero input).
  cv::Mat blank_logits_;
  double accept_threshold_ = 1.0;
  std::string version_;
};

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_DIGIT_CLASSIFIER_H_
