#include "tools/bench/bench_util.h"

#include <unistd.h>

#include <random>

namespace c1tally {

ScratchDir::ScratchDir(const std::string& name) {
  std::random_device seed;
  path_ =
      (std::filesystem::temp_directory_path() /
       (name + "-" + std::to_string(getpid()) + "-" + std::to_string(seed())))
          .string();
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string BenchDir(const std::string& given, const std::string& name,
                     std::unique_ptr<ScratchDir>* scratch) {
  if (!given.empty()) return given;
  *scratch = std::make_unique<ScratchDir>(name);
  return (*scratch)->path();
}

}  // namespace c1tally
