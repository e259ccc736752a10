#include "ocr/digit_classifier.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "ocr/digit_cell.h"
#include "storage/file_bytes.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

namespace fs = std::filesystem;

// The reading that names the most probable class; `probabilities` has
// kDigitClassCount entries.
DigitReading FromProbabilities(std::vector<double> probabilities,
                               double novelty) {
  DigitReading r;
  r.probabilities = std::move(probabilities);
  const int best = static_cast<int>(
      std::max_element(r.probabilities.begin(), r.probabilities.end()) -
      r.probabilities.begin());
  r.cls = kDigitClasses[best];
  r.confidence = r.probabilities[best];
  r.novelty = novelty;
  return r;
}

// The novelty of a crop whose frame was found on two sides only: above 1,
// so it is never accepted.
constexpr double kIncompleteFrameNovelty = 2.0;

DigitReading Unreadable(std::string why) {
  DigitReading r;
  r.probabilities.assign(kDigitClassCount, 1.0 / kDigitClassCount);
  r.error = std::move(why);
  return r;
}

// A models folder names its model in CURRENT; anything else is taken as a
// descriptor path.
absl::StatusOr<std::string> ResolveDescriptor(const std::string& path) {
  std::error_code error;
  if (!fs::is_directory(path, error)) return path;
  absl::StatusOr<std::string> current = ReadFileBytes(path + "/CURRENT");
  if (!current.ok()) {
    return absl::NotFoundError(
        absl::StrCat(path, " has no CURRENT file naming its digit model"));
  }
  const std::string version(absl::StripAsciiWhitespace(*current));
  if (version.empty() || version.find('/') != std::string::npos) {
    return absl::DataLossError(
        absl::StrCat(path, "/CURRENT does not name a model version"));
  }
  return absl::StrCat(path, "/", version, ".json");
}

}  // namespace

// Networks for concurrent reads: cv::dnn::Net keeps its activations inside,
// so one net serves one caller at a time. Nets are made from the ONNX bytes
// as callers need them and reused.
class DigitClassifier::NetworkPool {
 public:
  static absl::StatusOr<std::shared_ptr<NetworkPool>> Create(std::string onnx) {
    auto pool = std::shared_ptr<NetworkPool>(new NetworkPool(std::move(onnx)));
    ASSIGN_OR_RETURN(cv::dnn::Net first, pool->Make());
    pool->Give(std::move(first));
    return pool;
  }

  absl::StatusOr<cv::dnn::Net> Take() {
    {
      absl::MutexLock lock(&mu_);
      if (!free_.empty()) {
        cv::dnn::Net net = free_.back();
        free_.pop_back();
        return net;
      }
    }
    return Make();
  }

  void Give(cv::dnn::Net net) {
    absl::MutexLock lock(&mu_);
    free_.push_back(std::move(net));
  }

  const std::string& onnx() const { return onnx_; }

 private:
  explicit NetworkPool(std::string onnx) : onnx_(std::move(onnx)) {}

  absl::StatusOr<cv::dnn::Net> Make() const {
    try {
      cv::dnn::Net net = cv::dnn::readNetFromONNX(onnx_.data(), onnx_.size());
      if (net.empty()) return absl::DataLossError("empty digit network");
      net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
      net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
      return net;
    } catch (const cv::Exception& e) {
      return absl::DataLossError(
          absl::StrCat("not an ONNX digit network: ", e.what()));
    }
  }

  const std::string onnx_;
  absl::Mutex mu_;
  std::vector<cv::dnn::Net> free_ ABSL_GUARDED_BY(mu_);
};

std::string DigitClassifier::DefaultModelPath() { return C1TALLY_MODELS_DIR; }

absl::StatusOr<DigitClassifier> DigitClassifier::Create(
    std::string onnx, DigitCalibration calibration, std::string version) {
  if (!(calibration.temperature > 0)) {
    return absl::InvalidArgumentError("temperature must be positive");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<NetworkPool> pool,
                   NetworkPool::Create(std::move(onnx)));
  DigitClassifier model;
  model.networks_ = std::move(pool);
  model.calibration_ = std::move(calibration);
  model.version_ = std::move(version);
  // One empty box through the network: the shapes it gives must be the
  // ones this build reads.
  ASSIGN_OR_RETURN(Outputs probe,
                   model.Run(cv::Mat::zeros(1, kInputSize, CV_32F)));
  if (probe.logits.cols != kDigitClassCount) {
    return absl::DataLossError(absl::StrCat("the digit network gives ",
                                            probe.logits.cols, " classes, not ",
                                            kDigitClassCount));
  }
  model.feature_size_ = probe.features.cols;
  const DigitCalibration& c = model.calibration_;
  if (!c.novelty_means.empty() &&
      (c.novelty_means.rows != kDigitClassCount ||
       c.novelty_means.cols != model.feature_size_ ||
       c.novelty_whitening.rows != model.feature_size_ ||
       c.novelty_whitening.cols != model.feature_size_ ||
       c.novelty_means.type() != CV_64F ||
       c.novelty_whitening.type() != CV_64F || !(c.novelty_limit > 0))) {
    return absl::DataLossError(
        "the novelty statistics do not fit the network's features");
  }
  return model;
}

absl::StatusOr<DigitClassifier> DigitClassifier::Load(const std::string& path) {
  ASSIGN_OR_RETURN(std::string descriptor_path, ResolveDescriptor(path));
  ASSIGN_OR_RETURN(std::string text, ReadFileBytes(descriptor_path));
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError(
        absl::StrCat(descriptor_path, ": not a JSON object"));
  }
  const std::string format = j.value("format", std::string("(none)"));
  if (format != kDigitModelFormat) {
    return absl::FailedPreconditionError(
        absl::StrCat(descriptor_path, ": model format ", format,
                     "; this build reads ", kDigitModelFormat));
  }
  if (j.value("classes", nlohmann::json()) !=
      nlohmann::json(std::vector<std::string>(kDigitClasses.begin(),
                                              kDigitClasses.end()))) {
    return absl::FailedPreconditionError(
        absl::StrCat(descriptor_path, ": classes differ from this build's"));
  }
  for (const char* key :
       {"version", "network", "network_sha256", "novelty", "novelty_sha256"}) {
    if (!j.contains(key) || !j[key].is_string()) {
      return absl::DataLossError(
          absl::StrCat(descriptor_path, ": no \"", key, "\""));
    }
  }
  for (const char* key :
       {"temperature", "accept_threshold", "novelty_limit", "stray_limit"}) {
    if (!j.contains(key) || !j[key].is_number()) {
      return absl::DataLossError(
          absl::StrCat(descriptor_path, ": no number \"", key, "\""));
    }
  }
  const fs::path folder = fs::path(descriptor_path).parent_path();
  // Each file must be the one the descriptor was written with: a copy cut
  // short or a file of another model is refused here, not misread later.
  auto checked = [&](const char* name_key,
                     const char* sha_key) -> absl::StatusOr<std::string> {
    const std::string file = (folder / j[name_key].get<std::string>()).string();
    absl::StatusOr<std::string> bytes = ReadFileBytes(file);
    if (!bytes.ok()) return bytes.status();
    if (ToHex(Sha256(*bytes)) != j[sha_key].get<std::string>()) {
      return absl::DataLossError(
          absl::StrCat(file,
                       ": SHA-256 differs from the descriptor's (truncated or "
                       "replaced)"));
    }
    return bytes;
  };
  ASSIGN_OR_RETURN(std::string onnx, checked("network", "network_sha256"));
  absl::StatusOr<std::string> novelty = checked("novelty", "novelty_sha256");
  if (!novelty.ok()) return novelty.status();
  DigitCalibration calibration;
  calibration.temperature = j["temperature"].get<double>();
  calibration.accept_threshold = j["accept_threshold"].get<double>();
  calibration.novelty_limit = j["novelty_limit"].get<double>();
  calibration.stray_limit = j["stray_limit"].get<double>();
  try {
    // Read from the file just checked: FileStorage inflates .gz only there.
    cv::FileStorage fs((folder / j["novelty"].get<std::string>()).string(),
                       cv::FileStorage::READ);
    fs["means"] >> calibration.novelty_means;
    fs["whitening"] >> calibration.novelty_whitening;
  } catch (const cv::Exception& e) {
    return absl::DataLossError(
        absl::StrCat(j["novelty"].get<std::string>(), ": ", e.what()));
  }
  if (calibration.novelty_means.empty() ||
      calibration.novelty_whitening.empty()) {
    return absl::DataLossError(absl::StrCat(j["novelty"].get<std::string>(),
                                            ": no novelty statistics"));
  }
  absl::StatusOr<DigitClassifier> model = Create(
      std::move(onnx), std::move(calibration), j["version"].get<std::string>());
  if (!model.ok()) {
    return absl::Status(
        model.status().code(),
        absl::StrCat(descriptor_path, ": ", model.status().message()));
  }
  return model;
}

absl::StatusOr<cv::Mat> DigitClassifier::Input(const cv::Mat& box_crop,
                                               int* frame_sides) {
  ASSIGN_OR_RETURN(PreparedCell cell, PrepareCell(box_crop));
  if (frame_sides != nullptr) *frame_sides = cell.frame_sides;
  const double aspect = static_cast<double>(box_crop.cols) / box_crop.rows;
  if (aspect < 1 / kMaxCropAspect || aspect > kMaxCropAspect) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a digit box: a ", box_crop.cols, "x", box_crop.rows,
                     " crop is not near-square as a box with its margin is"));
  }
  if (cell.frame_sides < kMinFrameSides) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a digit box: a printed frame on ", cell.frame_sides,
                     " of its sides, not ", kMinFrameSides, " or 4"));
  }
  cv::Mat row(1, kInputSize, CV_32F);
  constexpr int kPlane = kCellSide * kCellSide;
  const cv::Mat* planes[kInputChannels] = {&cell.digit, &cell.box_ink,
                                           &cell.interior};
  for (int c = 0; c < kInputChannels; ++c) {
    planes[c]->reshape(1, 1).copyTo(row.colRange(c * kPlane, (c + 1) * kPlane));
  }
  return row;
}

absl::StatusOr<DigitClassifier::Outputs> DigitClassifier::Run(
    const cv::Mat& inputs) const {
  if (inputs.empty() || inputs.cols != kInputSize || inputs.type() != CV_32F) {
    return absl::InvalidArgumentError(
        "digit network input rows of the wrong "
        "size or type");
  }
  ASSIGN_OR_RETURN(cv::dnn::Net net, networks_->Take());
  Outputs out;
  absl::Status status;
  try {
    const int shape[] = {inputs.rows, kInputChannels, kCellSide, kCellSide};
    cv::Mat blob(4, shape, CV_32F);
    inputs.reshape(1, 1).copyTo(cv::Mat(1, static_cast<int>(inputs.total()),
                                        CV_32F, blob.ptr<float>()));
    net.setInput(blob);
    std::vector<cv::Mat> results;
    net.forward(results, std::vector<cv::String>{"logits", "features"});
    if (results.size() != 2 || results[0].dims != 2 || results[1].dims != 2 ||
        results[0].rows != inputs.rows || results[1].rows != inputs.rows) {
      status = absl::DataLossError(
          "the digit network's outputs are not logits and features");
    } else {
      out.logits = results[0].clone();
      out.features = results[1].clone();
    }
  } catch (const cv::Exception& e) {
    status = absl::DataLossError(absl::StrCat("digit network: ", e.what()));
  }
  networks_->Give(std::move(net));
  if (!status.ok()) return status;
  return out;
}

cv::Mat DigitClassifier::Probabilities(const cv::Mat& logits) const {
  cv::Mat out;
  logits.convertTo(out, CV_64F, 1.0 / calibration_.temperature);
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

std::vector<double> DigitClassifier::NoveltyDistances(
    const cv::Mat& features, const cv::Mat& means, const cv::Mat& whitening) {
  std::vector<double> out(features.rows, 0.0);
  if (means.empty() || features.empty()) return out;
  cv::Mat f;
  features.convertTo(f, CV_64F);
  const cv::Mat z = f * whitening;
  for (int r = 0; r < z.rows; ++r) {
    double best = std::numeric_limits<double>::infinity();
    for (int c = 0; c < means.rows; ++c) {
      const double d = cv::norm(z.row(r), means.row(c), cv::NORM_L2SQR);
      best = std::min(best, d);
    }
    out[r] = best;
  }
  return out;
}

std::vector<double> DigitClassifier::Novelty(const cv::Mat& features,
                                             const cv::Mat& inputs) const {
  std::vector<double> d = NoveltyDistances(features, calibration_.novelty_means,
                                           calibration_.novelty_whitening);
  if (calibration_.novelty_means.empty()) return d;
  for (int r = 0; r < features.rows; ++r) {
    d[r] /= calibration_.novelty_limit;
    if (calibration_.stray_limit > 0) {
      d[r] = std::max(d[r],
                      StrayDarkness(inputs.row(r)) / calibration_.stray_limit);
    }
  }
  return d;
}

double DigitClassifier::StrayDarkness(const cv::Mat& input_row) {
  constexpr int kPlane = kCellSide * kCellSide;
  const cv::Mat row = input_row.reshape(1, 1);
  const cv::Mat ink = row.colRange(kPlane, 2 * kPlane).reshape(1, kCellSide);
  const cv::Mat interior =
      row.colRange(2 * kPlane, 3 * kPlane).reshape(1, kCellSide);
  cv::Mat near_ink;
  cv::dilate(ink > 0.05, near_ink,
             cv::getStructuringElement(cv::MORPH_RECT, {5, 5}));
  const cv::Mat away = near_ink == 0;
  return cv::countNonZero(away) == 0 ? 0.0 : cv::mean(interior, away)[0];
}

std::vector<DigitReading> DigitClassifier::ReadAll(
    const std::vector<const cv::Mat*>& crops) const {
  std::vector<DigitReading> out(crops.size());
  cv::Mat inputs;
  std::vector<size_t> rows;  // the crop of each input row
  std::vector<int> frame_sides;
  for (size_t i = 0; i < crops.size(); ++i) {
    int sides = 0;
    absl::StatusOr<cv::Mat> input = Input(*crops[i], &sides);
    if (!input.ok()) {
      out[i] = Unreadable(std::string(input.status().message()));
      continue;
    }
    inputs.push_back(*input);
    rows.push_back(i);
    frame_sides.push_back(sides);
  }
  if (rows.empty()) return out;
  absl::StatusOr<Outputs> run = Run(inputs);
  if (!run.ok()) {
    for (size_t i : rows)
      out[i] = Unreadable(std::string(run.status().message()));
    return out;
  }
  const cv::Mat p = Probabilities(run->logits);
  const std::vector<double> novelty = Novelty(run->features, inputs);
  for (size_t r = 0; r < rows.size(); ++r) {
    const double* row = p.ptr<double>(static_cast<int>(r));
    // A frame found on two sides only: read, never accepted.
    const double frame =
        frame_sides[r] < kWholeFrameSides ? kIncompleteFrameNovelty : 0.0;
    out[rows[r]] = FromProbabilities(std::vector<double>(row, row + p.cols),
                                     std::max(novelty[r], frame));
  }
  return out;
}

DigitReading DigitClassifier::Classify(const cv::Mat& box_crop) const {
  return ReadAll({&box_crop})[0];
}

namespace {

// One box from the readings of its views, in view order (see
// ClassifyViews).
DigitReading CombineViews(std::vector<DigitReading> views, double sure_alone) {
  DigitReading first_error;
  std::vector<double> sum(kDigitClassCount, 0.0);
  double novelty = 0;
  int read = 0;
  for (DigitReading& one : views) {
    if (read == 0 && one.error.empty() && one.confidence >= sure_alone &&
        !one.novel()) {
      return std::move(one);
    }
    if (!one.error.empty()) {
      if (first_error.error.empty()) first_error = std::move(one);
      continue;
    }
    for (int c = 0; c < kDigitClassCount; ++c) sum[c] += one.probabilities[c];
    novelty = std::max(novelty, one.novelty);
    ++read;
  }
  if (read == 0) return first_error;
  for (double& p : sum) p /= read;
  return FromProbabilities(std::move(sum), novelty);
}

}  // namespace

std::vector<DigitReading> DigitClassifier::ClassifyBoxes(
    const std::vector<std::vector<cv::Mat>>& boxes, double sure_alone) const {
  // First every box's first view, in one pass of the network.
  std::vector<const cv::Mat*> firsts;
  for (const std::vector<cv::Mat>& views : boxes) {
    if (!views.empty()) firsts.push_back(&views[0]);
  }
  std::vector<DigitReading> first = ReadAll(firsts);
  // Then, in a second pass, the other views of the boxes the first view
  // did not settle.
  std::vector<DigitReading> out(boxes.size());
  std::vector<bool> settled(boxes.size(), false);
  std::vector<const cv::Mat*> rest;
  for (size_t b = 0, f = 0; b < boxes.size(); ++b) {
    if (boxes[b].empty()) {
      out[b] = Unreadable("no view of the box");
      settled[b] = true;
      continue;
    }
    out[b] = std::move(first[f++]);
    if (out[b].error.empty() && out[b].confidence >= sure_alone &&
        !out[b].novel()) {
      settled[b] = true;
      continue;
    }
    for (size_t v = 1; v < boxes[b].size(); ++v) rest.push_back(&boxes[b][v]);
  }
  std::vector<DigitReading> others = ReadAll(rest);
  for (size_t b = 0, r = 0; b < boxes.size(); ++b) {
    if (settled[b]) continue;
    std::vector<DigitReading> views = {std::move(out[b])};
    for (size_t v = 1; v < boxes[b].size(); ++v) {
      views.push_back(std::move(others[r++]));
    }
    out[b] = CombineViews(std::move(views), sure_alone);
  }
  return out;
}

DigitReading DigitClassifier::ClassifyViews(const std::vector<cv::Mat>& views,
                                            double sure_alone) const {
  return ClassifyBoxes({views}, sure_alone)[0];
}

bool DigitClassifier::Accepts(const DigitReading& reading) const {
  return reading.error.empty() && !reading.novel() &&
         reading.confidence >= calibration_.accept_threshold;
}

absl::Status DigitClassifier::Save(const std::string& dir,
                                   const nlohmann::json& figures) const {
  const std::string network = version_ + ".onnx";
  const std::string novelty = version_ + "-novelty.yml.gz";
  std::error_code error;
  fs::create_directories(dir, error);
  RETURN_IF_ERROR(WriteFileAtomically(dir + "/" + network, networks_->onnx()));
  try {
    cv::FileStorage fs(dir + "/" + novelty, cv::FileStorage::WRITE);
    fs << "means" << calibration_.novelty_means;
    fs << "whitening" << calibration_.novelty_whitening;
  } catch (const cv::Exception& e) {
    return absl::InternalError(
        absl::StrCat("writing ", novelty, ": ", e.what()));
  }
  ASSIGN_OR_RETURN(std::string novelty_bytes,
                   ReadFileBytes(dir + "/" + novelty));
  nlohmann::json doc = figures.is_object() ? figures : nlohmann::json::object();
  doc["format"] = kDigitModelFormat;
  doc["version"] = version_;
  doc["classes"] =
      std::vector<std::string>(kDigitClasses.begin(), kDigitClasses.end());
  doc["input"] =
      "digit_cell: 3x28x28, ink scaled and centred, ink in its place in the "
      "box, the interior's darkness";
  doc["network"] = network;
  doc["network_sha256"] = ToHex(Sha256(networks_->onnx()));
  doc["novelty"] = novelty;
  doc["novelty_sha256"] = ToHex(Sha256(novelty_bytes));
  doc["temperature"] = calibration_.temperature;
  doc["accept_threshold"] = calibration_.accept_threshold;
  doc["novelty_limit"] = calibration_.novelty_limit;
  doc["stray_limit"] = calibration_.stray_limit;
  return WriteFileAtomically(dir + "/" + version_ + ".json",
                             doc.dump(2) + "\n");
}

}  // namespace c1tally::ocr
