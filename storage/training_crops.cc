#include "storage/training_crops.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "storage/review_store.h"

namespace c1tally {
namespace {

// A field task whose number people settled, with its digit boxes.
bool IsSettledNumber(const storage::StoredReviewTask& stored) {
  const v1::ReviewTask& task = stored.task();
  const v1::ReviewEntry& outcome = stored.outcome();
  return ReviewStore::IsSettled(task) &&
         task.kind() == v1::ReviewTask::KIND_FIELD &&
         outcome.verdict() == v1::ReviewEntry::VERDICT_VALUE &&
         outcome.values().contains(task.field());
}

absl::Status WriteBox(const std::string& dir, const std::string& name,
                      const std::string& png) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  const std::string path = absl::StrCat(dir, "/", name);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << png;
  if (!file.good()) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> ExportTrainingCrops(Database* db,
                                        const std::string& out_dir) {
  int written = 0;
  absl::Status status = ReviewStore::ForEachTask(
      db,
      [&](const std::string& key,
          const storage::StoredReviewTask& stored) -> absl::Status {
        if (!IsSettledNumber(stored)) return absl::OkStatus();
        const std::string digits =
            absl::StrCat(stored.outcome().values().at(stored.task().field()));
        const int boxes = stored.box_png_size();
        if (digits == "0" || static_cast<int>(digits.size()) > boxes) {
          return absl::OkStatus();
        }
        // The number's digits are its last boxes.
        for (size_t d = 0; d < digits.size(); ++d) {
          const int box = boxes - static_cast<int>(digits.size()) + d;
          absl::Status wrote = WriteBox(
              absl::StrCat(out_dir, "/", digits.substr(d, 1)),
              absl::StrCat(key, "-", box, ".png"), stored.box_png(box));
          if (!wrote.ok()) return wrote;
          ++written;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return written;
}

}  // namespace c1tally
