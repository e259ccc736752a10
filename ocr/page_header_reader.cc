#include "ocr/page_header_reader.h"

#include <dlfcn.h>
#include <tesseract/baseapi.h>

#include <regex>

#include "absl/strings/ascii.h"
#include "opencv2/imgproc.hpp"

namespace c1tally::ocr {
namespace {

// Text height Tesseract reads best at (its models like ~30 px capitals).
constexpr int kTargetHeight = 120;

// Upper case, every run of non-alphanumerics as one space.
std::string Normalize(const std::string& text) {
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u)) {
      out.push_back(absl::ascii_toupper(u));
    } else if (!out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  return out;
}

// Runs Tesseract single-threaded on the calling thread while it lives.
//
// Debian's libtesseract is built with OpenMP and runs the LSTM's gates in
// parallel regions of four threads. On a few short header lines the forking
// and spin-waiting cost several times the work itself, and far more when
// the cores are busy (measured on this 2-core machine: 12 ms a header
// single-threaded, 60-110 ms with OpenMP, the text read identical); a worker
// gets its parallelism from reading several pages at once instead. libgomp
// keeps max-active-levels per thread, so setting it to 0 here makes every
// parallel region of this thread run on this thread alone and touches no
// other thread; the previous value is restored afterwards. The functions are
// looked up at run time: a Tesseract built without OpenMP needs nothing,
// and this library does not have to link the OpenMP runtime itself.
class SerialOpenMp {
 public:
  SerialOpenMp() {
    const Runtime& omp = GetRuntime();
    if (omp.set == nullptr) return;
    saved_ = omp.get();
    omp.set(0);
  }
  ~SerialOpenMp() {
    const Runtime& omp = GetRuntime();
    if (omp.set != nullptr) omp.set(saved_);
  }
  SerialOpenMp(const SerialOpenMp&) = delete;
  SerialOpenMp& operator=(const SerialOpenMp&) = delete;

 private:
  struct Runtime {
    int (*get)() = nullptr;
    void (*set)(int) = nullptr;
  };
  static const Runtime& GetRuntime() {
    static const Runtime runtime = [] {
      Runtime r;
      r.get = reinterpret_cast<int (*)()>(
          dlsym(RTLD_DEFAULT, "omp_get_max_active_levels"));
      r.set = reinterpret_cast<void (*)(int)>(
          dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
      if (r.get == nullptr || r.set == nullptr) r = Runtime();
      return r;
    }();
    return runtime;
  }

  int saved_ = 0;
};

}  // namespace

PageHeaderReader::PageHeaderReader(std::unique_ptr<tesseract::TessBaseAPI> api)
    : api_(std::move(api)) {}

PageHeaderReader::~PageHeaderReader() {
  absl::MutexLock lock(&mu_);
  if (api_ != nullptr) api_->End();
}

absl::StatusOr<std::unique_ptr<PageHeaderReader>> PageHeaderReader::Create() {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  if (api->Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0) {
    return absl::FailedPreconditionError(
        "Tesseract could not load its English model (install "
        "tesseract-ocr-eng)");
  }
  api->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  api->SetVariable("debug_file", "/dev/null");
  // Print is dark on light: skip the second, inverted recognition pass
  // that Tesseract 5 otherwise tries (it doubles the time).
  api->SetVariable("tessedit_do_invert", "0");
  return std::unique_ptr<PageHeaderReader>(
      new PageHeaderReader(std::move(api)));
}

PageHeader PageHeaderReader::Read(const cv::Mat& region) const {
  if (region.empty() || region.type() != CV_8UC1) return PageHeader();
  cv::Mat scaled;
  const double scale =
      std::clamp(static_cast<double>(kTargetHeight) / region.rows, 0.5, 4.0);
  cv::resize(region, scaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
  std::string text;
  {
    absl::MutexLock lock(&mu_);
    SerialOpenMp serial;
    api_->SetImage(scaled.data, scaled.cols, scaled.rows, 1,
                   static_cast<int>(scaled.step));
    std::unique_ptr<char[]> utf8(api_->GetUTF8Text());
    if (utf8 != nullptr) text = utf8.get();
    api_->Clear();
  }
  PageHeader header = Parse(text);
  header.text = text;
  return header;
}

PageHeader PageHeaderReader::Parse(const std::string& text) {
  PageHeader header;
  const std::string normal = Normalize(text);
  // "C.HASIL-PPWP" normalizes to "C HASIL PPWP"; OCR may drop or merge the
  // separators, or read the C as a G.
  static const std::regex kForm(R"([CG] ?HAS[I1L]L ?(PPWP|DPR|DPD|DPRD))");
  std::smatch match;
  if (std::regex_search(normal, match, kForm)) {
    header.form = "C.HASIL-" + match[1].str();
  }
  static const std::regex kPage(
      R"(HA[L1I]AMAN ?([0-9]) ?D[AE][RNM][I1L]? ?([0-9]))");
  if (std::regex_search(normal, match, kPage)) {
    header.page = match[1].str()[0] - '0';
    header.pages_total = match[2].str()[0] - '0';
  }
  return header;
}

}  // namespace c1tally::ocr
