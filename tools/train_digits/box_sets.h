// The digit boxes the model is trained, calibrated and tested on, and how
// they are split so that calibration and test measure handwriting the
// networks never saw.
//
// Splits (`Split`): each has its own writers (tools/synth/handwriting.h:
// habits drawn from the split's seed space, so no writer is in two splits)
// and its own MNIST digits (free-hand): training the non-held-out digits
// with index % 10 < 8, calibration the others, test the held-out ones
// (mnist_digits.h), which are also the generated forms' handwriting.
// Verified crops from volunteers (--extra) join training, except the fifth
// chosen by content hash (IsFrozenEvaluationCrop), which stays for the
// frozen evaluation set.
#ifndef C1TALLY_TOOLS_TRAIN_DIGITS_BOX_SETS_H_
#define C1TALLY_TOOLS_TRAIN_DIGITS_BOX_SETS_H_

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tools/synth/digit_synth.h"
#include "tools/synth/mnist_digits.h"

namespace c1tally::train_digits {

enum class Split { kTrain = 0, kCalibration = 1, kTest = 2 };
const char* SplitName(Split split);

// What a box holds, for the per-kind figures.
enum class BoxKind : uint8_t {
  kTraced = 0,
  kFreehand = 1,
  kX = 2,
  kDash = 3,
  kBlank = 4,
  kVerified = 5,
};
inline constexpr int kBoxKinds = 6;
const char* BoxKindName(BoxKind kind);

// How many boxes of each kind a split gets.
struct SetSize {
  int traced_per_digit = 0;
  int freehand_copies = 0;  // renderings of each of the split's MNIST digits
  int x = 0, dash = 0, blank = 0;
  int boxes_per_writer = 24;
};
SetSize DefaultSize(Split split);

// A set of prepared boxes: one row of DigitClassifier::kInputSize per box,
// as bytes (input × 255), with class and kind.
struct BoxSet {
  cv::Mat inputs;  // CV_8U, n × kInputSize
  std::vector<uint8_t> labels;
  std::vector<uint8_t> kinds;
  // The crops themselves, when kept (PNG sets, error dumps).
  bool keep_crops = false;
  std::vector<cv::Mat> crops;
  // Rendered boxes left out because the reader refuses them (no frame
  // found: DigitClassifier::Input).
  int refused = 0;
  size_t size() const { return labels.size(); }
  // The inputs as the network takes them (CV_32F, 0..1).
  cv::Mat FloatInputs() const;
};

struct RenderOptions {
  uint64_t seed = 1;
  SetSize size;
  bool keep_crops = false;
};

// Renders `split` on the templates with the split's writers and MNIST
// digits, on two threads; deterministic for the seed whatever the thread
// schedule.
absl::StatusOr<BoxSet> RenderSplit(
    Split split, const std::vector<synth::TemplatePage>& templates,
    const std::vector<synth::MnistDigit>& mnist, const RenderOptions& options);

// True for the verified crops kept out of training for the frozen
// evaluation set: a fifth, chosen by the SHA-256 of the file's bytes, so a
// crop keeps its side however many are added.
bool IsFrozenEvaluationCrop(const std::string& file_bytes);

// Adds the verified crops in `dir` (DIR/<class>/*.png, as `c1ctl review
// export-crops` writes them) to `set`, `weight` times each: all of them, or
// only those IsFrozenEvaluationCrop keeps out (`frozen_only`) or lets in.
// Returns how many crops were added.
absl::StatusOr<int> AddVerifiedCrops(const std::string& dir, bool frozen_only,
                                     int weight, BoxSet* set);

// Writes `set` as DIR/<name>.inputs and .labels (raw bytes) and .kinds.
absl::Status WriteBoxSet(const BoxSet& set, const std::string& dir,
                         const std::string& name);
absl::StatusOr<BoxSet> ReadBoxSet(const std::string& dir,
                                  const std::string& name);

// Writes the kept crops of `set` as PNG files DIR/<class>/<prefix>-<i>.png,
// the shape `c1ctl ocr digits` reads.
absl::Status WriteCropFolder(const BoxSet& set, const std::string& dir,
                             const std::string& prefix);

}  // namespace c1tally::train_digits

#endif  // C1TALLY_TOOLS_TRAIN_DIGITS_BOX_SETS_H_
