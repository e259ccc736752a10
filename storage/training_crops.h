// ExportTrainingCrops: the digit boxes people settled, as training data
// for the digit model (tools/train_digits --extra reads them).
//
// Writes the boxes of every field task people verified or a moderator
// resolved as `out_dir`/<class>/<task>-<box>.png. Only boxes whose class
// the number fixes: the digits of the number, not the leading boxes (X,
// blank or 0, the number cannot tell) and nothing of a 0. Reads the
// review tasks only, so it runs on a stopped server's data or beside a
// live one (a read-only Database). The Database must outlive the call.
#ifndef C1TALLY_STORAGE_TRAINING_CROPS_H_
#define C1TALLY_STORAGE_TRAINING_CROPS_H_

#include <string>

#include "absl/status/statusor.h"
#include "storage/database.h"

namespace c1tally {

// Returns the boxes written. INTERNAL when a folder or file cannot be
// written.
absl::StatusOr<int> ExportTrainingCrops(Database* db,
                                        const std::string& out_dir);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_TRAINING_CROPS_H_
