// PageHeaderReader: reads the printed "MODEL C.HASIL-PPWP" and "Halaman N
// dari 3" at the top right of a page with Tesseract, as a check of the
// page that does not depend on the AprilTag. Stock Tesseract reads printed
// text well (and handwriting badly, so it is used for nothing else).
#ifndef C1TALLY_OCR_PAGE_HEADER_READER_H_
#define C1TALLY_OCR_PAGE_HEADER_READER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "opencv2/core.hpp"

namespace tesseract {
class TessBaseAPI;
}

namespace c1tally::ocr {

struct PageHeader {
  // The text Tesseract read, as is.
  std::string text;
  // The form model found in it (e.g. "C.HASIL-PPWP"); empty if none.
  std::string form;
  // N of "Halaman N dari M", and M.
  std::optional<int> page;
  std::optional<int> pages_total;
};

class PageHeaderReader {
 public:
  // Loads Tesseract's English model from its default data path (Debian's
  // tesseract-ocr-eng). FAILED_PRECONDITION when it is missing.
  static absl::StatusOr<std::unique_ptr<PageHeaderReader>> Create();
  ~PageHeaderReader();

  // Reads the header in `region` (8-bit grayscale, the header box of a
  // registered page). Thread-safe: calls are serialized, since one
  // TessBaseAPI must not be used from two threads at once.
  PageHeader Read(const cv::Mat& region) const ABSL_LOCKS_EXCLUDED(mu_);

  // Finds the form model and page number in `text` (exposed for tests):
  // tolerant of OCR slips such as "C HASIL PPWP" or "Halaman 2 dan 3".
  static PageHeader Parse(const std::string& text);

 private:
  explicit PageHeaderReader(std::unique_ptr<tesseract::TessBaseAPI> api);

  mutable absl::Mutex mu_;
  std::unique_ptr<tesseract::TessBaseAPI> api_ ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_PAGE_HEADER_READER_H_
