#include "tools/c1ctl/digit_set.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ocr/image_decode.h"

namespace c1tally::c1ctl {
namespace {

namespace fs = std::filesystem;

bool IsImage(const fs::path& path) {
  std::string e = path.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), ::tolower);
  return e == ".png" || e == ".jpg" || e == ".jpeg" || e == ".bmp" ||
         e == ".webp" || e == ".tif" || e == ".tiff";
}

int ClassIndex(const std::string& name) {
  for (int i = 0; i < ocr::kDigitClassCount; ++i) {
    if (name == ocr::kDigitClasses[i]) return i;
  }
  return -1;
}

double Share(int a, int b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }

DigitCropResult ReadCrop(const ocr::DigitClassifier& model,
                         const DigitCrop& crop) {
  DigitCropResult result;
  result.crop = &crop;
  ocr::DecodeLimits limits;
  limits.min_side = 8;  // crops are small
  absl::StatusOr<std::string> bytes = ocr::ReadPhotoFile(crop.file, limits);
  absl::StatusOr<cv::Mat> image =
      bytes.ok() ? ocr::DecodePhoto(*bytes, limits) : bytes.status();
  if (!image.ok()) {
    result.error = std::string(image.status().message());
    return result;
  }
  result.reading = model.Classify(*image);
  result.accepted = model.Accepts(result.reading);
  return result;
}

}  // namespace

std::vector<DigitCrop> DigitCropsIn(const std::string& dir) {
  std::vector<DigitCrop> crops;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && IsImage(entry.path())) {
      crops.push_back({entry.path().string(), -1});
    } else if (entry.is_directory()) {
      const int label = ClassIndex(entry.path().filename().string());
      if (label < 0) continue;
      for (const auto& inner : fs::directory_iterator(entry.path(), error)) {
        if (inner.is_regular_file() && IsImage(inner.path())) {
          crops.push_back({inner.path().string(), label});
        }
      }
    }
  }
  std::sort(
      crops.begin(), crops.end(),
      [](const DigitCrop& a, const DigitCrop& b) { return a.file < b.file; });
  return crops;
}

double DigitTally::Top1() const { return Share(right, boxes); }
double DigitTally::AcceptedShare() const { return Share(accepted, boxes); }
double DigitTally::AcceptedError() const {
  return Share(wrong_accepted, accepted);
}

nlohmann::json DigitTally::Json() const {
  return {{"boxes", boxes},
          {"top1", Top1()},
          {"accepted_share", AcceptedShare()},
          {"wrong_accepted", wrong_accepted},
          {"accepted_error", AcceptedError()}};
}

nlohmann::json DigitSetScore::Json() const {
  nlohmann::json out = all.Json();
  out["unreadable"] = unreadable;
  for (int c = 0; c < ocr::kDigitClassCount; ++c) {
    if (by_class[c].boxes > 0) {
      out["classes"][ocr::kDigitClasses[c]] = by_class[c].Json();
    }
  }
  return out;
}

std::string DigitSetScore::Table() const {
  std::string out = "class  boxes   top1  accepted  wrong_accepted  error\n";
  auto row = [&](const std::string& name, const DigitTally& t) {
    absl::StrAppend(
        &out, absl::StrFormat("%-6s %5d  %.4f  %.4f    %6d   %.5f\n", name,
                              t.boxes, t.Top1(), t.AcceptedShare(),
                              t.wrong_accepted, t.AcceptedError()));
  };
  for (int c = 0; c < ocr::kDigitClassCount; ++c) {
    if (by_class[c].boxes > 0) row(ocr::kDigitClasses[c], by_class[c]);
  }
  row("all", all);
  return out;
}

DigitSetScore ScoreDigitCrops(
    const ocr::DigitClassifier& model, const std::vector<DigitCrop>& crops,
    const std::function<void(const DigitCropResult&)>& each) {
  std::vector<DigitCropResult> results(crops.size());
  auto work = [&](size_t first) {
    for (size_t i = first; i < crops.size(); i += 2) {
      results[i] = ReadCrop(model, crops[i]);
    }
  };
  std::thread other(work, 1);
  work(0);
  other.join();
  DigitSetScore score;
  for (const DigitCropResult& r : results) {
    if (each) each(r);
    if (!r.error.empty() || !r.reading.error.empty()) ++score.unreadable;
    if (r.crop->truth < 0) continue;
    const int read = ClassIndex(r.reading.cls);
    const bool right =
        r.error.empty() && ocr::ClassesAgree(r.crop->truth, read);
    for (DigitTally* t : {&score.all, &score.by_class[r.crop->truth]}) {
      ++t->boxes;
      t->right += right;
      t->accepted += r.accepted;
      t->wrong_accepted += r.accepted && !right;
    }
  }
  return score;
}

CandidateVerdict JudgeCandidate(const DigitSetScore& current,
                                const DigitSetScore& candidate) {
  CandidateVerdict verdict;
  const DigitTally& a = current.all;
  const DigitTally& b = candidate.all;
  if (b.wrong_accepted > a.wrong_accepted) {
    verdict.reasons.push_back(
        absl::StrFormat("accepts %d wrong boxes, the current model %d",
                        b.wrong_accepted, a.wrong_accepted));
  }
  if (b.AcceptedShare() < a.AcceptedShare() - 0.01) {
    verdict.reasons.push_back(
        absl::StrFormat("accepts %.2f%% of the boxes, the current model %.2f%%",
                        100 * b.AcceptedShare(), 100 * a.AcceptedShare()));
  }
  for (int c = 0; c < ocr::kDigitClassCount; ++c) {
    const DigitTally& x = current.by_class[c];
    const DigitTally& y = candidate.by_class[c];
    if (x.boxes > 0 && y.Top1() < x.Top1() - 0.02) {
      verdict.reasons.push_back(absl::StrFormat(
          "reads %s right %.2f%% of the time, the current model %.2f%%",
          ocr::kDigitClasses[c], 100 * y.Top1(), 100 * x.Top1()));
    }
  }
  verdict.no_worse = verdict.reasons.empty();
  if (verdict.no_worse) {
    verdict.reasons.push_back(absl::StrFormat(
        "wrong accepted %d -> %d, accepted %.2f%% -> %.2f%%, top-1 %.2f%% -> "
        "%.2f%%",
        a.wrong_accepted, b.wrong_accepted, 100 * a.AcceptedShare(),
        100 * b.AcceptedShare(), 100 * a.Top1(), 100 * b.Top1()));
  }
  return verdict;
}

}  // namespace c1tally::c1ctl
