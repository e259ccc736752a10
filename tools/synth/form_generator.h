// FormGenerator: filled C.HASIL pages photographed by a phone, with their
// truth, for evaluating the OCR (`c1ctl forms generate`, `c1ctl ocr eval`).
//
// Each form fills a real blank template (pages 2 and 3 of C.HASIL-PPWP,
// page 2's printed writing guide added to page 3's boxes) at the boxes its
// FormSpec names: consistent numbers (page 3's total is valid plus
// invalid), written by one officer per page as 2024's were (digits traced
// on the guide or free-hand with MNIST digits held out of training; unused
// leading boxes crossed with an X or a dash, left blank or written as 0;
// strokes as the digit trainer draws them, digit_synth.h), the page-2
// bubbles blackened for every written digit; then photo effects.
#ifndef C1TALLY_TOOLS_SYNTH_FORM_GENERATOR_H_
#define C1TALLY_TOOLS_SYNTH_FORM_GENERATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "ocr/form_spec.h"
#include "tools/synth/digit_guide.h"
#include "tools/synth/mnist_digits.h"
#include "tools/synth/photo_effects.h"

namespace c1tally::synth {

struct GeneratedForm {
  // JPEG bytes of the photo.
  std::string photo;
  // {"form", "page", "fields": {name: value}, "boxes": {name: [classes]},
  //  "writing": {name: ["traced"|"freehand"|class of a mark]},
  //  "effects": "..."}; the same shape as forms/photos/truth.json entries.
  nlohmann::json truth;
};

class FormGenerator {
 public:
  // `specs` are the form specs; `templates` maps a page number to its blank
  // template (BGR, the spec's reference size); `digits` are the MNIST
  // digits to write with (pass the held-out part).
  static absl::StatusOr<FormGenerator> Create(std::vector<ocr::FormSpec> specs,
                                              std::map<int, cv::Mat> templates,
                                              std::vector<MnistDigit> digits,
                                              PhotoStyle style = {});

  // Loads the templates PPWP-2024-hal{2,3}-plano.png from `templates_dir`
  // and the held-out MNIST digits from `mnist_package_dir`.
  static absl::StatusOr<FormGenerator> Load(
      const std::string& forms_dir, const std::string& templates_dir,
      const std::string& mnist_package_dir);

  // One photo, deterministic for `seed`; the page is chosen among the
  // templates.
  GeneratedForm Generate(uint64_t seed) const;

  // One photo of `page` with the given numbers (fields not named are
  // drawn), deterministic for `seed`: photos of one TPS whose pages agree,
  // for end-to-end tests and the pipeline benchmark.
  GeneratedForm GenerateWith(uint64_t seed, int page,
                             const std::map<std::string, int>& values) const;

  // The filled page before photo effects (for tests and debugging), with
  // `given` numbers in place of drawn ones where it names a field.
  cv::Mat FillPage(int page, std::mt19937* random, nlohmann::json* truth,
                   const std::map<std::string, int>& given = {}) const;

 private:
  FormGenerator() = default;

  // Fills `page` and photographs it.
  GeneratedForm Render(int page, const std::map<std::string, int>& values,
                       std::mt19937* random) const;

  std::vector<ocr::FormSpec> specs_;
  std::map<int, cv::Mat> templates_;
  // The writing guide of each template page (page 3's is page 2's).
  std::map<int, DigitGuide> guides_;
  // Held-out digits by label.
  std::vector<std::vector<cv::Mat>> digits_;
  PhotoStyle style_;
};

}  // namespace c1tally::synth

#endif  // C1TALLY_TOOLS_SYNTH_FORM_GENERATOR_H_
