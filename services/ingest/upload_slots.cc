#include "services/ingest/upload_slots.h"

#include "absl/strings/str_cat.h"

namespace c1tally {

absl::Status UploadSlots::Acquire() {
  absl::MutexLock lock(&mu_);
  if (limit_ > 0 && in_use_ >= limit_) {
    return absl::UnavailableError(
        absl::StrCat("the server is taking ", limit_,
                     " uploads already; retry in a moment"));
  }
  ++in_use_;
  return absl::OkStatus();
}

void UploadSlots::Release() {
  absl::MutexLock lock(&mu_);
  --in_use_;
}

int UploadSlots::in_use() const {
  absl::MutexLock lock(&mu_);
  return in_use_;
}

}  // namespace c1tally
