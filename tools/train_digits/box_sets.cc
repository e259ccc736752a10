#include "tools/train_digits/box_sets.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ocr/digit_classifier.h"
#include "storage/file_bytes.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"

namespace c1tally::train_digits {
namespace {

namespace fs = std::filesystem;
using ocr::DigitClassifier;

// One box to render.
struct Job {
  BoxKind kind = BoxKind::kBlank;
  int label = ocr::kClassBlank;
  cv::Mat mnist;         // kFreehand
  bool distort = false;  // distort `mnist` first
  int writer = 0;
};

uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b) {
  return seed * 1000003u + a * 10000019u + b * 7919u + 17;
}

// A new handwriting sample from an MNIST one: a random shear, rotation and
// anisotropic scale plus a smooth elastic displacement field (Simard et al.
// 2003), resampled on the 28×28 grid.
cv::Mat DistortDigit(const cv::Mat& mnist, cv::RNG& rng) {
  constexpr int kSide = 28;
  cv::Mat dx(kSide, kSide, CV_32F), dy(kSide, kSide, CV_32F);
  rng.fill(dx, cv::RNG::UNIFORM, -1.0, 1.0);
  rng.fill(dy, cv::RNG::UNIFORM, -1.0, 1.0);
  const double sigma = 4.0, alpha = rng.uniform(0.0, 36.0);
  cv::GaussianBlur(dx, dx, cv::Size(0, 0), sigma);
  cv::GaussianBlur(dy, dy, cv::Size(0, 0), sigma);
  dx *= alpha;
  dy *= alpha;
  const double shear = rng.uniform(-0.25, 0.25);
  const double angle = rng.uniform(-0.15, 0.15);
  const double sx = rng.uniform(0.85, 1.15), sy = rng.uniform(0.9, 1.1);
  const double c = std::cos(angle), s = std::sin(angle);
  const double a00 = c / sx + shear * s, a01 = -s / sx + shear * c;
  const double a10 = s / sy, a11 = c / sy;
  cv::Mat map_x(kSide, kSide, CV_32F), map_y(kSide, kSide, CV_32F);
  const double mid = (kSide - 1) / 2.0;
  for (int y = 0; y < kSide; ++y) {
    for (int x = 0; x < kSide; ++x) {
      const double u = x - mid, v = y - mid;
      map_x.at<float>(y, x) =
          static_cast<float>(mid + a00 * u + a01 * v + dx.at<float>(y, x));
      map_y.at<float>(y, x) =
          static_cast<float>(mid + a10 * u + a11 * v + dy.at<float>(y, x));
    }
  }
  cv::Mat out;
  cv::remap(mnist, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  return out;
}

// The split's MNIST digits (see box_sets.h).
std::vector<synth::MnistDigit> MnistOf(
    Split split, const std::vector<synth::MnistDigit>& all) {
  if (split == Split::kTest) return synth::HeldOutPart(all);
  std::vector<synth::MnistDigit> out;
  for (const synth::MnistDigit& d : synth::TrainingPart(all)) {
    if ((d.index % 10 < 8) == (split == Split::kTrain)) out.push_back(d);
  }
  return out;
}

std::vector<Job> Jobs(Split split, const std::vector<synth::MnistDigit>& mnist,
                      const RenderOptions& options) {
  const SetSize& size = options.size;
  std::vector<Job> jobs;
  auto add = [&](BoxKind kind, int label, int count) {
    for (int i = 0; i < count; ++i) {
      Job job;
      job.kind = kind;
      job.label = label;
      jobs.push_back(job);
    }
  };
  for (int d = 0; d < 10; ++d) add(BoxKind::kTraced, d, size.traced_per_digit);
  for (const synth::MnistDigit& d : MnistOf(split, mnist)) {
    for (int c = 0; c < size.freehand_copies; ++c) {
      Job job;
      job.kind = BoxKind::kFreehand;
      job.label = d.label;
      job.mnist = d.image;
      // Training also sees distorted copies (new free-hand writers);
      // calibration and test keep MNIST's own.
      job.distort = split == Split::kTrain && c > 0;
      jobs.push_back(job);
    }
  }
  add(BoxKind::kX, ocr::kClassX, size.x);
  add(BoxKind::kDash, ocr::kClassX, size.dash);
  add(BoxKind::kBlank, ocr::kClassBlank, size.blank);
  // Writers fill boxes of every kind, as an officer fills a form.
  std::mt19937_64 shuffle(Mix(options.seed, static_cast<int>(split), 1));
  std::shuffle(jobs.begin(), jobs.end(), shuffle);
  for (size_t i = 0; i < jobs.size(); ++i) {
    jobs[i].writer = static_cast<int>(i) / std::max(1, size.boxes_per_writer);
  }
  return jobs;
}

synth::SynthOptions OptionsFor(const Job& job, cv::RNG& rng) {
  synth::SynthOptions options;
  switch (job.kind) {
    case BoxKind::kTraced:
      options.content = synth::BoxContent::kTraced;
      options.digit = job.label;
      break;
    case BoxKind::kFreehand:
      options.content = synth::BoxContent::kFreehand;
      options.mnist = job.distort ? DistortDigit(job.mnist, rng) : job.mnist;
      break;
    case BoxKind::kX:
      options.content = synth::BoxContent::kX;
      break;
    case BoxKind::kDash:
      options.content = synth::BoxContent::kDash;
      break;
    default:
      options.content = synth::BoxContent::kBlank;
      break;
  }
  return options;
}

int ClassIndex(const std::string& name) {
  for (int i = 0; i < ocr::kDigitClassCount; ++i) {
    if (name == ocr::kDigitClasses[i]) return i;
  }
  return -1;
}

cv::Mat ToBytes(const cv::Mat& input) {
  cv::Mat bytes;
  input.convertTo(bytes, CV_8U, 255.0);
  return bytes;
}

}  // namespace

const char* SplitName(Split split) {
  switch (split) {
    case Split::kTrain:
      return "train";
    case Split::kCalibration:
      return "calib";
    case Split::kTest:
      return "test";
  }
  return "?";
}

const char* BoxKindName(BoxKind kind) {
  constexpr const char* kNames[kBoxKinds] = {"traced", "freehand", "x",
                                             "dash",   "blank",    "verified"};
  const int k = static_cast<int>(kind);
  return k >= 0 && k < kBoxKinds ? kNames[k] : "?";
}

SetSize DefaultSize(Split split) {
  SetSize size;
  if (split == Split::kTrain) {
    size.traced_per_digit = 6000;
    size.freehand_copies = 4;  // 640 digits per class in the split
    size.x = 4500;
    size.dash = 1000;
    size.blank = 5000;
  } else {
    size.traced_per_digit = 800;
    size.freehand_copies = split == Split::kCalibration ? 2 : 1;
    size.x = 800;
    size.dash = 200;
    size.blank = 800;
  }
  return size;
}

cv::Mat BoxSet::FloatInputs() const {
  cv::Mat out;
  inputs.convertTo(out, CV_32F, 1.0 / 255.0);
  return out;
}

absl::StatusOr<BoxSet> RenderSplit(
    Split split, const std::vector<synth::TemplatePage>& templates,
    const std::vector<synth::MnistDigit>& mnist, const RenderOptions& options) {
  if (templates.empty()) return absl::InvalidArgumentError("no templates");
  const std::vector<Job> jobs = Jobs(split, mnist, options);
  const int n = static_cast<int>(jobs.size());
  std::vector<cv::Mat> rows(n), crops(n);
  std::vector<absl::Status> errors(2);
  const int s = static_cast<int>(split);
  auto work = [&](int worker) {
    for (int i = worker; i < n; i += 2) {
      cv::RNG writer_rng(Mix(options.seed, s + 10, jobs[i].writer));
      const synth::Handwriting hand = synth::RandomHandwriting(writer_rng);
      cv::RNG rng(Mix(options.seed, s, i));
      const synth::TemplatePage& t =
          templates[rng.uniform(0, static_cast<int>(templates.size()))];
      const cv::Rect& box =
          t.boxes[rng.uniform(0, static_cast<int>(t.boxes.size()))];
      synth::SynthOptions box_options = OptionsFor(jobs[i], rng);
      box_options.hand = &hand;
      absl::StatusOr<cv::Mat> crop =
          synth::RenderSyntheticBox(t.page, box, t.guide, box_options, rng);
      if (!crop.ok()) {
        errors[worker] = crop.status();
        return;
      }
      absl::StatusOr<cv::Mat> input = DigitClassifier::Input(*crop);
      // A box whose frame the reader would not find is refused at reading
      // time; it teaches the network nothing.
      if (!input.ok()) continue;
      rows[i] = ToBytes(*input);
      if (options.keep_crops) crops[i] = *crop;
    }
  };
  std::thread other(work, 1);
  work(0);
  other.join();
  for (const absl::Status& e : errors) {
    if (!e.ok()) return e;
  }
  BoxSet set;
  set.keep_crops = options.keep_crops;
  set.inputs.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (rows[i].empty()) {
      ++set.refused;
      continue;
    }
    set.inputs.push_back(rows[i]);
    set.labels.push_back(static_cast<uint8_t>(jobs[i].label));
    set.kinds.push_back(static_cast<uint8_t>(jobs[i].kind));
    if (options.keep_crops) set.crops.push_back(crops[i]);
  }
  return set;
}

bool IsFrozenEvaluationCrop(const std::string& file_bytes) {
  return static_cast<unsigned char>(Sha256(file_bytes)[0]) % 5 == 0;
}

absl::StatusOr<int> AddVerifiedCrops(const std::string& dir, bool frozen_only,
                                     int weight, BoxSet* set) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return absl::NotFoundError(absl::StrCat("no folder ", dir));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (error)
    return absl::InternalError(absl::StrCat(dir, ": ", error.message()));
  std::sort(files.begin(), files.end());  // the same order every run
  int added = 0;
  for (const fs::path& file : files) {
    const int label = ClassIndex(file.parent_path().filename().string());
    if (label < 0) continue;
    ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(file.string()));
    if (IsFrozenEvaluationCrop(bytes) != frozen_only) continue;
    const cv::Mat crop = cv::imdecode(
        cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, bytes.data()),
        cv::IMREAD_COLOR);
    if (crop.empty()) continue;
    absl::StatusOr<cv::Mat> input = DigitClassifier::Input(crop);
    if (!input.ok()) continue;
    const cv::Mat row = ToBytes(*input);
    for (int k = 0; k < weight; ++k) {
      set->inputs.push_back(row);
      set->labels.push_back(static_cast<uint8_t>(label));
      set->kinds.push_back(static_cast<uint8_t>(BoxKind::kVerified));
      if (set->keep_crops) set->crops.push_back(crop);
    }
    ++added;
  }
  return added;
}

absl::Status WriteBoxSet(const BoxSet& set, const std::string& dir,
                         const std::string& name) {
  std::error_code error;
  fs::create_directories(dir, error);
  const std::string base = dir + "/" + name;
  const cv::Mat inputs =
      set.inputs.isContinuous() ? set.inputs : set.inputs.clone();
  auto bytes = [](const void* data, size_t size) {
    return absl::string_view(static_cast<const char*>(data), size);
  };
  RETURN_IF_ERROR(WriteFileAtomically(base + ".inputs",
                                      bytes(inputs.data, inputs.total())));
  RETURN_IF_ERROR(WriteFileAtomically(
      base + ".labels", bytes(set.labels.data(), set.labels.size())));
  return WriteFileAtomically(base + ".kinds",
                             bytes(set.kinds.data(), set.kinds.size()));
}

absl::StatusOr<BoxSet> ReadBoxSet(const std::string& dir,
                                  const std::string& name) {
  absl::StatusOr<std::string> inputs =
      ReadFileBytes(dir + "/" + name + ".inputs");
  if (!inputs.ok()) return inputs.status();
  absl::StatusOr<std::string> labels =
      ReadFileBytes(dir + "/" + name + ".labels");
  if (!labels.ok()) return labels.status();
  absl::StatusOr<std::string> kinds =
      ReadFileBytes(dir + "/" + name + ".kinds");
  if (!kinds.ok()) return kinds.status();
  const size_t n = labels->size();
  if (kinds->size() != n || inputs->size() != n * DigitClassifier::kInputSize) {
    return absl::DataLossError(
        absl::StrCat(dir, "/", name, ": inputs, labels and kinds differ"));
  }
  BoxSet set;
  set.inputs = cv::Mat(static_cast<int>(n), DigitClassifier::kInputSize, CV_8U);
  std::copy(inputs->begin(), inputs->end(), set.inputs.data);
  set.labels.assign(labels->begin(), labels->end());
  set.kinds.assign(kinds->begin(), kinds->end());
  return set;
}

absl::Status WriteCropFolder(const BoxSet& set, const std::string& dir,
                             const std::string& prefix) {
  if (set.crops.size() != set.size()) {
    return absl::FailedPreconditionError("the set kept no crops");
  }
  for (size_t i = 0; i < set.size(); ++i) {
    const std::string folder =
        absl::StrCat(dir, "/", ocr::kDigitClasses[set.labels[i]]);
    std::error_code error;
    fs::create_directories(folder, error);
    const std::string file =
        absl::StrCat(folder, "/", prefix, "-",
                     BoxKindName(BoxKind(set.kinds[i])), "-", i, ".png");
    if (!cv::imwrite(file, set.crops[i])) {
      return absl::InternalError(absl::StrCat("cannot write ", file));
    }
  }
  return absl::OkStatus();
}

}  // namespace c1tally::train_digits
