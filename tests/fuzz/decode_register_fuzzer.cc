// libFuzzer target for the untrusted-input entry point of the OCR path:
// uploaded bytes -> DecodePhoto -> RegisterPage. Any crash, sanitizer
// report, leak or unbounded allocation here is a bug; Status errors are the
// expected outcome for almost every input. Built and run by ./run-fuzzer.
#include <cstddef>
#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "absl/strings/string_view.h"
#include "ocr/form_spec.h"
#include "ocr/image_decode.h"
#include "ocr/registration.h"

namespace {

// Loaded once; the fuzzer aborts at start if the shipped specs are broken.
const std::vector<c1tally::ocr::FormSpec>& Specs() {
  static const auto* const specs = [] {
    auto loaded = c1tally::ocr::LoadFormSpecs(c1tally::ocr::DefaultFormsDir());
    if (!loaded.ok()) __builtin_trap();
    return new std::vector<c1tally::ocr::FormSpec>(*std::move(loaded));
  }();
  return *specs;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // One thread: OpenCV's pool would hide which input did what, and the
  // fuzzer runs one input at a time anyway.
  cv::setNumThreads(1);
  Specs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<cv::Mat> photo = c1tally::ocr::DecodePhoto(bytes);
  if (!photo.ok()) return 0;
  if (photo->type() != CV_8UC3) __builtin_trap();  // DecodePhoto's contract
  absl::StatusOr<c1tally::ocr::RegisteredPage> page =
      c1tally::ocr::RegisterPage(*photo, Specs());
  if (page.ok() && (page->spec == nullptr ||
                    page->page.size() != page->spec->reference_size)) {
    __builtin_trap();
  }
  return 0;
}
