// The digit network's gradients against finite differences, its weights
// file round trip, and refusal of files that are not its weights.
#include <cmath>
#include <fstream>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/digit_network.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

using ::c1tally::testing::TempDir;

// A few inputs with ink-like values (mostly zero, some strokes).
cv::Mat SomeInputs(int rows, uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat x(rows, DigitNetwork::kInputSize, CV_32F, cv::Scalar(0));
  for (int r = 0; r < rows; ++r) {
    for (int i = 0; i < 300; ++i) {
      x.at<float>(r, rng.uniform(0, DigitNetwork::kInputSize)) =
          rng.uniform(0.2f, 1.0f);
    }
  }
  return x;
}

double Loss(const DigitNetwork& net, const cv::Mat& x,
            const std::vector<int>& y) {
  DigitNetwork scratch = DigitNetwork::Zeros();
  return net.AddGradient(x, y, &scratch);
}

TEST(DigitNetworkTest, GradientMatchesFiniteDifferences) {
  const DigitNetwork net = DigitNetwork::Random(7);
  const cv::Mat x = SomeInputs(3, 11);
  const std::vector<int> y = {3, 10, 11};
  DigitNetwork gradient = DigitNetwork::Zeros();
  net.AddGradient(x, y, &gradient);

  cv::RNG rng(5);
  const std::vector<const cv::Mat*> g = std::as_const(gradient).Parameters();
  int checked = 0, close = 0;
  for (size_t p = 0; p < g.size(); ++p) {
    for (int k = 0; k < 6; ++k) {
      const int row = rng.uniform(0, g[p]->rows);
      const int col = rng.uniform(0, g[p]->cols);
      const double analytic = g[p]->at<float>(row, col);
      DigitNetwork plus = net.Clone(), minus = net.Clone();
      constexpr float kStep = 1e-3f;
      plus.Parameters()[p]->at<float>(row, col) += kStep;
      minus.Parameters()[p]->at<float>(row, col) -= kStep;
      const double numeric =
          (Loss(plus, x, y) - Loss(minus, x, y)) / (2 * kStep);
      const double scale =
          std::max({std::abs(analytic), std::abs(numeric), 1e-2});
      const double error = std::abs(analytic - numeric) / scale;
      // A step can cross a ReLU or max-pool switch, which bends the
      // difference quotient a little; a wrong gradient is off by far more.
      EXPECT_LT(error, 0.15)
          << "parameter " << p << " (" << row << "," << col
          << ") analytic=" << analytic << " numeric=" << numeric;
      close += error < 0.02;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 48);
  EXPECT_GE(close, 40) << "most differences must agree closely";
}

TEST(DigitNetworkTest, TrainingStepsLowerTheLoss) {
  DigitNetwork net = DigitNetwork::Random(3);
  const cv::Mat x = SomeInputs(8, 21);
  const std::vector<int> y = {0, 1, 2, 3, 4, 5, 6, 7};
  const double before = Loss(net, x, y);
  for (int step = 0; step < 20; ++step) {
    DigitNetwork g = DigitNetwork::Zeros();
    net.AddGradient(x, y, &g);
    std::vector<cv::Mat*> w = net.Parameters();
    std::vector<cv::Mat*> d = g.Parameters();
    for (size_t p = 0; p < w.size(); ++p) *w[p] -= 0.01 * *d[p];
  }
  EXPECT_LT(Loss(net, x, y), before * 0.5);
}

TEST(DigitNetworkTest, SavedWeightsGiveTheSameLogits) {
  TempDir dir;
  const DigitNetwork net = DigitNetwork::Random(9);
  const std::string path = dir.path() + "/w.yml.gz";
  ASSERT_TRUE(net.Save(path).ok());
  auto loaded = DigitNetwork::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const cv::Mat x = SomeInputs(4, 2);
  EXPECT_EQ(cv::norm(net.Logits(x), loaded->Logits(x), cv::NORM_INF), 0.0);
}

TEST(DigitNetworkTest, RefusesMissingAndForeignFiles) {
  TempDir dir;
  EXPECT_EQ(DigitNetwork::Load(dir.path() + "/none.yml.gz").status().code(),
            absl::StatusCode::kNotFound);
  const std::string text = dir.path() + "/text.yml";
  std::ofstream(text) << "not: [a network\n";
  EXPECT_EQ(DigitNetwork::Load(text).status().code(),
            absl::StatusCode::kDataLoss);
  // Right names, wrong shapes.
  const std::string small = dir.path() + "/small.yml";
  {
    cv::FileStorage fs(small, cv::FileStorage::WRITE);
    for (const char* name : {"conv1_w", "conv1_b", "conv2_w", "conv2_b",
                             "dense1_w", "dense1_b", "dense2_w", "dense2_b"}) {
      fs << name << cv::Mat::zeros(2, 2, CV_32F);
    }
  }
  EXPECT_EQ(DigitNetwork::Load(small).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace c1tally::ocr
