#include "tools/synth/mnist_digits.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace c1tally::synth {
namespace {

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;

absl::StatusOr<std::vector<MnistDigit>> LoadDigitFile(const std::string& path,
                                                      int label) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(buffer.str(), nullptr,
                                             /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.contains("data") || !doc["data"].is_array()) {
    return absl::DataLossError(absl::StrCat(path, ": no \"data\" array"));
  }
  const auto& data = doc["data"];
  if (data.size() % kPixels != 0) {
    return absl::DataLossError(
        absl::StrCat(path, ": length is not a multiple of 784"));
  }
  const int count = static_cast<int>(data.size() / kPixels);
  std::vector<MnistDigit> digits;
  digits.reserve(count);
  for (int i = 0; i < count; ++i) {
    MnistDigit digit;
    digit.label = label;
    digit.index = i;
    digit.held_out = i >= count - kHeldOutPerDigit;
    digit.image.create(kSide, kSide, CV_8UC1);
    for (int p = 0; p < kPixels; ++p) {
      const auto& v = data[static_cast<size_t>(i) * kPixels + p];
      const double x = v.is_number() ? v.get<double>() : 0.0;
      digit.image.data[p] =
          cv::saturate_cast<uchar>(255.0 * std::min(1.0, std::max(0.0, x)));
    }
    digits.push_back(std::move(digit));
  }
  return digits;
}

std::vector<MnistDigit> Filter(const std::vector<MnistDigit>& all,
                               bool held_out) {
  std::vector<MnistDigit> out;
  for (const MnistDigit& d : all) {
    if (d.held_out == held_out) out.push_back(d);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<MnistDigit>> LoadMnistPackage(
    const std::string& package_dir) {
  std::vector<MnistDigit> all;
  for (int label = 0; label <= 9; ++label) {
    auto digits = LoadDigitFile(
        absl::StrCat(package_dir, "/src/digits/", label, ".json"), label);
    if (!digits.ok()) return digits.status();
    all.insert(all.end(), digits->begin(), digits->end());
  }
  return all;
}

std::vector<MnistDigit> TrainingPart(const std::vector<MnistDigit>& all) {
  return Filter(all, /*held_out=*/false);
}

std::vector<MnistDigit> HeldOutPart(const std::vector<MnistDigit>& all) {
  return Filter(all, /*held_out=*/true);
}

}  // namespace c1tally::synth
