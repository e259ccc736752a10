#include "ocr/page_reader.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "ocr/bubble_reader.h"
#include "ocr/image_decode.h"
#include "ocr/registration.h"
#include "opencv2/imgproc.hpp"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

// Milliseconds since `start`, on the monotonic clock.
double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}

// Photos are decoded at a reduced scale down to this long side: the
// reference pages are 1192-1292 px wide, and a page fills most of a photo,
// so about 2000 px keeps at least reference resolution.
constexpr int kDecodeLongSide = 2000;

// Margin around a digit box's frame in its crop, as a share of its size.
constexpr float kCropMargin = 0.15f;
// A box read at kSureAlone or more from its crop is taken as read; any
// other is read again from two crops moved kViewShift reference pixels
// (about 7% of a box) diagonally either way, and the three readings are
// averaged (DigitClassifier::ClassifyBoxes): one crop where the frame
// search slipped no longer decides alone. With the MLP model that took
// fields accepted on generated photos from 90.8% to 91.8%. With digits-v3
// most boxes are read once: at 0.99, 95.1% of the fields of the 500
// evaluation photos were accepted, at 0.95 94.9% (no wrong field either
// way) for 30% less time in the boxes (the blank page-1 photos read 66
// boxes, most between 0.95 and 0.99).
constexpr double kSureAlone = 0.95;
constexpr float kViewShift = 3.0f;

// Reads the bubble columns of `field` (shifted by where its boxes were
// found) into one number.
std::pair<std::optional<int64_t>, double> ReadBubbles(const cv::Mat& page,
                                                      const DigitField& field,
                                                      cv::Point2f shift) {
  std::vector<BubbleColumnReading> columns;
  double confidence = 1;
  for (BubbleColumn column : field.bubble_columns) {
    for (cv::Point2f& centre : column.centres) centre += shift;
    columns.push_back(ReadBubbleColumn(page, column, field.bubble_radius));
    confidence = std::min(confidence, columns.back().confidence);
  }
  std::optional<int> number = BubbleNumber(columns);
  if (!number.has_value()) return {std::nullopt, 0};
  return {*number, confidence};
}

// Resolution, relative to the reference page, at which the printed header
// is sampled from the photo: the reference page is too coarse for
// Tesseract, the photo usually is not.
constexpr double kHeaderScale = 4.0;

// The part `box` (reference coordinates) of `photo`, sampled straight from
// the photo at kHeaderScale times the reference resolution, grayscale.
cv::Mat SampleRegion(const cv::Mat& photo, const cv::Mat& photo_to_reference,
                     const cv::Rect2f& box) {
  const cv::Mat to_region =
      (cv::Mat_<double>(3, 3) << kHeaderScale, 0, -box.x * kHeaderScale, 0,
       kHeaderScale, -box.y * kHeaderScale, 0, 0, 1);
  cv::Mat region;
  cv::warpPerspective(photo, region, to_region * photo_to_reference,
                      cv::Size(cvRound(box.width * kHeaderScale),
                               cvRound(box.height * kHeaderScale)),
                      cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  if (region.channels() == 1) return region;
  cv::Mat gray;
  cv::cvtColor(
      region, gray,
      region.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

}  // namespace

cv::Mat CropBox(const cv::Mat& page, const cv::Rect2f& box) {
  const float dx = box.width * kCropMargin, dy = box.height * kCropMargin;
  cv::Rect area(cvFloor(box.x - dx), cvFloor(box.y - dy),
                cvCeil(box.width + 2 * dx), cvCeil(box.height + 2 * dy));
  area &= cv::Rect(0, 0, page.cols, page.rows);
  return area.empty() ? cv::Mat() : page(area).clone();
}

absl::StatusOr<std::unique_ptr<PageReader>> PageReader::Create(
    const Options& options) {
  ASSIGN_OR_RETURN(std::vector<FormSpec> specs,
                   LoadFormSpecs(options.forms_dir));
  ASSIGN_OR_RETURN(
      std::unique_ptr<DigitModelStore> models,
      DigitModelStore::Open(options.model_path, options.model_recheck));
  std::unique_ptr<PageHeaderReader> header_reader;
  if (options.check_header) {
    ASSIGN_OR_RETURN(std::unique_ptr<PageHeaderReader> created,
                     PageHeaderReader::Create());
    header_reader = std::move(created);
  }
  return std::unique_ptr<PageReader>(new PageReader(
      std::move(specs), std::move(models), std::move(header_reader),
      TriagePolicy(), options.min_box_confidence));
}

PageReader::PageReader(std::vector<FormSpec> specs,
                       std::unique_ptr<DigitModelStore> models,
                       std::unique_ptr<PageHeaderReader> header_reader,
                       TriagePolicy policy, double min_box_confidence)
    : specs_(std::move(specs)),
      models_(std::move(models)),
      header_reader_(std::move(header_reader)),
      policy_(policy),
      min_box_confidence_(min_box_confidence) {}

PageReading PageReader::ReadBytes(absl::string_view bytes) const {
  auto start = std::chrono::steady_clock::now();
  // Gray: registration, the boxes and the header all read gray, and libjpeg
  // then decodes luma only.
  absl::StatusOr<cv::Mat> photo =
      DecodePhoto(bytes, DecodeLimits(), kDecodeLongSide, PixelFormat::kGray);
  const double decode_ms = MsSince(start);
  if (!photo.ok()) {
    PageReading reading;
    reading.error = PageError::kBadImage;
    reading.error_detail = std::string(photo.status().message());
    reading.timings.decode_ms = decode_ms;
    return reading;
  }
  PageReading reading = ReadImage(*photo);
  reading.timings.decode_ms = decode_ms;
  if (reading.error == PageError::kUnreadable) {
    // Small corner marks under glare can need every pixel: try once more at
    // full size. Costs a second decode, but only for hard photos.
    start = std::chrono::steady_clock::now();
    absl::StatusOr<cv::Mat> full =
        DecodePhoto(bytes, DecodeLimits(), 0, PixelFormat::kGray);
    const double full_ms = MsSince(start);
    if (full.ok() && full->size() != photo->size()) {
      const ReadTimings first = reading.timings;
      reading = ReadImage(*full);
      reading.timings.decode_ms = first.decode_ms + full_ms;
      reading.timings.register_ms += first.register_ms;
      reading.timings.attempts += first.attempts;
    }
  }
  return reading;
}

PageReading PageReader::ReadImage(const cv::Mat& photo) const {
  PageReading reading;
  // One model for the whole page, even if another is installed meanwhile.
  const std::shared_ptr<const DigitClassifier> model = models_->Current();
  reading.model_version = model->version();
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<RegisteredPage> registered = RegisterPage(photo, specs_);
  reading.timings.register_ms = MsSince(start);
  reading.timings.attempts = 1;
  if (!registered.ok()) {
    reading.error = PageErrorOf(registered.status());
    reading.error_detail = std::string(registered.status().message());
    return reading;
  }
  const FormSpec& spec = *registered->spec;
  reading.form = spec.form;
  reading.page = spec.page;

  start = std::chrono::steady_clock::now();
  // Every box of the page, read together (ClassifyBoxes).
  std::vector<std::vector<cv::Mat>> views;
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    for (size_t b = 0; b < 3; ++b) {
      const cv::Rect2f& box = registered->boxes[f][b];
      views.push_back({CropBox(registered->page, box)});
      for (float shift : {kViewShift, -kViewShift}) {
        views.back().push_back(
            CropBox(registered->page, box + cv::Point2f(shift, shift)));
      }
    }
  }
  std::vector<DigitReading> digits = model->ClassifyBoxes(views, kSureAlone);
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    const DigitField& field = spec.fields[f];
    FieldResult result;
    result.name = field.name;
    cv::Rect2f all;
    for (size_t b = 0; b < 3; ++b) {
      const cv::Rect2f& box = registered->boxes[f][b];
      all = b == 0 ? box : (all | box);
      result.box_crops.push_back(views[f * 3 + b][0]);
      result.digits.push_back(std::move(digits[f * 3 + b]));
    }
    result.crop = CropBox(registered->page, all);
    if (!field.bubble_columns.empty()) {
      std::tie(result.omr, result.omr_confidence) =
          ReadBubbles(registered->page, field, registered->field_shift[f]);
    }
    reading.fields.push_back(std::move(result));
  }
  reading.timings.cells_ms = MsSince(start);

  if (header_reader_ != nullptr) {
    start = std::chrono::steady_clock::now();
    reading.header = header_reader_->Read(
        SampleRegion(photo, registered->homography, spec.header_box));
    reading.header_checked = true;
    reading.timings.header_ms = MsSince(start);
  }
  TriagePolicy policy = policy_;
  policy.min_box_confidence = min_box_confidence_ >= 0
                                  ? min_box_confidence_
                                  : model->accept_threshold();
  TriageReading(spec, policy, &reading);
  return reading;
}

void TriageReading(const FormSpec& spec, const TriagePolicy& policy,
                   PageReading* reading) {
  std::map<std::string, FieldTriage> triaged;
  for (const FieldResult& field : reading->fields) {
    std::vector<BoxCall> calls;
    for (const DigitReading& digit : field.digits) {
      BoxCall call{digit.cls, digit.confidence};
      call.novel = digit.novel();
      for (size_t c = 0; c < digit.probabilities.size(); ++c) {
        // Far below min_repair_probability; keeps the list short.
        if (kDigitClasses[c] != digit.cls && digit.probabilities[c] >= 0.01) {
          call.alternatives.emplace_back(kDigitClasses[c],
                                         digit.probabilities[c]);
        }
      }
      calls.push_back(std::move(call));
    }
    const DigitField* field_spec = spec.FindField(field.name);
    const bool has_bubbles =
        field_spec != nullptr && !field_spec->bubble_columns.empty();
    triaged[field.name] = TriageField(calls, has_bubbles, field.omr,
                                      field.omr_confidence, policy);
  }
  reading->checks = TriagePage(spec.rules, policy, &triaged);
  if (reading->header_checked) {
    // The printed header is an independent witness of the page. Stock
    // Tesseract cannot read it on every photo (small, blurred print), so an
    // unreadable header only fails to confirm; a header that names another
    // form or page contradicts the tag, and then nothing on the page is
    // published without a person.
    const PageHeader& header = reading->header;
    const bool contradicts =
        (!header.form.empty() && header.form != spec.form) ||
        (header.page.has_value() && *header.page != spec.page);
    reading->header_confirmed = header.form == spec.form &&
                                header.page.has_value() &&
                                *header.page == spec.page;
    reading->checks.push_back({"header", !contradicts});
    if (contradicts) {
      for (auto& [name, field] : triaged) {
        field.accepted = false;
        field.reasons.push_back("the printed header names another page");
      }
    }
  }
  for (FieldResult& field : reading->fields) {
    field.triage = triaged[field.name];
  }
}

nlohmann::json PageReadingJson(const std::string& file,
                               const PageReading& reading) {
  nlohmann::json json;
  json["file"] = file;
  json["form"] =
      reading.form.empty() ? nlohmann::json() : nlohmann::json(reading.form);
  json["page"] =
      reading.page == 0 ? nlohmann::json() : nlohmann::json(reading.page);
  json["error"] =
      reading.error == PageError::kNone
          ? nlohmann::json()
          : nlohmann::json(std::string(PageErrorName(reading.error)));
  if (reading.error != PageError::kNone) json["detail"] = reading.error_detail;
  json["fields"] = nlohmann::json::object();
  for (const FieldResult& field : reading.fields) {
    nlohmann::json out;
    out["value"] = field.triage.value.has_value()
                       ? nlohmann::json(*field.triage.value)
                       : nlohmann::json();
    out["status"] = field.triage.accepted ? "accepted" : "review";
    out["confidence"] = field.triage.confidence;
    out["digits"] = nlohmann::json::array();
    for (const DigitReading& digit : field.digits) {
      nlohmann::json box = {{"class", digit.cls},
                            {"confidence", digit.confidence}};
      if (digit.novel()) box["novelty"] = digit.novelty;
      out["digits"].push_back(box);
    }
    out["omr"] =
        field.omr.has_value() ? nlohmann::json(*field.omr) : nlohmann::json();
    if (!field.triage.reasons.empty()) out["reasons"] = field.triage.reasons;
    if (field.triage.mended_box.has_value()) {
      // Numbered from 1, as in the reasons.
      out["mended_box"] = *field.triage.mended_box + 1;
    }
    json["fields"][field.name] = out;
  }
  if (reading.page != 0) json["header_confirmed"] = reading.header_confirmed;
  if (!reading.model_version.empty()) json["model"] = reading.model_version;
  json["checks"] = nlohmann::json::array();
  for (const RuleCheck& check : reading.checks) {
    json["checks"].push_back({{"rule", check.rule}, {"ok", check.ok}});
  }
  return json;
}

}  // namespace c1tally::ocr
