// The convolutional network of ocr/digit_network.h trained on the same
// boxes as the shipped model, for the comparison that picked the model
// (train_digits --compare). Printed only; nothing is saved.
#ifndef C1TALLY_TOOLS_TRAIN_DIGITS_CNN_COMPARISON_H_
#define C1TALLY_TOOLS_TRAIN_DIGITS_CNN_COMPARISON_H_

#include <opencv2/core.hpp>
#include <vector>

#include "ocr/digit_network.h"

namespace c1tally::ocr {

// Rendered box crops with their class indices (kDigitClasses order).
struct LabelledCrops {
  std::vector<cv::Mat> crops;
  std::vector<int> labels;
};

struct CnnComparisonOptions {
  int networks = 2;  // ensemble size
  int epochs = 10;
  int batch = 64;
  double learning_rate = 0.02;  // initial step size, cosine decay
  int seed = 1;
};

// One network trained on rows `x` (DigitNetwork inputs) with classes `y`;
// deterministic for `seed`. Uses two threads.
DigitNetwork TrainCnn(const cv::Mat& x, const std::vector<int>& y, int seed,
                      const CnnComparisonOptions& options);

// Trains the ensemble on `train`, fits its temperature on `calib` and prints
// the test accuracy and accuracy-coverage rows for `thresholds`.
void CompareCnn(const LabelledCrops& train, const LabelledCrops& calib,
                const LabelledCrops& test,
                const std::vector<double>& thresholds,
                const CnnComparisonOptions& options);

}  // namespace c1tally::ocr

#endif  // C1TALLY_TOOLS_TRAIN_DIGITS_CNN_COMPARISON_H_
