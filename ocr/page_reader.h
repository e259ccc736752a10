// PageReader: the whole reading of one photo — decode, register, read every
// digit box and (page 2) bubble column, check the printed header with
// Tesseract, form the numbers and triage them — and its JSON form, the
// contract's `c1ctl ocr read` line.
#ifndef C1TALLY_OCR_PAGE_READER_H_
#define C1TALLY_OCR_PAGE_READER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_classifier.h"
#include "ocr/digit_model_store.h"
#include "ocr/field_triage.h"
#include "ocr/form_spec.h"
#include "ocr/page_error.h"
#include "ocr/page_header_reader.h"

namespace c1tally::ocr {

struct FieldResult {
  std::string name;
  FieldTriage triage;
  // One per box, most significant first.
  std::vector<DigitReading> digits;
  // What the bubbles say, on pages that have them, and how clearly (the
  // least clear column, 0..1).
  std::optional<int64_t> omr;
  double omr_confidence = 0;
  // The boxes' crop on the registered page (for reviewers).
  cv::Mat crop;
  // Each box as the classifier saw it (frame and margin), most significant
  // first: training data once people have verified the number.
  std::vector<cv::Mat> box_crops;
};

// Wall time of each stage of one read (`c1ctl bench ocr` prints them).
struct ReadTimings {
  double decode_ms = 0;    // every decode, a full-size retry included
  double register_ms = 0;  // every registration attempt
  double cells_ms = 0;     // digit boxes and bubbles
  double header_ms = 0;    // the Tesseract check of the printed header
  int attempts = 0;        // registrations tried: 2 after a full-size retry
};

struct PageReading {
  std::string form;  // empty when not identified
  int page = 0;      // 0 when not identified
  // kNone, or why nothing was read.
  PageError error = PageError::kNone;
  // The reason, in words, when error is set.
  std::string error_detail;
  // In the spec's field order.
  std::vector<FieldResult> fields;
  // The page's arithmetic rules, then "header": false when the printed
  // header, read by Tesseract, names another form or page than the tag.
  std::vector<RuleCheck> checks;
  PageHeader header;
  // The digit model the boxes were read with (its version).
  std::string model_version;
  // True when Tesseract looked at the header (PageReader::Options).
  bool header_checked = false;
  // True when the header was read and names the tag's form and page.
  bool header_confirmed = false;
  ReadTimings timings;
};

class PageReader {
 public:
  struct Options {
    std::string forms_dir = DefaultFormsDir();
    // A models folder (its CURRENT model, followed as it changes) or one
    // model's descriptor.
    std::string model_path = DigitClassifier::DefaultModelPath();
    // How often a models folder's CURRENT is looked at.
    absl::Duration model_recheck = absl::Seconds(10);
    // Box confidence below which a field goes to review; <0 = the model's
    // own measured threshold.
    double min_box_confidence = -1;
    // Check the printed header with Tesseract.
    bool check_header = true;
  };

  static absl::StatusOr<std::unique_ptr<PageReader>> Create(
      const Options& options);

  // Reads an uploaded photo. Never fails: every problem is a PageReading
  // with `error` set. Thread-safe.
  PageReading ReadBytes(absl::string_view bytes) const;
  PageReading ReadImage(const cv::Mat& photo) const;

  // The digit model reads use now (a newly installed one after the next
  // recheck).
  std::shared_ptr<const DigitClassifier> classifier() const {
    return models_->Current();
  }
  // Why the last newly installed model could not be loaded; OK otherwise.
  absl::Status model_error() const { return models_->last_error(); }
  const std::vector<FormSpec>& specs() const { return specs_; }

 private:
  PageReader(std::vector<FormSpec> specs,
             std::unique_ptr<DigitModelStore> models,
             std::unique_ptr<PageHeaderReader> header_reader,
             TriagePolicy policy, double min_box_confidence);

  std::vector<FormSpec> specs_;
  std::unique_ptr<DigitModelStore> models_;
  std::unique_ptr<PageHeaderReader> header_reader_;  // null: no check
  // min_box_confidence is the model's own unless the options set one.
  TriagePolicy policy_;
  double min_box_confidence_;  // < 0: the model's accept threshold
};

// Triages every field of an identified `reading` of a page of `spec` from
// its digit and bubble calls, the page's rules and the printed header:
// sets each field's triage and the reading's checks. PageReader calls it;
// `c1ctl ocr eval` calls it again with other policies for its curve.
void TriageReading(const FormSpec& spec, const TriagePolicy& policy,
                   PageReading* reading);

// The contract's JSON object for one image.
nlohmann::json PageReadingJson(const std::string& file,
                               const PageReading& reading);

// A digit box crop with its margin: the printed frame plus 15% around it,
// clipped to the page.
cv::Mat CropBox(const cv::Mat& page, const cv::Rect2f& box);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_PAGE_READER_H_
