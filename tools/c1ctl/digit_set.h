// A folder of digit box crops, read and scored: what `c1ctl ocr digits`
// prints and `c1ctl ocr model compare` decides on.
//
// A folder holds crops (any image file) directly, unlabelled, or in
// subfolders named by class (0..9, X, blank), labelled, as `c1ctl ocr
// boxes`, `c1ctl review export-crops` and `train_digits render` write them.
// A box counts as read right when its class agrees with the label
// (ocr::ClassesAgree: 0, X and blank all stand for a leading zero).
#ifndef C1TALLY_TOOLS_C1CTL_DIGIT_SET_H_
#define C1TALLY_TOOLS_C1CTL_DIGIT_SET_H_

#include <functional>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "ocr/digit_classifier.h"

namespace c1tally::c1ctl {

struct DigitCrop {
  std::string file;
  int truth = -1;  // class index, or -1 when unlabelled
};

// The crops of `dir`, sorted by path.
std::vector<DigitCrop> DigitCropsIn(const std::string& dir);

// Counts over labelled boxes.
struct DigitTally {
  int boxes = 0, right = 0, accepted = 0, wrong_accepted = 0;
  double Top1() const;
  double AcceptedShare() const;
  double AcceptedError() const;
  nlohmann::json Json() const;
};

struct DigitSetScore {
  DigitTally all;
  DigitTally by_class[ocr::kDigitClassCount];
  int unreadable = 0;  // crops that could not be read at all
  nlohmann::json Json() const;
  // One line per class and one for all: top-1, accepted, error among
  // accepted.
  std::string Table() const;
};

// What one crop gave: its reading, or the reason it could not be decoded.
struct DigitCropResult {
  const DigitCrop* crop = nullptr;
  ocr::DigitReading reading;
  std::string error;  // decoding, when set
  bool accepted = false;
};

// Reads every crop of `crops` with `model` (on two threads) and scores the
// labelled ones; `each` (when set) sees every result in order.
DigitSetScore ScoreDigitCrops(
    const ocr::DigitClassifier& model, const std::vector<DigitCrop>& crops,
    const std::function<void(const DigitCropResult&)>& each = nullptr);

// Whether a candidate model may replace the current one, judged on the
// same labelled crops: no more wrong boxes accepted, at most 1 point less
// of the boxes accepted, and no class read right 2 points less often.
// `reasons` says what failed (or, when none did, how the two differ).
struct CandidateVerdict {
  bool no_worse = false;
  std::vector<std::string> reasons;
};
CandidateVerdict JudgeCandidate(const DigitSetScore& current,
                                const DigitSetScore& candidate);

}  // namespace c1tally::c1ctl

#endif  // C1TALLY_TOOLS_C1CTL_DIGIT_SET_H_
