// RecoverPhotos: after a restart, finishes the photos' way where a crash
// or a failed step left it between two steps.
//
// Each step of a photo is one atomic write (PhotoLifecycle), so a crash
// never leaves a half step; it can leave a photo between steps: read (or
// given its last entry) but not yet settled, because the process died
// before settling it or settling it failed. RecoverPhotos settles (or
// ends as FAILED) every READ photo whose tasks are all settled, and
// publishes every TPS with a settled photo again, which writes nothing
// where the result is already the join of its photos (and mends data of
// versions that published in a write of its own). A legislative photo
// stored but not yet handed to people (the server stopped in between) is
// handed to them.
//
// Reads every submission; meant for the start, before the services serve.
// The lifecycle and the store must outlive the call.
#ifndef C1TALLY_STORAGE_PHOTO_RECOVERY_H_
#define C1TALLY_STORAGE_PHOTO_RECOVERY_H_

#include "absl/status/statusor.h"
#include "storage/photo_lifecycle.h"
#include "storage/submission_store.h"

namespace c1tally {

// Returns how many photos it settled. Goes on past a photo or a TPS it
// cannot mend, and then returns the first such error (with how many
// failed), so that one bad photo neither hides nor blocks the others.
absl::StatusOr<int> RecoverPhotos(const SubmissionStore& submissions,
                                  PhotoLifecycle* lifecycle);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_PHOTO_RECOVERY_H_
