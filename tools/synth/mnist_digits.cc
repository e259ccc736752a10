#include "tools/synth/mnist_digits.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "storage/status_macros.h"

namespace c1tally::synth {
namespace {

constexpr int kSide = 28;
constexpr int kPixels = kSide * kSide;

// Collects the numbers of the top-level "data" array as they are parsed.
// A DOM of the package's 7.8 million numbers would take seconds and a
// gigabyte; the digits need one byte each.
class DataArrayReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::vector<uchar>& pixels() { return pixels_; }
  bool found() const { return found_; }

  bool null() override { return Value(0.0); }
  bool boolean(bool) override { return Value(0.0); }
  bool number_integer(number_integer_t v) override { return Value(v); }
  bool number_unsigned(number_unsigned_t v) override { return Value(v); }
  bool number_float(number_float_t v, const string_t&) override {
    return Value(v);
  }
  bool string(string_t&) override { return Value(0.0); }
  bool binary(binary_t&) override { return Value(0.0); }
  bool start_object(std::size_t) override { return ++depth_ > 0; }
  bool end_object() override { return --depth_ >= 0; }
  bool key(string_t& name) override {
    in_data_key_ = depth_ == 1 && name == "data";
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    if (depth_ == 2 && in_data_key_) found_ = true;
    return true;
  }
  bool end_array() override {
    if (depth_ == 2) in_data_key_ = false;
    return --depth_ >= 0;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  // The MNIST package stores intensities in [0,1]; anything that is not a
  // number counts as no ink, as the DOM reader did.
  bool Value(double x) {
    if (depth_ == 2 && in_data_key_) {
      pixels_.push_back(
          cv::saturate_cast<uchar>(255.0 * std::min(1.0, std::max(0.0, x))));
    }
    return true;
  }

  int depth_ = 0;
  bool in_data_key_ = false;
  bool found_ = false;
  std::vector<uchar> pixels_;
};

absl::StatusOr<std::vector<MnistDigit>> LoadDigitFile(const std::string& path,
                                                      int label) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  DataArrayReader reader;
  if (!nlohmann::json::sax_parse(buffer.str(), &reader,
                                 nlohmann::json::input_format_t::json,
                                 /*strict=*/true) ||
      !reader.found()) {
    return absl::DataLossError(absl::StrCat(path, ": no \"data\" array"));
  }
  const std::vector<uchar>& pixels = reader.pixels();
  if (pixels.size() % kPixels != 0) {
    return absl::DataLossError(
        absl::StrCat(path, ": length is not a multiple of 784"));
  }
  const int count = static_cast<int>(pixels.size() / kPixels);
  std::vector<MnistDigit> digits;
  digits.reserve(count);
  for (int i = 0; i < count; ++i) {
    MnistDigit digit;
    digit.label = label;
    digit.index = i;
    digit.held_out = i >= count - kHeldOutPerDigit;
    digit.image.create(kSide, kSide, CV_8UC1);
    std::copy_n(pixels.begin() + static_cast<size_t>(i) * kPixels, kPixels,
                digit.image.data);
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
    ASSIGN_OR_RETURN(
        auto digits,
        LoadDigitFile(absl::StrCat(package_dir, "/src/digits/", label, ".json"),
                      label));
    all.insert(all.end(), digits.begin(), digits.end());
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
