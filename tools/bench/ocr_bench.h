// The OCR speed benchmark (`c1ctl bench ocr`): reads every photo in
// --bench_photos (the real 12 MP 2024 photos by default) with the whole
// pipeline, and in the same run decodes the same files plainly to grayscale,
// so that the result is a ratio that a noisy machine does not spoil.
#ifndef C1TALLY_TOOLS_BENCH_OCR_BENCH_H_
#define C1TALLY_TOOLS_BENCH_OCR_BENCH_H_

#include <string>

#include "absl/status/status.h"

namespace c1tally {

// Prints per-photo times on stderr (with the read's stages, ReadTimings,
// and its CPU time over all threads, so that parallelism could not hide
// cost) and the key=value line last on stdout. Both sides are timed on the
// same bytes in memory, best of `rounds`, interleaved.
struct OcrBenchOptions {
  std::string photos = "../shared/data/forms/photos/2024";  // *.jpg folder
  int rounds = 3;      // times each photo is read (best time kept)
  bool header = true;  // include the Tesseract check of the printed header
};
absl::Status RunOcrBench(const OcrBenchOptions& bench);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_OCR_BENCH_H_
