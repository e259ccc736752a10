#include "ocr/digit_classifier.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_cell.h"

namespace c1tally::ocr {
namespace {

constexpr int kPixelSide = 14;
constexpr int kShapeFeatures = 7;

// One HOG layout for training and reading: 3×3 blocks of 2×2 7-px cells.
const cv::HOGDescriptor& Hog() {
  static const cv::HOGDescriptor* hog = new cv::HOGDescriptor(
      cv::Size(28, 28), cv::Size(14, 14), cv::Size(7, 7), cv::Size(7, 7), 9);
  return *hog;
}

int HogSize() { return static_cast<int>(Hog().getDescriptorSize()); }

cv::Mat CellFeatures(const PreparedCell& cell) {
  cv::Mat out(1, DigitClassifier::FeatureSize(), CV_32F, cv::Scalar(0));
  cv::Mat digit8;
  cell.digit.convertTo(digit8, CV_8U, 255.0);
  std::vector<float> hog;
  Hog().compute(digit8, hog);
  std::copy(hog.begin(), hog.end(), out.ptr<float>(0));
  cv::Mat small;
  cv::resize(cell.digit, small, cv::Size(kPixelSide, kPixelSide), 0, 0,
             cv::INTER_AREA);
  float* p = out.ptr<float>(0) + hog.size();
  for (int i = 0; i < kPixelSide * kPixelSide; ++i) p[i] = small.at<float>(i);
  p += kPixelSide * kPixelSide;
  // Absolute size survives here: normalisation scales a speck and a digit
  // to the same 20 px, so blank and dash need these.
  p[0] = static_cast<float>(std::min(1.0, cell.ink_fraction * 5.0));
  p[1] = static_cast<float>(cell.ink_width);
  p[2] = static_cast<float>(cell.ink_height);
  p[3] = static_cast<float>(std::min(cell.components, 5)) / 5.0f;
  p[4] = cell.blank ? 1.0f : 0.0f;
  p[5] = static_cast<float>(cell.ink_centre_x);
  p[6] = static_cast<float>(cell.ink_centre_y);
  return out;
}

absl::StatusOr<nlohmann::json> ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::DataLossError(absl::StrCat(path, ": not a JSON object"));
  }
  return doc;
}

absl::StatusOr<cv::Ptr<cv::ml::ANN_MLP>> LoadNet(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat("no weights file ", path));
  }
  try {
    cv::Ptr<cv::ml::ANN_MLP> net = cv::ml::ANN_MLP::load(path);
    if (net.empty() || !net->isTrained() ||
        net->getVarCount() != DigitClassifier::FeatureSize() ||
        net->getLayerSizes().at<int>(net->getLayerSizes().total() - 1) !=
            kDigitClassCount) {
      return absl::DataLossError(
          absl::StrCat(path, ": not a digit network of this version"));
    }
    return net;
  } catch (const cv::Exception& e) {
    return absl::DataLossError(absl::StrCat(path, ": ", e.what()));
  }
}

// The reading that names the most probable class; `probabilities` has
// kDigitClassCount entries.
DigitReading FromProbabilities(std::vector<double> probabilities) {
  DigitReading r;
  r.probabilities = std::move(probabilities);
  const int best = static_cast<int>(
      std::max_element(r.probabilities.begin(), r.probabilities.end()) -
      r.probabilities.begin());
  r.cls = kDigitClasses[best];
  r.confidence = r.probabilities[best];
  return r;
}

DigitReading Unreadable(std::string why) {
  DigitReading r;
  r.probabilities.assign(kDigitClassCount, 1.0 / kDigitClassCount);
  r.error = std::move(why);
  return r;
}

}  // namespace

std::string DigitClassifier::DefaultModelPath() {
  return absl::StrCat(C1TALLY_MODELS_DIR, "/", kDigitModelVersion, ".json");
}

int DigitClassifier::FeatureSize() {
  return HogSize() + kPixelSide * kPixelSide + kShapeFeatures;
}

DigitClassifier::DigitClassifier(std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets,
                                 double temperature, double accept_threshold,
                                 std::string version)
    : nets_(std::move(nets)),
      temperature_(temperature),
      accept_threshold_(accept_threshold),
      version_(std::move(version)) {}

DigitClassifier::DigitClassifier(std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets,
                                 double temperature,
                                 std::vector<DigitNetwork> cnns,
                                 double cnn_temperature,
                                 double accept_threshold, std::string version)
    : nets_(std::move(nets)),
      temperature_(temperature),
      cnns_(std::move(cnns)),
      cnn_temperature_(cnn_temperature),
      accept_threshold_(accept_threshold),
      version_(std::move(version)) {
  if (!cnns_.empty()) {
    blank_logits_ =
        CnnLogits(cv::Mat::zeros(1, DigitNetwork::kInputSize, CV_32F));
  }
}

absl::StatusOr<DigitClassifier> DigitClassifier::Load(
    const std::string& model_path) {
  auto doc = ReadJson(model_path);
  if (!doc.ok()) return doc.status();
  const nlohmann::json& j = *doc;
  if (!j.contains("weights") || !j["weights"].is_array() ||
      j["weights"].empty() || !j.contains("temperature") ||
      !j["temperature"].is_number()) {
    return absl::DataLossError(
        absl::StrCat(model_path, ": needs \"weights\" and \"temperature\""));
  }
  std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets;
  for (const auto& name : j["weights"]) {
    if (!name.is_string()) return absl::DataLossError("weights: not a name");
    auto net = LoadNet((std::filesystem::path(model_path).parent_path() /
                        name.get<std::string>())
                           .string());
    if (!net.ok()) return net.status();
    nets.push_back(*net);
  }
  std::vector<DigitNetwork> cnns;
  if (j.contains("cnn_weights")) {
    if (!j["cnn_weights"].is_array() || !j.contains("cnn_temperature") ||
        !j["cnn_temperature"].is_number()) {
      return absl::DataLossError(absl::StrCat(
          model_path, ": \"cnn_weights\" needs \"cnn_temperature\""));
    }
    for (const auto& name : j["cnn_weights"]) {
      if (!name.is_string())
        return absl::DataLossError("cnn_weights: not a name");
      auto cnn =
          DigitNetwork::Load((std::filesystem::path(model_path).parent_path() /
                              name.get<std::string>())
                                 .string());
      if (!cnn.ok()) return cnn.status();
      cnns.push_back(*std::move(cnn));
    }
  }
  return DigitClassifier(std::move(nets), j["temperature"].get<double>(),
                         std::move(cnns), j.value("cnn_temperature", 1.0),
                         j.value("accept_threshold", 1.0),
                         j.value("version", std::string("unknown")));
}

absl::StatusOr<cv::Mat> DigitClassifier::Features(const cv::Mat& box_crop) {
  cv::Mat features;
  if (absl::Status s = Inputs(box_crop, &features, nullptr); !s.ok()) return s;
  return features;
}

absl::Status DigitClassifier::Inputs(const cv::Mat& box_crop, cv::Mat* features,
                                     cv::Mat* network_input) {
  auto cell = PrepareCell(box_crop);
  if (!cell.ok()) return cell.status();
  try {
    *features = CellFeatures(*cell);
    if (network_input != nullptr) *network_input = DigitNetwork::Input(*cell);
    return absl::OkStatus();
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("digit features: ", e.what()));
  }
}

cv::Mat DigitClassifier::MlpOutputs(const cv::Mat& features) const {
  cv::Mat out;
  for (const auto& net : nets_) {
    cv::Mat one;
    net->predict(features, one);
    one.convertTo(one, CV_64F, 1.0 / nets_.size());
    if (out.empty())
      out = one;
    else
      out += one;
  }
  return out;
}

cv::Mat DigitClassifier::CnnLogits(const cv::Mat& network_inputs) const {
  cv::Mat out;
  for (const DigitNetwork& cnn : cnns_) {
    cv::Mat one;
    cnn.Logits(network_inputs).convertTo(one, CV_64F, 1.0 / cnns_.size());
    if (out.empty())
      out = one;
    else
      out += one;
  }
  return out;
}

cv::Mat DigitClassifier::Probabilities(const cv::Mat& features,
                                       double temperature) const {
  return Combine(MlpOutputs(features), temperature, cv::Mat(), 1.0);
}

cv::Mat DigitClassifier::Combine(const cv::Mat& mlp, double temperature,
                                 const cv::Mat& cnn, double cnn_temperature) {
  cv::Mat out = mlp / temperature;
  if (!cnn.empty()) out += cnn / cnn_temperature;
  for (int r = 0; r < out.rows; ++r) {
    double* row = out.ptr<double>(r);
    const double top = *std::max_element(row, row + out.cols);
    double sum = 0;
    for (int c = 0; c < out.cols; ++c) {
      row[c] = std::exp(row[c] - top);
      sum += row[c];
    }
    for (int c = 0; c < out.cols; ++c) row[c] /= sum;
  }
  return out;
}

DigitReading DigitClassifier::Classify(const cv::Mat& box_crop) const {
  cv::Mat features, network_input;
  if (absl::Status s =
          Inputs(box_crop, &features, cnns_.empty() ? nullptr : &network_input);
      !s.ok()) {
    return Unreadable(std::string(s.message()));
  }
  try {
    // An empty box's input is all zeros, and so are most boxes of a page:
    // their logits are computed once.
    cv::Mat cnn;
    if (!cnns_.empty()) {
      cnn = cv::countNonZero(network_input) == 0 ? blank_logits_
                                                 : CnnLogits(network_input);
    }
    const cv::Mat p =
        Combine(MlpOutputs(features), temperature_, cnn, cnn_temperature_);
    return FromProbabilities(
        std::vector<double>(p.ptr<double>(0), p.ptr<double>(0) + p.cols));
  } catch (const cv::Exception& e) {
    return Unreadable(absl::StrCat("digit model: ", e.what()));
  }
}

DigitReading DigitClassifier::ClassifyViews(const std::vector<cv::Mat>& views,
                                            double sure_alone) const {
  if (views.empty()) return Unreadable("no view of the box");
  DigitReading first_error;
  std::vector<double> sum(kDigitClassCount, 0.0);
  int read = 0;
  for (const cv::Mat& view : views) {
    DigitReading one = Classify(view);
    if (read == 0 && one.error.empty() && one.confidence >= sure_alone) {
      return one;
    }
    if (!one.error.empty()) {
      if (first_error.error.empty()) first_error = std::move(one);
      continue;
    }
    for (int c = 0; c < kDigitClassCount; ++c) sum[c] += one.probabilities[c];
    ++read;
  }
  if (read == 0) return first_error;
  for (double& p : sum) p /= read;
  return FromProbabilities(std::move(sum));
}

absl::Status DigitClassifier::Save(const std::string& dir,
                                   const std::string& extra_json) const {
  nlohmann::json doc = nlohmann::json::parse(extra_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) doc = nlohmann::json::object();
  std::vector<std::string> names;
  for (size_t k = 0; k < nets_.size(); ++k) {
    names.push_back(absl::StrCat(version_, "-", k, ".yml.gz"));
  }
  doc["version"] = version_;
  doc["weights"] = names;
  doc["temperature"] = temperature_;
  std::vector<std::string> cnn_names;
  for (size_t k = 0; k < cnns_.size(); ++k) {
    cnn_names.push_back(absl::StrCat(version_, "-cnn-", k, ".yml.gz"));
  }
  if (!cnns_.empty()) {
    doc["cnn_weights"] = cnn_names;
    doc["cnn_temperature"] = cnn_temperature_;
  }
  doc["accept_threshold"] = accept_threshold_;
  doc["classes"] =
      std::vector<std::string>(kDigitClasses.begin(), kDigitClasses.end());
  try {
    for (size_t k = 0; k < nets_.size(); ++k) {
      nets_[k]->save(dir + "/" + names[k]);
    }
  } catch (const cv::Exception& e) {
    return absl::InternalError(absl::StrCat("saving weights: ", e.what()));
  }
  for (size_t k = 0; k < cnns_.size(); ++k) {
    if (absl::Status s = cnns_[k].Save(dir + "/" + cnn_names[k]); !s.ok()) {
      return s;
    }
  }
  std::ofstream out(dir + "/" + version_ + ".json");
  out << doc.dump(2) << "\n";
  if (!out) return absl::InternalError("cannot write the model descriptor");
  return absl::OkStatus();
}

}  // namespace c1tally::ocr
