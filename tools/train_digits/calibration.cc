#include "tools/train_digits/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <opencv2/imgproc.hpp>

#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally::train_digits {
namespace {

using ocr::DigitClassifier;
using ocr::kDigitClassCount;

constexpr double kCurve[] = {0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999};

double Nll(const cv::Mat& logits, const std::vector<uint8_t>& y, double t) {
  double nll = 0;
  for (int r = 0; r < logits.rows; ++r) {
    const float* row = logits.ptr<float>(r);
    const double top = *std::max_element(row, row + logits.cols) / t;
    double sum = 0;
    for (int c = 0; c < logits.cols; ++c) sum += std::exp(row[c] / t - top);
    nll -= row[y[r]] / t - top - std::log(sum);
  }
  return nll / std::max(1, logits.rows);
}

double FitTemperature(const cv::Mat& logits, const std::vector<uint8_t>& y) {
  double best_t = 1, best = 1e300;
  for (double t = 0.05; t < 8.0; t *= 1.02) {
    const double nll = Nll(logits, y, t);
    if (nll < best) best = nll, best_t = t;
  }
  return best_t;
}

// Class means and the whitening of the pooled within-class covariance of
// `features` (rows, CV_32F) with classes `y`; the means come out whitened.
absl::Status NoveltyStatistics(const cv::Mat& features,
                               const std::vector<uint8_t>& y, cv::Mat* means,
                               cv::Mat* whitening) {
  const int d = features.cols;
  cv::Mat f;
  features.convertTo(f, CV_64F);
  cv::Mat sums = cv::Mat::zeros(kDigitClassCount, d, CV_64F);
  std::vector<int> counts(kDigitClassCount, 0);
  for (int r = 0; r < f.rows; ++r) {
    sums.row(y[r]) += f.row(r);
    ++counts[y[r]];
  }
  for (int c = 0; c < kDigitClassCount; ++c) {
    if (counts[c] == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("no training box of class ", ocr::kDigitClasses[c]));
    }
    sums.row(c) /= counts[c];
  }
  cv::Mat centred = f.clone();
  for (int r = 0; r < f.rows; ++r) centred.row(r) -= sums.row(y[r]);
  cv::Mat covariance = centred.t() * centred / f.rows;
  // A ridge keeps dead units (always zero after ReLU) from dividing by 0.
  const double ridge = 1e-3 * cv::trace(covariance)[0] / d + 1e-9;
  covariance += cv::Mat::eye(d, d, CV_64F) * ridge;
  cv::Mat values, vectors;
  cv::eigen(covariance, values, vectors);  // rows of `vectors`
  cv::Mat scale = cv::Mat::zeros(d, d, CV_64F);
  for (int i = 0; i < d; ++i) {
    scale.at<double>(i, i) = 1.0 / std::sqrt(values.at<double>(i));
  }
  *whitening = vectors.t() * scale;
  *means = sums * *whitening;
  return absl::OkStatus();
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * v.size()));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

// The lowest confidence at which the accepted boxes (not novel, at least
// that sure) hold at most `max_error` wrong.
double PickThreshold(const SetReadings& r, const std::vector<uint8_t>& y,
                     double max_error) {
  std::vector<size_t> order;
  for (size_t i = 0; i < y.size(); ++i) {
    if (r.novelty[i] <= 1.0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return r.confidence[a] > r.confidence[b];
  });
  double threshold = 1.0;
  int wrong = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    wrong += !ocr::ClassesAgree(y[i], r.read[i]);
    // Only where the next box is less sure, so ties stay together.
    const bool boundary =
        k + 1 == order.size() || r.confidence[order[k + 1]] < r.confidence[i];
    if (boundary && wrong <= max_error * (k + 1)) threshold = r.confidence[i];
  }
  return std::max(0.5, threshold);
}

struct Tally {
  int boxes = 0, right = 0, accepted = 0, wrong_accepted = 0, novel = 0;
  nlohmann::json Json() const {
    auto share = [](int a, int b) { return b == 0 ? 0.0 : double(a) / b; };
    return {{"boxes", boxes},
            {"top1", share(right, boxes)},
            {"accepted_share", share(accepted, boxes)},
            {"wrong_accepted", wrong_accepted},
            {"accepted_error", share(wrong_accepted, accepted)},
            {"novel_share", share(novel, boxes)}};
  }
};

}  // namespace

absl::StatusOr<SetOutputs> RunOnSet(const DigitClassifier& model,
                                    const BoxSet& set) {
  SetOutputs out;
  const cv::Mat inputs = set.FloatInputs();
  constexpr int kBatch = 512;
  for (int start = 0; start < inputs.rows; start += kBatch) {
    const int end = std::min(inputs.rows, start + kBatch);
    ASSIGN_OR_RETURN(DigitClassifier::Outputs part,
                     model.Run(inputs.rowRange(start, end)));
    out.logits.push_back(part.logits);
    out.features.push_back(part.features);
  }
  return out;
}

SetReadings ReadSet(const DigitClassifier& model, const BoxSet& set,
                    const SetOutputs& outputs) {
  SetReadings r;
  const cv::Mat p = model.Probabilities(outputs.logits);
  r.novelty = model.Novelty(outputs.features, set.FloatInputs());
  for (int i = 0; i < p.rows; ++i) {
    cv::Point best;
    double confidence;
    cv::minMaxLoc(p.row(i), nullptr, &confidence, nullptr, &best);
    r.read.push_back(best.x);
    r.confidence.push_back(confidence);
  }
  return r;
}

absl::StatusOr<ocr::DigitCalibration> Calibrate(
    const BoxSet& train, const SetOutputs& train_outputs, const BoxSet& calib,
    const SetOutputs& calib_outputs, const CalibrationOptions& options) {
  ocr::DigitCalibration c;
  c.temperature = FitTemperature(calib_outputs.logits, calib.labels);
  // Every k-th training box, up to the sample size.
  const int step = std::max<int>(
      1, static_cast<int>(train.size()) / std::max(1, options.novelty_sample));
  cv::Mat sample;
  std::vector<uint8_t> labels;
  for (size_t i = 0; i < train.size(); i += step) {
    sample.push_back(train_outputs.features.row(static_cast<int>(i)));
    labels.push_back(train.labels[i]);
  }
  RETURN_IF_ERROR(NoveltyStatistics(sample, labels, &c.novelty_means,
                                    &c.novelty_whitening));
  c.novelty_limit = Quantile(
      DigitClassifier::NoveltyDistances(calib_outputs.features, c.novelty_means,
                                        c.novelty_whitening),
      options.novelty_quantile);
  {
    const cv::Mat inputs = train.FloatInputs();
    std::vector<double> stray;
    for (int i = 0; i < inputs.rows; i += step) {
      stray.push_back(DigitClassifier::StrayDarkness(inputs.row(i)));
    }
    c.stray_limit = std::max(1e-3, Quantile(stray, options.stray_quantile));
  }
  // The threshold is read off the calibration boxes as the calibrated
  // model will see them.
  c.accept_threshold = 1.0;
  SetReadings r;
  {
    cv::Mat p;
    calib_outputs.logits.convertTo(p, CV_64F, 1.0 / c.temperature);
    const std::vector<double> d = DigitClassifier::NoveltyDistances(
        calib_outputs.features, c.novelty_means, c.novelty_whitening);
    const cv::Mat inputs = calib.FloatInputs();
    for (int i = 0; i < p.rows; ++i) {
      cv::Mat row = p.row(i);
      double top;
      cv::Point best;
      cv::minMaxLoc(row, nullptr, &top, nullptr, &best);
      cv::Mat e;
      cv::exp(row - top, e);
      r.read.push_back(best.x);
      r.confidence.push_back(1.0 / cv::sum(e)[0]);
      r.novelty.push_back(std::max(
          d[i] / c.novelty_limit,
          DigitClassifier::StrayDarkness(inputs.row(i)) / c.stray_limit));
    }
  }
  c.accept_threshold =
      PickThreshold(r, calib.labels, options.max_accepted_error);
  return c;
}

nlohmann::json Figures(const BoxSet& set, const SetReadings& r,
                       double threshold) {
  Tally all;
  std::vector<Tally> by_class(kDigitClassCount), by_kind(kBoxKinds);
  for (size_t i = 0; i < set.size(); ++i) {
    const bool right = ocr::ClassesAgree(set.labels[i], r.read[i]);
    const bool novel = r.novelty[i] > 1.0;
    const bool accepted = !novel && r.confidence[i] >= threshold;
    for (Tally* t : {&all, &by_class[set.labels[i]], &by_kind[set.kinds[i]]}) {
      ++t->boxes;
      t->right += right;
      t->novel += novel;
      t->accepted += accepted;
      t->wrong_accepted += accepted && !right;
    }
  }
  nlohmann::json out = all.Json();
  out["threshold"] = threshold;
  // Confusions: truth -> read, with how many of them were accepted.
  std::map<std::pair<int, int>, std::pair<int, int>> confusions;
  for (size_t i = 0; i < set.size(); ++i) {
    if (ocr::ClassesAgree(set.labels[i], r.read[i])) continue;
    auto& c = confusions[{set.labels[i], r.read[i]}];
    ++c.first;
    c.second += r.novelty[i] <= 1.0 && r.confidence[i] >= threshold;
  }
  for (const auto& [pair, counts] : confusions) {
    out["confusions"].push_back({{"truth", ocr::kDigitClasses[pair.first]},
                                 {"read", ocr::kDigitClasses[pair.second]},
                                 {"boxes", counts.first},
                                 {"accepted", counts.second}});
  }
  for (int c = 0; c < kDigitClassCount; ++c) {
    if (by_class[c].boxes > 0) {
      out["classes"][ocr::kDigitClasses[c]] = by_class[c].Json();
    }
  }
  for (int k = 0; k < kBoxKinds; ++k) {
    if (by_kind[k].boxes > 0) {
      out["kinds"][BoxKindName(BoxKind(k))] = by_kind[k].Json();
    }
  }
  for (double t : kCurve) {
    Tally at;
    for (size_t i = 0; i < set.size(); ++i) {
      const bool accepted = r.novelty[i] <= 1.0 && r.confidence[i] >= t;
      ++at.boxes;
      at.accepted += accepted;
      at.wrong_accepted +=
          accepted && !ocr::ClassesAgree(set.labels[i], r.read[i]);
    }
    nlohmann::json row = at.Json();
    row.erase("top1");
    row.erase("novel_share");
    row["threshold"] = t;
    out["curve"].push_back(row);
  }
  return out;
}

void PrintFigures(const char* title, const nlohmann::json& f) {
  auto line = [](const std::string& name, const nlohmann::json& t) {
    std::printf(
        "  %-14s boxes=%-6d top1=%.4f accepted=%.4f wrong_accepted=%-4d "
        "accepted_error=%.5f novel=%.4f\n",
        name.c_str(), t["boxes"].get<int>(), t["top1"].get<double>(),
        t["accepted_share"].get<double>(), t["wrong_accepted"].get<int>(),
        t["accepted_error"].get<double>(), t["novel_share"].get<double>());
  };
  std::printf("%s (threshold %.4f):\n", title, f["threshold"].get<double>());
  line("all", f);
  for (const auto& [name, t] : f["classes"].items()) line("class " + name, t);
  for (const auto& [name, t] : f["kinds"].items()) line("kind " + name, t);
  std::string confused = "  confusions (truth>read boxes/accepted):";
  for (const auto& c : f.value("confusions", nlohmann::json::array())) {
    if (c["boxes"].get<int>() < 3 && c["accepted"].get<int>() == 0) continue;
    absl::StrAppend(&confused, " ", c["truth"].get<std::string>(), ">",
                    c["read"].get<std::string>(), " ", c["boxes"].get<int>(),
                    "/", c["accepted"].get<int>());
  }
  std::printf("%s\n", confused.c_str());
  for (const auto& row : f["curve"]) {
    std::printf(
        "  at %.3f: accepted=%.4f wrong_accepted=%d error=%.5f\n",
        row["threshold"].get<double>(), row["accepted_share"].get<double>(),
        row["wrong_accepted"].get<int>(), row["accepted_error"].get<double>());
  }
}

std::vector<cv::Mat> JunkCrops(
    const std::vector<synth::TemplatePage>& templates, int count,
    uint64_t seed) {
  std::vector<cv::Mat> out;
  cv::RNG rng(seed);
  while (static_cast<int>(out.size()) < count && !templates.empty()) {
    const int kind = rng.uniform(0, 4);
    const int side = rng.uniform(40, 90);
    cv::Mat crop;
    if (kind <= 1) {
      // Printed matter away from the digit boxes.
      const synth::TemplatePage& t =
          templates[rng.uniform(0, static_cast<int>(templates.size()))];
      const cv::Rect r(rng.uniform(0, t.page.cols - side),
                       rng.uniform(0, t.page.rows - side), side, side);
      bool near_box = false;
      for (const cv::Rect& box : t.boxes) {
        near_box = near_box || (r & box).area() > 0;
      }
      const cv::Mat region = t.page(r);
      if (near_box || cv::mean(region)[0] > 250) continue;  // a box or paper
      crop = region.clone();
    } else if (kind == 2) {
      crop = cv::Mat(side, side, CV_8UC3);
      rng.fill(crop, cv::RNG::UNIFORM, 0, 256);
      cv::GaussianBlur(crop, crop, cv::Size(0, 0), rng.uniform(0.5, 4.0));
    } else {
      // A dark patch with a gradient: a shadow or a thumb over the lens.
      crop = cv::Mat(side, side, CV_8UC3);
      const int base = rng.uniform(0, 120);
      for (int y = 0; y < side; ++y) {
        crop.row(y).setTo(cv::Scalar::all(base + y * rng.uniform(0, 2)));
      }
    }
    out.push_back(crop);
  }
  return out;
}

}  // namespace c1tally::train_digits
