#include "tools/train_digits/cnn_comparison.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "ocr/digit_cell.h"
#include "ocr/digit_network.h"

namespace c1tally::ocr {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// The network's input rows; a crop the cell preparation refuses gives an
// all-zero row (it never happens for rendered boxes).
cv::Mat Inputs(const LabelledCrops& data) {
  cv::Mat x(static_cast<int>(data.crops.size()), DigitNetwork::kInputSize,
            CV_32F, cv::Scalar(0));
  for (size_t i = 0; i < data.crops.size(); ++i) {
    auto cell = PrepareCell(data.crops[i]);
    if (cell.ok())
      DigitNetwork::Input(*cell).copyTo(x.row(static_cast<int>(i)));
  }
  return x;
}

// Mean over networks of softmax(logits / t): rows × classes CV_64F.
cv::Mat MeanSoftmax(const std::vector<cv::Mat>& logits, double t) {
  cv::Mat mean;
  for (const cv::Mat& one : logits) {
    cv::Mat p;
    one.convertTo(p, CV_64F, 1.0 / t);
    for (int r = 0; r < p.rows; ++r) {
      double* row = p.ptr<double>(r);
      const double top = *std::max_element(row, row + p.cols);
      double sum = 0;
      for (int c = 0; c < p.cols; ++c) sum += row[c] = std::exp(row[c] - top);
      for (int c = 0; c < p.cols; ++c) row[c] /= sum * logits.size();
    }
    if (mean.empty())
      mean = p;
    else
      mean += p;
  }
  return mean;
}

double Nll(const cv::Mat& p, const std::vector<int>& y) {
  double nll = 0;
  for (int r = 0; r < p.rows; ++r) {
    nll -= std::log(std::max(1e-12, p.at<double>(r, y[r])));
  }
  return nll / p.rows;
}

}  // namespace

// Stochastic gradient descent with momentum and weight decay; each batch is
// split over two threads whose gradients are always added in the same
// order, so the result depends on the seed only.
DigitNetwork TrainCnn(const cv::Mat& x, const std::vector<int>& y, int seed,
                      const CnnComparisonOptions& options) {
  constexpr double kMomentum = 0.9;
  constexpr double kWeightDecay = 5e-4;
  DigitNetwork net = DigitNetwork::Random(static_cast<uint64_t>(seed));
  DigitNetwork velocity = DigitNetwork::Zeros();
  std::vector<int> order(y.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  const int batch = options.batch;
  const int total_steps =
      options.epochs * static_cast<int>((order.size() + batch - 1) / batch);
  int step = 0;
  const auto start = Clock::now();
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    double epoch_loss = 0;
    cv::RNG rng(static_cast<uint64_t>(seed) * 7919u + epoch);
    for (size_t i = order.size(); i > 1; --i) {
      std::swap(order[i - 1], order[rng.uniform(0, static_cast<int>(i))]);
    }
    for (size_t start = 0; start < order.size(); start += batch, ++step) {
      const int n =
          static_cast<int>(std::min<size_t>(batch, order.size() - start));
      const int half = n / 2;
      cv::Mat part_x[2] = {cv::Mat(half, x.cols, CV_32F),
                           cv::Mat(n - half, x.cols, CV_32F)};
      std::vector<int> part_y[2];
      for (int k = 0; k < n; ++k) {
        const int part = k < half ? 0 : 1;
        x.row(order[start + k]).copyTo(part_x[part].row(part ? k - half : k));
        part_y[part].push_back(y[order[start + k]]);
      }
      DigitNetwork grad[2] = {DigitNetwork::Zeros(), DigitNetwork::Zeros()};
      double loss[2] = {0, 0};
      std::thread second(
          [&] { loss[1] = net.AddGradient(part_x[1], part_y[1], &grad[1]); });
      if (half > 0) loss[0] = net.AddGradient(part_x[0], part_y[0], &grad[0]);
      second.join();
      epoch_loss += loss[0] + loss[1];
      const double lr = options.learning_rate * 0.5 *
                        (1 + std::cos(M_PI * step / std::max(1, total_steps)));
      std::vector<cv::Mat*> w = net.Parameters();
      std::vector<cv::Mat*> v = velocity.Parameters();
      std::vector<cv::Mat*> g0 = grad[0].Parameters();
      std::vector<cv::Mat*> g1 = grad[1].Parameters();
      for (size_t p = 0; p < w.size(); ++p) {
        cv::Mat g = (*g0[p] + *g1[p]) / n;
        if (p % 2 == 0) g += kWeightDecay * *w[p];  // weights, not biases
        *v[p] = kMomentum * *v[p] - lr * g;
        *w[p] += *v[p];
      }
    }
    std::printf("cnn epoch %d loss=%.4f s=%.0f\n", epoch + 1,
                epoch_loss / y.size(), Seconds(start));
    std::fflush(stdout);
  }
  return net;
}

void CompareCnn(const LabelledCrops& train, const LabelledCrops& calib,
                const LabelledCrops& test,
                const std::vector<double>& thresholds,
                const CnnComparisonOptions& options) {
  const auto t0 = Clock::now();
  const cv::Mat train_x = Inputs(train), calib_x = Inputs(calib),
                test_x = Inputs(test);
  std::vector<cv::Mat> calib_logits, test_logits;
  for (int k = 0; k < options.networks; ++k) {
    const DigitNetwork net =
        TrainCnn(train_x, train.labels, options.seed * 1000 + k, options);
    calib_logits.push_back(net.Logits(calib_x));
    test_logits.push_back(net.Logits(test_x));
  }
  double temperature = 1, best = 1e300;
  for (double t = 0.05; t < 20.0; t *= 1.03) {
    const double nll = Nll(MeanSoftmax(calib_logits, t), calib.labels);
    if (nll < best) best = nll, temperature = t;
  }
  const cv::Mat p = MeanSoftmax(test_logits, temperature);
  std::vector<int> predicted(p.rows);
  std::vector<double> confidence(p.rows);
  int right = 0;
  for (int r = 0; r < p.rows; ++r) {
    cv::Point at;
    cv::minMaxLoc(p.row(r), nullptr, &confidence[r], nullptr, &at);
    predicted[r] = at.x;
    right += predicted[r] == test.labels[r];
  }
  std::printf("compare cnn x%d: accuracy=%.4f temperature=%.3f train_s=%.1f\n",
              options.networks, static_cast<double>(right) / p.rows,
              temperature, Seconds(t0));
  for (double t : thresholds) {
    int accepted = 0, wrong = 0;
    for (int r = 0; r < p.rows; ++r) {
      if (confidence[r] < t) continue;
      ++accepted;
      wrong += predicted[r] != test.labels[r];
    }
    std::printf("compare cnn threshold=%.4f coverage=%.4f wrong=%d\n", t,
                static_cast<double>(accepted) / p.rows, wrong);
  }
}

}  // namespace c1tally::ocr
