#include "ocr/digit_model_store.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "storage/file_bytes.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

namespace fs = std::filesystem;

}  // namespace

DigitModelStore::DigitModelStore(std::string dir, absl::Duration recheck,
                                 std::shared_ptr<const DigitClassifier> model)
    : dir_(std::move(dir)),
      recheck_(recheck),
      model_(std::move(model)),
      next_check_(absl::Now() + recheck) {}

absl::StatusOr<std::unique_ptr<DigitModelStore>> DigitModelStore::Open(
    const std::string& path, absl::Duration recheck) {
  ASSIGN_OR_RETURN(DigitClassifier model, DigitClassifier::Load(path));
  std::error_code error;
  const bool folder = fs::is_directory(path, error);
  return std::unique_ptr<DigitModelStore>(new DigitModelStore(
      folder ? path : "", recheck,
      std::make_shared<const DigitClassifier>(std::move(model))));
}

std::shared_ptr<const DigitClassifier> DigitModelStore::Current() {
  std::shared_ptr<const DigitClassifier> current;
  std::string failed;
  {
    absl::MutexLock lock(&mu_);
    if (dir_.empty() || absl::Now() < next_check_) return model_;
    next_check_ = absl::Now() + recheck_;
    current = model_;
    failed = failed_version_;
  }
  // Outside the lock: other readers keep the loaded model meanwhile.
  absl::StatusOr<std::string> named = CurrentVersion(dir_);
  if (!named.ok() || *named == current->version() || *named == failed) {
    return current;
  }
  absl::StatusOr<DigitClassifier> loaded = DigitClassifier::Load(dir_);
  absl::MutexLock lock(&mu_);
  if (!loaded.ok()) {
    failed_version_ = *named;
    last_error_ = loaded.status();
    return model_;
  }
  failed_version_.clear();
  last_error_ = absl::OkStatus();
  model_ = std::make_shared<const DigitClassifier>(*std::move(loaded));
  return model_;
}

absl::Status DigitModelStore::last_error() const {
  absl::MutexLock lock(&mu_);
  return last_error_;
}

absl::StatusOr<std::string> DigitModelStore::CurrentVersion(
    const std::string& dir) {
  ASSIGN_OR_RETURN(std::string current, ReadFileBytes(dir + "/CURRENT"));
  std::string version(absl::StripAsciiWhitespace(current));
  if (version.empty()) {
    return absl::DataLossError(absl::StrCat(dir, "/CURRENT is empty"));
  }
  return version;
}

std::vector<std::string> DigitModelStore::Versions(const std::string& dir) {
  std::vector<std::string> versions;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && absl::EndsWith(name, ".json")) {
      versions.push_back(entry.path().stem().string());
    }
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

absl::Status DigitModelStore::Install(const std::string& descriptor,
                                      const std::string& dir) {
  // Loading checks the candidate whole before anything is copied.
  ASSIGN_OR_RETURN(DigitClassifier candidate,
                   DigitClassifier::Load(descriptor));
  ASSIGN_OR_RETURN(std::string text, ReadFileBytes(descriptor));
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  const fs::path from = fs::path(descriptor).parent_path();
  const std::string version = candidate.version();
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  const std::vector<std::string> files = {j["network"].get<std::string>(),
                                          j["novelty"].get<std::string>(),
                                          version + ".json"};
  // The descriptor goes last: a folder never names a model whose files
  // are not all there.
  for (const std::string& name : files) {
    ASSIGN_OR_RETURN(
        std::string bytes,
        ReadFileBytes(
            (from / (name == files.back() ? fs::path(descriptor).filename()
                                          : fs::path(name)))
                .string()));
    const std::string target = (fs::path(dir) / name).string();
    absl::StatusOr<std::string> existing = ReadFileBytes(target);
    if (existing.ok()) {
      if (*existing != bytes) {
        return absl::AlreadyExistsError(
            absl::StrCat(dir, " already holds another model named ", version));
      }
      continue;
    }
    RETURN_IF_ERROR(WriteFileAtomically(target, bytes));
  }
  ASSIGN_OR_RETURN(
      DigitClassifier installed,
      DigitClassifier::Load((fs::path(dir) / (version + ".json")).string()));
  return WriteFileAtomically((fs::path(dir) / "CURRENT").string(),
                             version + "\n");
}

}  // namespace c1tally::ocr
