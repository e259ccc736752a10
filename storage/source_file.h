// Reading import sources from disk: whole files (plain or gzip-compressed)
// and the JSON files of a folder tree. Shared by the region importer and
// the Sirekap importer, which read the same kinds of published files.
#ifndef C1TALLY_STORAGE_SOURCE_FILE_H_
#define C1TALLY_STORAGE_SOURCE_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace c1tally {

// True for "*.json" and "*.json.gz" (any case).
bool IsJsonPath(const std::string& path);

// The whole content of a file; gzip-compressed files are decompressed
// (zlib reads plain files unchanged) and a UTF-8 BOM is dropped.
// INVALID_ARGUMENT for a directory, NOT_FOUND when it cannot be opened,
// DATA_LOSS when it is unreadable or truncated gzip.
absl::StatusOr<std::string> ReadSourceFile(const std::string& path);

// Every *.json(.gz) file below `dir`, in path order. INVALID_ARGUMENT when
// there is none, UNAVAILABLE when `dir` cannot be listed.
absl::StatusOr<std::vector<std::string>> JsonFilesUnder(const std::string& dir);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SOURCE_FILE_H_
