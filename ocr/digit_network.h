// The digit model's network: a small convolutional network over one
// prepared digit box, with its forward pass (reading) and its gradients
// (training) in one place so the two can never disagree.
//
// Input: two 28×28 planes of a PreparedCell (digit_cell.h): the ink
// normalised and centred like MNIST, and the ink of the whole box interior at
// its real size and place (what tells a dash from a 1 and a speck from a 0).
// Layers: 5×5 convolution (kConv1 maps) → ReLU → 2×2 max pool → 5×5
// convolution (kConv2 maps) → ReLU → 2×2 max pool → dense kHidden → ReLU →
// dense kOutputs logits. Convolutions keep the size ("same"
// padding). Everything is CV_32F in rows; activations are stored position
// by position with the channels of one position side by side (HWC).
//
// Status: measured, not shipped. digit_classifier.h can carry these next
// to its perceptrons (train_digits --cnn_networks=N), and train_digits
// --compare trains them alone. First measured with 10 epochs on 23k boxes
// without augmentation: 97.0% of the held-out boxes right against the
// perceptrons' 97.4%. Then trained on the boxes the shipped perceptrons get
// (46k, most digits elastically distorted; 12 epochs, 57 s an epoch on 2
// cores, training loss 0.018; with a cell preparation tried then, see
// docs/ARCHITECTURE.md): 97.6% alone against the perceptrons' 97.75%;
// added to them (logits summed, two temperatures) 97.75%, and on 500
// generated photos (the tuning set) 87.3% of fields accepted against 87.5%
// without it. Most boxes the perceptrons misread it misreads too (59 of
// 95), hard MNIST digits, so neither more epochs nor augmentation made it
// the better reader; it costs 0.64 ms a box against 0.16 ms.
#ifndef C1TALLY_OCR_DIGIT_NETWORK_H_
#define C1TALLY_OCR_DIGIT_NETWORK_H_

#include <array>
#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ocr/digit_cell.h"

namespace c1tally::ocr {

class DigitNetwork {
 public:
  static constexpr int kPlanes = 2;
  static constexpr int kInputSize = kPlanes * kCellSide * kCellSide;
  static constexpr int kConv1 = 16;
  static constexpr int kConv2 = 32;
  static constexpr int kHidden = 128;
  static constexpr int kKernel = 5;
  // One logit per class of digit_classifier.h's kDigitClasses.
  static constexpr int kOutputs = 12;

  // The network's input for one prepared cell: 1×kInputSize, HWC.
  static cv::Mat Input(const PreparedCell& cell);

  // He-initialised weights from `seed`, zero biases.
  static DigitNetwork Random(uint64_t seed);
  // Same shapes, all zero: a gradient or momentum accumulator.
  static DigitNetwork Zeros();

  // Reads weights written by Save. NotFound / DataLoss on a missing file or
  // on shapes that are not this network's.
  static absl::StatusOr<DigitNetwork> Load(const std::string& path);
  absl::Status Save(const std::string& path) const;

  // Logits for each row of `inputs` (rows × kInputSize CV_32F): rows ×
  // kOutputs CV_32F. Thread-safe: only reads the weights.
  cv::Mat Logits(const cv::Mat& inputs) const;

  // Adds the gradient of the summed softmax cross-entropy of `inputs` rows
  // against `labels` to `gradient` (a Zeros() network owned by the caller)
  // and returns that summed loss. Thread-safe for distinct `gradient`s.
  double AddGradient(const cv::Mat& inputs, const std::vector<int>& labels,
                     DigitNetwork* gradient) const;

  // The weight and bias matrices in a fixed order, for the optimiser. Weights
  // come at even indices, biases at odd ones.
  std::vector<cv::Mat*> Parameters();
  std::vector<const cv::Mat*> Parameters() const;

  // Deep copy (cv::Mat copies share data).
  DigitNetwork Clone() const;

 private:
  struct Activations;

  DigitNetwork() = default;
  void Forward(const float* input, Activations* a) const;

  // Convolution weights: rows (ky·kKernel + kx)·in + c, one column per map.
  cv::Mat conv1_w_, conv1_b_, conv2_w_, conv2_b_;
  // Dense weights: rows input, columns output.
  cv::Mat dense1_w_, dense1_b_, dense2_w_, dense2_b_;
};

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_DIGIT_NETWORK_H_
