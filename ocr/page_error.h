// PageError: why a photo gave no reading. One enum from registration to
// the Reading proto (v1::Reading::Error) and the "error" of `c1ctl ocr
// read`, so no stage turns it into words and another parses them back.
#ifndef C1TALLY_OCR_PAGE_ERROR_H_
#define C1TALLY_OCR_PAGE_ERROR_H_

#include <ostream>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace c1tally::ocr {

enum class PageError {
  kNone,
  kBadImage,    // "bad_image": not a decodable image within the limits
  kNotAForm,    // "not_a_form": no tag of any spec's dictionary
  kWrongPage,   // "wrong_page": a tag whose id no loaded spec has
  kUnreadable,  // "unreadable": a known tag, but the page cannot be mapped
                //   reliably (marks missing, poor fit, too blurred or dark)
};

// The contract's name ("bad_image", ...); "" for kNone.
absl::string_view PageErrorName(PageError error);

// The error a failed status of RegisterPage stands for. Registration says
// which by the canonical code alone: NOT_FOUND not a form,
// FAILED_PRECONDITION wrong page, DATA_LOSS unreadable, INVALID_ARGUMENT
// (an empty or unsupported image) a bad image; kNone for OK. Any other code
// is a bad image too: nothing was read from it.
PageError PageErrorOf(const absl::Status& status);

// The failed status that stands for `error` (the inverse of PageErrorOf),
// with `reason` as its message.
absl::Status PageErrorStatus(PageError error, absl::string_view reason);

inline std::ostream& operator<<(std::ostream& out, PageError error) {
  return out << (error == PageError::kNone ? "none" : PageErrorName(error));
}

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_PAGE_ERROR_H_
