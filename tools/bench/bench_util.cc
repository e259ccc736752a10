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

}  // namespace c1tally
