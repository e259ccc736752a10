#include "ocr/page_error.h"

#include <string>

namespace c1tally::ocr {

absl::string_view PageErrorName(PageError error) {
  switch (error) {
    case PageError::kNone:
      return "";
    case PageError::kBadImage:
      return "bad_image";
    case PageError::kNotAForm:
      return "not_a_form";
    case PageError::kWrongPage:
      return "wrong_page";
    case PageError::kUnreadable:
      return "unreadable";
  }
  return "bad_image";
}

PageError PageErrorOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return PageError::kNone;
    case absl::StatusCode::kNotFound:
      return PageError::kNotAForm;
    case absl::StatusCode::kFailedPrecondition:
      return PageError::kWrongPage;
    case absl::StatusCode::kDataLoss:
      return PageError::kUnreadable;
    default:
      return PageError::kBadImage;
  }
}

absl::Status PageErrorStatus(PageError error, absl::string_view reason) {
  switch (error) {
    case PageError::kNone:
      return absl::OkStatus();
    case PageError::kNotAForm:
      return absl::NotFoundError(reason);
    case PageError::kWrongPage:
      return absl::FailedPreconditionError(reason);
    case PageError::kUnreadable:
      return absl::DataLossError(reason);
    case PageError::kBadImage:
      break;
  }
  return absl::InvalidArgumentError(reason);
}

}  // namespace c1tally::ocr
