// The digit model: reads one digit box crop as "0".."9", "X" or "blank" with
// a calibrated confidence, and says when a crop looks unlike every box it
// was trained on.
//
// Model: an ensemble of small convolutional networks trained with PyTorch
// (tools/train_digits), exported as one ONNX graph and run by OpenCV's dnn
// module. Input: the prepared cell (digit_cell.h) as three 28×28
// channels: the ink scaled and centred as MNIST digits are, the ink in its
// place in the box (so size and position survive: a 1, a dash, a speck),
// and the interior's darkness before cleaning (a faint stroke). The
// graph gives the members' mean logits, which a softmax with a temperature
// fitted on writers kept out of training turns into probabilities, and the
// members' last hidden features.
//
// Novelty: the squared Mahalanobis distance of those features to the
// nearest class mean of the training boxes (one covariance shared by the
// classes), divided by its `novelty_limit` quantile on the calibration
// writers; or, if larger, the darkness of the box away from its ink (text,
// texture, smudges) divided by its `stray_limit` quantile on the training
// boxes. A crop above 1 looks like nothing the model learnt (a photo, a
// printed letter, a smear), and its reading is never accepted however
// confident: the softmax alone is often sure of such a crop.
//
// Files (DigitClassifier::Save): <version>.json, the descriptor (format,
// version, classes, temperature, thresholds, the SHA-256 of the other files
// and the figures the model was chosen on), <version>.onnx (the ensemble),
// <version>-novelty.yml.gz (whitened class means and the whitening matrix).
#ifndef C1TALLY_OCR_DIGIT_CLASSIFIER_H_
#define C1TALLY_OCR_DIGIT_CLASSIFIER_H_

#include <array>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace c1tally::ocr {

// Class order of the probability vector. "X" means the box was marked as
// unused (an X or a dash); "blank" means nothing was written. Both count as
// a leading zero in a number.
inline constexpr int kDigitClassCount = 12;
inline constexpr std::array<const char*, kDigitClassCount> kDigitClasses = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "blank"};
inline constexpr int kClassX = 10;
inline constexpr int kClassBlank = 11;

// Whether reading class `read` for a box of class `truth` gives the number
// its value: the same class, or both among 0, X and blank, which all stand
// for a leading zero (a 0 read as blank in a later place forms no number
// and goes to people, so it is never a wrong number either).
inline bool ClassesAgree(int truth, int read) {
  auto zero = [](int c) { return c == 0 || c == kClassX || c == kClassBlank; };
  return truth == read || (zero(truth) && zero(read));
}

// The descriptor format this build reads; a model of another format is
// refused at load with the reason.
inline constexpr char kDigitModelFormat[] = "c1tally-digit-model-3";

struct DigitReading {
  std::string cls = "blank";  // one of kDigitClasses
  // Calibrated probability that `cls` is right; 0 when the crop could not
  // be read at all (see `error`).
  double confidence = 0.0;
  std::vector<double> probabilities;  // kDigitClassCount entries, sum 1
  // Distance to the boxes the model was trained on, in units of the
  // model's limit: above 1 the crop is unlike them and never accepted.
  double novelty = 0.0;
  std::string error;  // why the crop was unreadable, or ""
  bool novel() const { return novelty > 1.0; }
};

// What calibration adds to a trained network (tools/train_digits fits it).
struct DigitCalibration {
  // Logits are divided by this before the softmax.
  double temperature = 1.0;
  // Confidence at or above which a box alone may be accepted.
  double accept_threshold = 1.0;
  // Novelty: the training boxes' class means in whitened feature space
  // (kDigitClassCount × D, CV_64F), the whitening (D × D, CV_64F: features
  // times it have unit covariance) and the squared distance taken as 1.
  // Empty matrices switch the check off (only while training).
  cv::Mat novelty_means;
  cv::Mat novelty_whitening;
  double novelty_limit = 0.0;
  // The most darkness away from the ink (StrayDarkness) a box may have;
  // 0 switches the check off (only while training).
  double stray_limit = 0.0;
};

class DigitClassifier {
 public:
  // Side and channels of the network's input: one row of kInputSize floats
  // per crop (channel-major).
  static constexpr int kInputChannels = 3;
  static constexpr int kInputSize = kInputChannels * 28 * 28;

  // The committed models' folder (C1TALLY_MODELS_DIR); DigitModelStore
  // reads its CURRENT file.
  static std::string DefaultModelPath();

  // Loads the descriptor at `descriptor_path` and the files it names
  // (relative to its folder), checking each against its SHA-256. NotFound
  // for a missing file, DataLoss for a truncated or changed one or a
  // network that does not run, FailedPrecondition for another format.
  static absl::StatusOr<DigitClassifier> Load(
      const std::string& descriptor_path);

  // Wraps an ONNX network (its bytes) and its calibration; checks that the
  // network runs and gives kDigitClassCount logits and features of the
  // calibration's dimension.
  static absl::StatusOr<DigitClassifier> Create(std::string onnx,
                                                DigitCalibration calibration,
                                                std::string version);

  // Reads one box crop (frame included; see digit_cell.h). Never throws; an
  // unusable crop (empty, 1×1, oversized) gives class "blank" with
  // confidence 0 and `error` set, which callers treat as "needs review".
  // Thread-safe.
  DigitReading Classify(const cv::Mat& box_crop) const;
  // Reads several crops of one box (views: the box cut a few pixels apart)
  // and averages their probabilities, so one view where the frame search
  // slipped does not decide alone; the novelty is the views' largest. The
  // first view readable at `sure_alone` or more (and not novel) is taken as
  // it is. Views that cannot be read are left out; when none can, the
  // first view's error is returned. Thread-safe.
  DigitReading ClassifyViews(const std::vector<cv::Mat>& views,
                             double sure_alone = 1.0) const;
  // ClassifyViews for each box of `boxes` (its views), in two passes of
  // the network for all of them (the first views, then the other views of
  // the boxes not settled): what a page's boxes cost. Thread-safe.
  std::vector<DigitReading> ClassifyBoxes(
      const std::vector<std::vector<cv::Mat>>& boxes,
      double sure_alone = 1.0) const;

  // True when `reading` may stand without a person: readable, not novel,
  // and at least accept_threshold() sure.
  bool Accepts(const DigitReading& reading) const;

  // The network input for one crop: 1 × kInputSize CV_32F, and on how
  // many sides the printed frame was found (when `frame_sides` is set).
  // InvalidArgument when the crop is no image of a box: not near-square
  // (sides more than kMaxCropAspect apart: a box and its margin are square
  // within a few percent), or no printed frame found on at least
  // kMinFrameSides of its sides. A photo, a piece of text or a blot is no
  // digit box. A crop framed on fewer than kWholeFrameSides sides is read
  // but counts as novel (a blurred line, or a corner of printed matter):
  // every training box had its frame found whole.
  static constexpr double kMaxCropAspect = 1.25;
  static constexpr int kMinFrameSides = 2;
  static constexpr int kWholeFrameSides = 3;
  static absl::StatusOr<cv::Mat> Input(const cv::Mat& box_crop,
                                       int* frame_sides = nullptr);

  // The network on rows of inputs (n × kInputSize CV_32F): mean logits
  // (n × kDigitClassCount) and features (n × D), both CV_32F. Thread-safe.
  struct Outputs {
    cv::Mat logits;
    cv::Mat features;
  };
  absl::StatusOr<Outputs> Run(const cv::Mat& inputs) const;
  // softmax(logits / temperature) per row, CV_64F.
  cv::Mat Probabilities(const cv::Mat& logits) const;
  // The novelty (see DigitReading::novelty) of each row of `features` and
  // the network `inputs` it came from; all 0 when the calibration has no
  // novelty check.
  std::vector<double> Novelty(const cv::Mat& features,
                              const cv::Mat& inputs) const;
  // The squared whitened distance of each row to its nearest class mean,
  // before division by the limit (what the limit is fitted on).
  static std::vector<double> NoveltyDistances(const cv::Mat& features,
                                              const cv::Mat& means,
                                              const cv::Mat& whitening);
  // The mean darkness of an input's interior channel where its ink channel
  // (widened by two pixels) has none: guide dots and frame residue in a
  // digit box, much more in a photo of text.
  static double StrayDarkness(const cv::Mat& input_row);

  // Writes `<dir>/<version>.json`, `.onnx` and `-novelty.yml.gz`; `figures`
  // (measured when the model was chosen) go into the descriptor.
  absl::Status Save(const std::string& dir,
                    const nlohmann::json& figures) const;

  const std::string& version() const { return version_; }
  double accept_threshold() const { return calibration_.accept_threshold; }
  double temperature() const { return calibration_.temperature; }
  const DigitCalibration& calibration() const { return calibration_; }
  int feature_size() const { return feature_size_; }

 private:
  class NetworkPool;

  DigitClassifier() = default;
  // One reading per crop, the readable ones in one pass of the network.
  std::vector<DigitReading> ReadAll(
      const std::vector<const cv::Mat*>& crops) const;

  std::shared_ptr<NetworkPool> networks_;  // shared by copies; thread-safe
  DigitCalibration calibration_;
  std::string version_;
  int feature_size_ = 0;
};

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_DIGIT_CLASSIFIER_H_
