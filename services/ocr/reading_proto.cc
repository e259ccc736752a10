#include "services/ocr/reading_proto.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "opencv2/imgcodecs.hpp"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// "" for an empty image.
absl::StatusOr<std::string> Png(const cv::Mat& image,
                                const std::string& field) {
  if (image.empty()) return std::string();
  std::vector<unsigned char> png;
  if (!cv::imencode(".png", image, png)) {
    return absl::InternalError(absl::StrCat("cannot encode a crop of ", field));
  }
  return std::string(png.begin(), png.end());
}

}  // namespace

v1::Reading::Error ReadingErrorOf(ocr::PageError error) {
  switch (error) {
    case ocr::PageError::kNone:
      return v1::Reading::ERROR_NONE;
    case ocr::PageError::kBadImage:
      return v1::Reading::ERROR_BAD_IMAGE;
    case ocr::PageError::kNotAForm:
      return v1::Reading::ERROR_NOT_A_FORM;
    case ocr::PageError::kWrongPage:
      return v1::Reading::ERROR_WRONG_PAGE;
    case ocr::PageError::kUnreadable:
      return v1::Reading::ERROR_UNREADABLE;
  }
  return v1::Reading::ERROR_BAD_IMAGE;
}

absl::StatusOr<v1::Reading> ReadingToProto(const ocr::PageReading& reading,
                                           const std::string& model_version) {
  v1::Reading out;
  out.set_form(reading.form);
  out.set_page(reading.page);
  out.set_error(ReadingErrorOf(reading.error));
  out.set_error_detail(reading.error_detail);
  out.set_model_version(model_version);
  for (const ocr::FieldResult& field : reading.fields) {
    v1::FieldReading* proto = out.add_fields();
    proto->set_name(field.name);
    if (field.triage.value.has_value()) proto->set_value(*field.triage.value);
    proto->set_status(field.triage.accepted ? v1::FieldReading::STATUS_ACCEPTED
                                            : v1::FieldReading::STATUS_REVIEW);
    proto->set_confidence(field.triage.confidence);
    for (const ocr::DigitReading& digit : field.digits) {
      v1::DigitReading* box = proto->add_digits();
      box->set_digit_class(digit.cls);
      box->set_confidence(digit.confidence);
    }
    if (field.omr.has_value()) proto->set_omr_value(*field.omr);
    for (const std::string& reason : field.triage.reasons) {
      proto->add_reasons(reason);
    }
    ASSIGN_OR_RETURN(std::string crop, Png(field.crop, field.name));
    proto->set_crop_png(std::move(crop));
    for (const cv::Mat& box : field.box_crops) {
      ASSIGN_OR_RETURN(std::string png, Png(box, field.name));
      proto->add_box_png(std::move(png));
    }
  }
  for (const ocr::RuleCheck& check : reading.checks) {
    v1::CheckResult* proto = out.add_checks();
    proto->set_rule(check.rule);
    proto->set_ok(check.ok);
  }
  return out;
}

}  // namespace c1tally
