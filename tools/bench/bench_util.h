// Small helpers shared by the benchmarks.
#ifndef C1TALLY_TOOLS_BENCH_BENCH_UTIL_H_
#define C1TALLY_TOOLS_BENCH_BENCH_UTIL_H_

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace c1tally {

// Seconds since construction, on the monotonic clock.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// The q-quantile (0..1) of `samples`; sorts them.
inline double Quantile(std::vector<double>& samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  size_t index = static_cast<size_t>(q * (samples.size() - 1) + 0.5);
  return samples[std::min(index, samples.size() - 1)];
}

// A fresh directory under the system's temporary directory, removed when
// this object dies.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name);
  ~ScratchDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The benchmark's work directory: `given` (a --bench_dir) when set, else a
// fresh ScratchDir called `name`, kept alive by `scratch`.
std::string BenchDir(const std::string& given, const std::string& name,
                     std::unique_ptr<ScratchDir>* scratch);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_BENCH_UTIL_H_
