#include "storage/photo_recovery.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// The first error of many, and how many there were.
class Failures {
 public:
  void Add(absl::string_view what, const absl::Status& error) {
    if (error.ok()) return;
    if (count_++ == 0) {
      first_ =
          absl::Status(error.code(), absl::StrCat(what, ": ", error.message()));
    }
  }

  absl::Status status() const {
    if (count_ <= 1) return first_;
    return absl::Status(first_.code(),
                        absl::StrCat(count_,
                                     " photos or TPS could not be "
                                     "mended; the first: ",
                                     first_.message()));
  }

 private:
  int count_ = 0;
  absl::Status first_;
};

}  // namespace

absl::StatusOr<int> RecoverPhotos(const SubmissionStore& submissions,
                                  PhotoLifecycle* lifecycle) {
  std::vector<std::string> read, for_people;
  std::set<std::string> settled_tps;
  RETURN_IF_ERROR(submissions.ForEach([&](const v1::Submission& submission) {
    if (submission.state() == v1::Submission::STATE_RECEIVED &&
        ReadByPeopleOnly(submission)) {
      for_people.push_back(submission.name());
    } else if (submission.state() == v1::Submission::STATE_READ) {
      read.push_back(submission.name());
    } else if (submission.state() == v1::Submission::STATE_SETTLED) {
      settled_tps.insert(submission.tps_code());
    }
    return absl::OkStatus();
  }));
  Failures failures;
  // Stored, but the server stopped before handing them to people.
  for (const std::string& name : for_people) {
    failures.Add(absl::StrCat("handing ", name, " to people"),
                 lifecycle->HandToPeople(name).status());
  }
  int settled = 0;
  for (const std::string& name : read) {
    absl::StatusOr<v1::Submission> now = lifecycle->Settle(name);
    failures.Add(absl::StrCat("settling ", name), now.status());
    if (now.ok() && now->state() == v1::Submission::STATE_SETTLED) {
      ++settled;
      settled_tps.erase(now->tps_code());  // published as it settled
    }
  }
  for (const std::string& tps : settled_tps) {
    failures.Add(absl::StrCat("publishing TPS ", tps),
                 lifecycle->Republish(tps));
  }
  RETURN_IF_ERROR(failures.status());
  return settled;
}

}  // namespace c1tally
