#include "tools/bench/ocr_bench.h"

#include <time.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ocr/page_reader.h"
#include "opencv2/imgcodecs.hpp"
#include "storage/status_macros.h"
#include "tools/bench/bench_util.h"

namespace c1tally {
namespace {

// CPU time of the whole process (every thread: OpenCV and Tesseract may
// use more than one), so that parallelism cannot hide cost.
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + t.tv_nsec * 1e-9;
}

}  // namespace

absl::Status RunOcrBench(const OcrBenchOptions& bench) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(bench.photos, error)) {
    if (entry.path().extension() == ".jpg") files.push_back(entry.path());
  }
  if (files.empty()) {
    return absl::NotFoundError(absl::StrCat("no *.jpg in ", bench.photos));
  }
  std::sort(files.begin(), files.end());
  ocr::PageReader::Options options;
  options.check_header = bench.header;
  ASSIGN_OR_RETURN(std::unique_ptr<ocr::PageReader> reader,
                   ocr::PageReader::Create(options));

  double read_ms = 0, decode_ms = 0, read_cpu_ms = 0;
  ocr::ReadTimings stages;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    double best_read = 1e9, best_decode = 1e9, best_cpu = 1e9;
    ocr::ReadTimings best_stages;
    // Interleaved, so that both see the same machine load.
    for (int round = 0; round < bench.rounds; ++round) {
      Stopwatch decode_watch;
      cv::Mat gray =
          cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8UC1,
                               const_cast<char*>(bytes.data())),
                       cv::IMREAD_GRAYSCALE);
      best_decode = std::min(best_decode, decode_watch.seconds() * 1000);
      if (round == 0) {
        std::cerr << file << ": " << bytes.size() << " bytes, " << gray.cols
                  << "x" << gray.rows << " px\n";
      }
      const double cpu_start = ProcessCpuSeconds();
      Stopwatch read_watch;
      ocr::PageReading reading = reader->ReadBytes(bytes);
      const double read = read_watch.seconds() * 1000;
      best_cpu = std::min(best_cpu, (ProcessCpuSeconds() - cpu_start) * 1000);
      if (read < best_read) {
        best_read = read;
        best_stages = reading.timings;
      }
      if (round == 0) {
        std::cerr << file << ": page " << reading.page << " "
                  << ocr::PageErrorName(reading.error) << "\n";
      }
    }
    std::cerr << file << ": read " << best_read << " ms (cpu " << best_cpu
              << "; decode " << best_stages.decode_ms << ", register "
              << best_stages.register_ms << " in " << best_stages.attempts
              << ", cells " << best_stages.cells_ms << ", header "
              << best_stages.header_ms << "), plain decode " << best_decode
              << " ms\n";
    read_ms += best_read;
    decode_ms += best_decode;
    read_cpu_ms += best_cpu;
    stages.decode_ms += best_stages.decode_ms;
    stages.register_ms += best_stages.register_ms;
    stages.cells_ms += best_stages.cells_ms;
    stages.header_ms += best_stages.header_ms;
  }
  const double pages = static_cast<double>(files.size());
  std::cerr << std::fixed << std::setprecision(1) << "per page: decode "
            << stages.decode_ms / pages << " ms, register "
            << stages.register_ms / pages << ", cells "
            << stages.cells_ms / pages << ", header "
            << stages.header_ms / pages << "; cpu " << read_cpu_ms / pages
            << " ms per page\n";
  std::cout << std::fixed << std::setprecision(1) << "pages=" << files.size()
            << " ms_per_page=" << read_ms / pages
            << " decode_ms=" << decode_ms / pages << std::setprecision(2)
            << " ratio_to_decode=" << read_ms / decode_ms << std::endl;
  return absl::OkStatus();
}

}  // namespace c1tally
