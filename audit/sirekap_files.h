// Reading Sirekap files from disk, as published (pemilu/hhcw/ppwp/... trees
// or flat folders of {code}.json), for the check and the import.
#ifndef C1TALLY_AUDIT_SIREKAP_FILES_H_
#define C1TALLY_AUDIT_SIREKAP_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/audit.pb.h"

namespace c1tally {

// The files named by `paths`: a file as it is, a folder as every
// *.json(.gz) below it in path order. Fails when a path does not exist or
// a folder holds no JSON: a wrong argument must not look like an empty
// Sirekap.
absl::StatusOr<std::vector<std::string>> ExpandSirekapPaths(
    const std::vector<std::string>& paths);

// Reads, locates (LocateSirekapFile) and parses one file. With `keep_raw`
// the record's raw_json holds the text as read. INVALID_ARGUMENT (bad
// content) and read errors both carry the reason; the caller reports them
// against the path and goes on.
absl::StatusOr<v1::SirekapRecord> LoadSirekapFile(
    const std::string& path, absl::string_view default_race, bool keep_raw);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_FILES_H_
