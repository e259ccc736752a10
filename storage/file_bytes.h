// Whole files as bytes: read at once, written through a temporary file and
// one rename so that a reader never sees half a file.
#ifndef C1TALLY_STORAGE_FILE_BYTES_H_
#define C1TALLY_STORAGE_FILE_BYTES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c1tally {

// The bytes of `path`. NotFound when it cannot be opened, DataLoss when it
// cannot be read to the end.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

// Writes `bytes` to `path + ".tmp"`, then renames it onto `path`.
// Internal when either step fails (the old file, if any, stays).
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view bytes);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_FILE_BYTES_H_
