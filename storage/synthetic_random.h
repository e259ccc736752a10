// SyntheticRandom: the random numbers of the synthetic data sets (the
// region tree, the legislative reference data), the same on every platform
// for a seed.
//
// std::mt19937_64's sequence is fixed by the standard; the std
// distributions are not, so the arithmetic here is our own.
#ifndef C1TALLY_STORAGE_SYNTHETIC_RANDOM_H_
#define C1TALLY_STORAGE_SYNTHETIC_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <random>

namespace c1tally {

class SyntheticRandom {
 public:
  explicit SyntheticRandom(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1p-53; }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return engine_() % n; }
  bool Chance(double p) { return Uniform() < p; }

  template <size_t N>
  const char* Pick(const char* const (&choices)[N]) {
    return choices[Below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SYNTHETIC_RANDOM_H_
