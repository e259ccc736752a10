// c1ctl ocr model: the installed digit models, and the loop that learns
// from volunteers.
//
//   c1ctl ocr model show [--models_dir DIR]
//       the version in use, the ones installed and the figures the current
//       one was chosen on
//   c1ctl ocr model install DESCRIPTOR --models_dir DIR
//       installs a model; readers of DIR switch to it without a restart
//   c1ctl ocr model compare DESCRIPTOR [--models_dir DIR] [--eval_set DIR]
//       the candidate against the current model on the frozen evaluation
//       set; exit 0 when it is no worse, 3 when it is
//   c1ctl ocr model retrain --data DATA --models_dir DIR [--eval_set DIR]
//       exports the boxes people verified (read-only, beside a live
//       server), trains a candidate on them (tools/train_digits/train.sh),
//       compares it with the current model and installs it only when it is
//       no worse
//
// The frozen evaluation set (default DIR/eval) is made by the first
// retrain: the test writers' and held-out MNIST boxes of that run and the
// verified crops that training never sees (a fifth, by content hash; see
// tools/train_digits/box_sets.h). Later verified crops of that fifth join
// it; nothing else changes it.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_model_store.h"
#include "storage/file_bytes.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"
#include "storage/training_crops.h"
#include "tools/c1ctl/command.h"
#include "tools/c1ctl/digit_set.h"
#include "tools/train_digits/box_sets.h"

ABSL_FLAG(std::string, models_dir, "",
          "ocr model: the models folder (default: the committed models)");
ABSL_FLAG(std::string, eval_set, "",
          "ocr model: the frozen evaluation set (default: <models_dir>/eval)");
ABSL_FLAG(std::string, train_script, C1TALLY_TRAIN_SCRIPT,
          "ocr model retrain: the training script");
ABSL_FLAG(std::string, train_args, "",
          "ocr model retrain: more arguments for the training script "
          "(e.g. --epochs=4)");

namespace c1tally::c1ctl {
namespace {

namespace fs = std::filesystem;

std::string ModelsDir() {
  return absl::GetFlag(FLAGS_models_dir).empty()
             ? ocr::DigitClassifier::DefaultModelPath()
             : absl::GetFlag(FLAGS_models_dir);
}

std::string EvalSet() {
  return absl::GetFlag(FLAGS_eval_set).empty() ? ModelsDir() + "/eval"
                                               : absl::GetFlag(FLAGS_eval_set);
}

int Show() {
  const std::string dir = ModelsDir();
  absl::StatusOr<std::string> current =
      ocr::DigitModelStore::CurrentVersion(dir);
  if (!current.ok()) return Fail(current.status());
  absl::StatusOr<ocr::DigitClassifier> model = ocr::DigitClassifier::Load(dir);
  if (!model.ok()) return Fail(model.status());
  std::cout << "current: " << *current << " (threshold "
            << model->accept_threshold() << ", temperature "
            << model->temperature() << ")\ninstalled:";
  for (const std::string& v : ocr::DigitModelStore::Versions(dir)) {
    std::cout << " " << v;
  }
  const nlohmann::json d = nlohmann::json::parse(
      ReadFileBytes(dir + "/" + *current + ".json").value_or(""), nullptr,
      false);
  std::cout << "\n";
  if (d.contains("figures") && d["figures"].contains("test")) {
    const nlohmann::json& t = d["figures"]["test"];
    std::cout << absl::StrFormat(
        "chosen on its test writers: top1=%.4f accepted=%.4f "
        "accepted_error=%.5f\n",
        t.value("top1", 0.0), t.value("accepted_share", 0.0),
        t.value("accepted_error", 0.0));
  }
  return 0;
}

int Install(const std::string& descriptor) {
  if (absl::GetFlag(FLAGS_models_dir).empty()) {
    std::cerr << "c1ctl: ocr model install needs --models_dir DIR (the "
                 "folder readers follow)\n";
    return 2;
  }
  if (absl::Status s = ocr::DigitModelStore::Install(descriptor, ModelsDir());
      !s.ok()) {
    return Fail(s);
  }
  std::cout << "installed " << descriptor << " as the current model of "
            << ModelsDir() << "\n";
  return 0;
}

// Scores the current model and the candidate on the evaluation set and
// prints both; sets `verdict`.
absl::Status Compare(const std::string& candidate_path,
                     CandidateVerdict* verdict) {
  const std::vector<DigitCrop> crops = DigitCropsIn(EvalSet());
  int labelled = 0;
  for (const DigitCrop& c : crops) labelled += c.truth >= 0;
  if (labelled == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no labelled crops in the evaluation set ", EvalSet()));
  }
  ASSIGN_OR_RETURN(ocr::DigitClassifier current,
                   ocr::DigitClassifier::Load(ModelsDir()));
  absl::StatusOr<ocr::DigitClassifier> candidate =
      ocr::DigitClassifier::Load(candidate_path);
  if (!candidate.ok()) return candidate.status();
  const DigitSetScore before = ScoreDigitCrops(current, crops);
  const DigitSetScore after = ScoreDigitCrops(*candidate, crops);
  std::cout << "evaluation set " << EvalSet() << ": " << labelled
            << " labelled boxes\ncurrent " << current.version() << ":\n"
            << before.Table() << "candidate " << candidate->version() << ":\n"
            << after.Table();
  *verdict = JudgeCandidate(before, after);
  std::cout << (verdict->no_worse ? "candidate is no worse"
                                  : "candidate is worse");
  for (const std::string& reason : verdict->reasons) {
    std::cout << "\n  " << reason;
  }
  std::cout << "\n";
  return absl::OkStatus();
}

int RunCompare(const std::string& candidate) {
  CandidateVerdict verdict;
  if (absl::Status s = Compare(candidate, &verdict); !s.ok()) return Fail(s);
  return verdict.no_worse ? 0 : 3;
}

// Copies the PNG crops of `from` (<class>/*.png) into `to`/<class>/, only
// those `keep` accepts, under names made of their content hash (so a crop
// is never there twice). Returns how many were new.
template <typename Keep>
int CopyCrops(const std::string& from, const std::string& to, Keep keep) {
  int copied = 0;
  std::error_code error;
  for (const DigitCrop& crop : DigitCropsIn(from)) {
    if (crop.truth < 0) continue;
    const std::string bytes = ReadFileBytes(crop.file).value_or("");
    if (!keep(bytes)) continue;
    const fs::path folder = fs::path(to) / ocr::kDigitClasses[crop.truth];
    fs::create_directories(folder, error);
    const fs::path target =
        folder / (ToHex(Sha256(bytes)).substr(0, 16) + ".png");
    if (fs::exists(target) ||
        !WriteFileAtomically(target.string(), bytes).ok()) {
      continue;
    }
    ++copied;
  }
  return copied;
}

// The test crops of a training run's work folder (train_digits render
// writes them in test-crops/{traced,freehand,marks}).
int CopyRenderedTestCrops(const std::string& work, const std::string& to) {
  int copied = 0;
  for (const char* kind : {"traced", "freehand", "marks"}) {
    copied += CopyCrops(absl::StrCat(work, "/test-crops/", kind), to,
                        [](const std::string&) { return true; });
  }
  return copied;
}

int Retrain() {
  if (absl::GetFlag(FLAGS_models_dir).empty()) {
    std::cerr << "c1ctl: ocr model retrain needs --models_dir DIR (the "
                 "folder readers follow)\n";
    return 2;
  }
  const std::string models = ModelsDir();
  absl::StatusOr<std::string> current =
      ocr::DigitModelStore::CurrentVersion(models);
  if (!current.ok()) return Fail(current.status());
  const std::string version = absl::StrCat(
      "digits-v3-r",
      absl::FormatTime("%Y%m%d%H%M%S", absl::Now(), absl::UTCTimeZone()));
  const std::string work = models + "/work/" + version;
  std::error_code error;
  fs::create_directories(work + "/crops", error);
  // 1. What people verified, from the live data (read-only).
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  absl::StatusOr<int> exported =
      ExportTrainingCrops(db->get(), work + "/crops");
  if (!exported.ok()) return Fail(exported.status());
  std::cout << "retrain: " << *exported << " verified boxes\n";
  // 2. A candidate trained on them (a fifth stays out, by content hash),
  // with the train_digits built beside this binary: the script would
  // otherwise build the project first.
  std::error_code no_link;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", no_link);
  const std::string bin =
      no_link ? "" : absl::StrCat(" --bin=", self.parent_path().string());
  const std::string command = absl::StrCat(
      absl::GetFlag(FLAGS_train_script), bin, " --version=", version,
      " --out=", work, "/candidate --work=", work, "/data --extra=", work,
      "/crops ", absl::GetFlag(FLAGS_train_args), " > ", work,
      "/train.log 2>&1");
  std::cout << "retrain: training " << version << " (log: " << work
            << "/train.log)\n"
            << std::flush;
  if (std::system(command.c_str()) != 0) {
    return Fail(absl::InternalError(
        absl::StrCat("training failed; see ", work, "/train.log")));
  }
  // 3. The frozen evaluation set: made once, from this run's test boxes;
  // verified crops kept out of training join it.
  const std::string eval = EvalSet();
  if (!fs::exists(eval)) {
    const int rendered = CopyRenderedTestCrops(work + "/data", eval);
    std::cout << "retrain: new evaluation set " << eval << " with " << rendered
              << " rendered boxes\n";
  }
  const int frozen = CopyCrops(work + "/crops", eval, [](const std::string& b) {
    return train_digits::IsFrozenEvaluationCrop(b);
  });
  std::cout << "retrain: " << frozen
            << " verified boxes joined the evaluation set\n";
  // The rendered boxes (a few hundred MB) are not kept; the candidate, its
  // log and the crops are.
  for (const char* split : {"train", "calib", "test"}) {
    for (const char* part : {".inputs", ".labels", ".kinds"}) {
      fs::remove(absl::StrCat(work, "/data/", split, part), error);
    }
  }
  // 4. Installed only when no worse.
  CandidateVerdict verdict;
  if (absl::Status s =
          Compare(work + "/candidate/" + version + ".json", &verdict);
      !s.ok()) {
    return Fail(s);
  }
  if (!verdict.no_worse) {
    std::cout << "retrain: " << version << " not installed; " << *current
              << " stays\n";
    return 3;
  }
  return Install(work + "/candidate/" + version + ".json");
}

}  // namespace

int RunOcrModel(const std::vector<std::string>& args) {
  const std::string verb = args.size() >= 2 ? args[1] : "";
  if (verb == "show" && args.size() == 2) return Show();
  if (verb == "install" && args.size() == 3) return Install(args[2]);
  if (verb == "compare" && args.size() == 3) return RunCompare(args[2]);
  if (verb == "retrain" && args.size() == 2) return Retrain();
  std::cerr << "c1ctl: usage: c1ctl ocr model show | install DESCRIPTOR | "
               "compare DESCRIPTOR | retrain --data DATA  [--models_dir DIR] "
               "[--eval_set DIR]\n";
  return 2;
}

}  // namespace c1tally::c1ctl
