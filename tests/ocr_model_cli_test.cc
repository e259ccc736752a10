// `c1ctl ocr digits` on labelled folders and bad crops, and `c1ctl ocr
// model` as an operator runs it: install, show, compare a candidate with
// the current model on a frozen evaluation set, and the whole retrain loop.
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_classifier.h"
#include "ocr/digit_model_store.h"
#include "tests/test_support.h"
#include "tools/synth/digit_synth.h"

namespace c1tally {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

testing::ProgramResult C1ctl(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BinaryPath("c1ctl"));
  return testing::RunProgram(args);
}

std::string CommittedDescriptor() {
  const std::string dir = ocr::DigitClassifier::DefaultModelPath();
  return dir + "/" + *ocr::DigitModelStore::CurrentVersion(dir) + ".json";
}

class OcrModelCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared = testing::SharedDataDir();
    C1TALLY_NEED(!shared.empty(), "../shared/data");
    auto templates = synth::LoadTemplatePages(shared + "/forms/templates");
    ASSERT_TRUE(templates.ok()) << templates.status();
    // An evaluation set: digits traced by writers of this test, X marks and
    // empty boxes, in class folders.
    cv::RNG rng(2026);
    for (int i = 0; i < 120; ++i) {
      const synth::Handwriting hand = synth::RandomHandwriting(rng);
      const synth::TemplatePage& t = (*templates)[i % 2];
      synth::SynthOptions options;
      options.hand = &hand;
      std::string label;
      if (i % 12 == 10) {
        options.content = synth::BoxContent::kX;
        label = "X";
      } else if (i % 12 == 11) {
        options.content = synth::BoxContent::kBlank;
        label = "blank";
      } else {
        options.content = synth::BoxContent::kTraced;
        options.digit = i % 12;
        label = std::to_string(options.digit);
      }
      auto crop = synth::RenderSyntheticBox(t.page, t.boxes[i % 9], t.guide,
                                            options, rng);
      ASSERT_TRUE(crop.ok());
      fs::create_directories(eval_ + "/" + label);
      cv::imwrite(eval_ + "/" + label + "/box-" + std::to_string(i) + ".png",
                  *crop);
    }
  }

  // A candidate: the committed network with `calibration` changed by
  // `change`, saved under `version`; returns its descriptor.
  template <typename Change>
  std::string Candidate(const std::string& version, Change change) {
    auto base = ocr::DigitClassifier::Load(CommittedDescriptor());
    EXPECT_TRUE(base.ok());
    ocr::DigitCalibration calibration = base->calibration();
    change(&calibration);
    const nlohmann::json d =
        nlohmann::json::parse(testing::ReadFile(CommittedDescriptor()));
    auto model = ocr::DigitClassifier::Create(
        testing::ReadFile(ocr::DigitClassifier::DefaultModelPath() + "/" +
                          d["network"].get<std::string>()),
        calibration, version);
    EXPECT_TRUE(model.ok());
    EXPECT_TRUE(model->Save(dir_.Sub(version), nlohmann::json::object()).ok());
    return dir_.Sub(version) + "/" + version + ".json";
  }

  testing::TempDir dir_;
  const std::string eval_ = dir_.Sub("eval");
  const std::string models_ = dir_.Sub("models");
};

TEST_F(OcrModelCliTest, DigitsScoresALabelledFolderPerClass) {
  fs::create_directories(eval_ + "/unsorted");  // not a class: left out
  testing::WriteFile(eval_ + "/corrupt.png", "not a png");
  const testing::ProgramResult r = C1ctl({"ocr", "digits", eval_});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  int lines = 0, labelled = 0, accepted_wrong = 0;
  for (absl::string_view line : absl::StrSplit(r.output, '\n')) {
    if (line.empty() || line[0] != '{') continue;
    const nlohmann::json j = nlohmann::json::parse(line);
    ++lines;
    if (j["file"].get<std::string>().find("corrupt") != std::string::npos) {
      EXPECT_TRUE(j["class"].is_null());
      EXPECT_EQ(j["status"], "review");
      EXPECT_FALSE(j.value("error", "").empty());
      continue;
    }
    ASSERT_TRUE(j.contains("truth")) << line;
    ++labelled;
    accepted_wrong += j["status"] == "accepted" && j["class"] != j["truth"] &&
                      !(j["truth"] == "blank" && j["class"] == "X");
  }
  EXPECT_EQ(lines, 121);
  EXPECT_EQ(labelled, 120);
  EXPECT_EQ(accepted_wrong, 0);
  // The figures per class go to stderr, after the lines.
  EXPECT_THAT(r.output, HasSubstr("class  boxes   top1  accepted"));
  EXPECT_THAT(r.output, HasSubstr("\nall      120  "));
}

TEST_F(OcrModelCliTest, DigitsGivesAClearErrorForWhatIsNoDigitBox) {
  const std::string bad = dir_.Sub("bad");
  fs::create_directories(bad);
  testing::WriteFile(bad + "/empty.png", "");
  testing::WriteFile(bad + "/corrupt.jpg", "\xff\xd8\xff\xe0 cut short");
  cv::imwrite(bad + "/one-pixel.png", cv::Mat(1, 1, CV_8UC1, cv::Scalar(0)));
  // The header claims more pixels than any photo may have.
  cv::imwrite(bad + "/huge.png", cv::Mat(7200, 7200, CV_8UC1, cv::Scalar(255)));
  // A whole form photo, and a square crop of its printed text.
  const std::string photo =
      testing::SharedDataDir() + "/forms/photos/2024/ppwp-page2-a.jpg";
  fs::copy_file(photo, bad + "/photo.jpg");
  const cv::Mat page = cv::imread(photo);
  cv::imwrite(bad + "/text.png", page(cv::Rect(600, 900, 120, 120)));
  const testing::ProgramResult r = C1ctl({"ocr", "digits", bad});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(r.output, '\n')) {
    if (line.empty() || line[0] != '{') continue;
    const nlohmann::json j = nlohmann::json::parse(line);
    ++lines;
    SCOPED_TRACE(j.dump());
    EXPECT_EQ(j["status"], "review");
    EXPECT_FALSE(j.value("error", "").empty());
  }
  EXPECT_EQ(lines, 6);
  EXPECT_THAT(r.output, HasSubstr("not a digit box"));
  EXPECT_THAT(r.output, HasSubstr("too small"));
}

TEST_F(OcrModelCliTest, InstallCompareAndRefuseAWorseCandidate) {
  const std::string flags = "--models_dir=" + models_;
  testing::ProgramResult r =
      C1ctl({"ocr", "model", "install", CommittedDescriptor(), flags});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = C1ctl({"ocr", "model", "show", flags});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(
      r.output,
      HasSubstr("current: " + *ocr::DigitModelStore::CurrentVersion(models_)));

  // The same network under another name is no worse.
  const std::string same = Candidate("digits-same", [](auto*) {});
  r = C1ctl({"ocr", "model", "compare", same, flags, "--eval_set=" + eval_});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("candidate is no worse"));
  EXPECT_THAT(r.output, HasSubstr("120 labelled boxes"));

  // One that calls every box novel accepts nothing: worse.
  const std::string timid =
      Candidate("digits-timid",
                [](ocr::DigitCalibration* c) { c->novelty_limit *= 1e-6; });
  r = C1ctl({"ocr", "model", "compare", timid, flags, "--eval_set=" + eval_});
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("candidate is worse"));
  EXPECT_THAT(r.output, HasSubstr("accepts 0.00% of the boxes"));

  // Without labelled crops there is nothing to decide on.
  r = C1ctl({"ocr", "model", "compare", same, flags,
             "--eval_set=" + dir_.Sub("nothing")});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("no labelled crops"));
  // A damaged candidate is refused with the reason.
  const std::string bytes =
      testing::ReadFile(dir_.Sub("digits-same") + "/digits-same.onnx");
  testing::WriteFile(dir_.Sub("digits-same") + "/digits-same.onnx",
                     bytes.substr(0, 100));
  r = C1ctl({"ocr", "model", "install", same, flags});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_THAT(r.output, HasSubstr("SHA-256"));
  EXPECT_EQ(*ocr::DigitModelStore::CurrentVersion(models_),
            *ocr::DigitModelStore::CurrentVersion(
                ocr::DigitClassifier::DefaultModelPath()));
}

// The whole loop, with a training run small enough for a test (one network,
// one epoch, 3% of the boxes): the candidate it makes is worse than the
// committed model, so the committed model stays current.
TEST_F(OcrModelCliTest, RetrainKeepsTheCurrentModelWhenTheCandidateIsWorse) {
  C1TALLY_NEED(
      std::system("/usr/bin/python3 -c 'import torch' 2>/dev/null") == 0,
      "python3-torch (deploy/install-train-deps)");
  const std::string flags = "--models_dir=" + models_;
  ASSERT_EQ(C1ctl({"ocr", "model", "install", CommittedDescriptor(), flags})
                .exit_code,
            0);
  const std::string before = *ocr::DigitModelStore::CurrentVersion(models_);
  // A database with nothing verified yet: the candidate trains on the
  // synthetic boxes alone.
  testing::OpenDatabase(dir_.Sub("data"));
  const testing::ProgramResult r =
      C1ctl({"ocr", "model", "retrain", flags, "--data=" + dir_.Sub("data"),
             "--train_args=--scale=0.03 --epochs=1 --members=1"});
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_THAT(r.output, HasSubstr("retrain: 0 verified boxes"));
  EXPECT_THAT(r.output, HasSubstr("new evaluation set"));
  EXPECT_THAT(r.output, HasSubstr("candidate is worse"));
  EXPECT_THAT(r.output, HasSubstr("not installed"));
  EXPECT_EQ(*ocr::DigitModelStore::CurrentVersion(models_), before);
  // The frozen evaluation set stays for the next run.
  EXPECT_TRUE(fs::exists(models_ + "/eval/7"));
}

}  // namespace
}  // namespace c1tally
