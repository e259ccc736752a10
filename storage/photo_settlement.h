// Settling a read photo: what its values are once the machine's reading
// and people's review tasks are put together.
//
// A photo is settled when every value on it is: a field the machine
// accepted keeps the machine's value unless it went to people anyway
// (ReviewStore::Options::review_every_field); a field in review takes the
// outcome of its task; a whole-page task gives the page and all its values.
// Each value remembers who settled it: "machine", "people" (two or three
// agreeing volunteers) or "moderator". When people agreed that the photo
// is no usable form, it is rejected instead.
//
// Pure functions over values: no storage, thread-safe.
#ifndef C1TALLY_STORAGE_PHOTO_SETTLEMENT_H_
#define C1TALLY_STORAGE_PHOTO_SETTLEMENT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c1tally/storage/records.pb.h"
#include "c1tally/v1/ingest.pb.h"

namespace c1tally {

struct Settlement {
  enum class Outcome {
    // A task of the photo is still open: nothing to settle yet.
    kPending,
    // Every value is settled.
    kSettled,
    // People agreed that the photo is no usable form.
    kRejected,
  };
  Outcome outcome = Outcome::kPending;
  // kSettled: the page the values are of, the values by field, and who
  // settled each ("machine", "people" or "moderator").
  int page = 0;
  // The race the values are of: a legislative photo's sheet names it;
  // "" for a ppwp photo.
  std::string form_kind;
  std::map<std::string, int64_t> values;
  std::map<std::string, std::string> settled_by;
  // kRejected: why, as a remark for the photo.
  std::string remark;
};

// The settlement of `photo` (state READ, reading set) with `tasks`, its
// review tasks (ReviewStore::TasksOf). INTERNAL when a field is neither
// accepted with a value nor a task: a reading ReviewStore::AddTasks would
// have refused.
absl::StatusOr<Settlement> SettlementOf(
    const v1::Submission& photo,
    const std::vector<storage::StoredReviewTask>& tasks);

// Puts `settlement` (not kPending) on `photo`: SETTLED with its page,
// race, values and sources, or FAILED with the remark.
void ApplySettlement(const Settlement& settlement, v1::Submission* photo);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_PHOTO_SETTLEMENT_H_
