#include "audit/sirekap_files.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "audit/sirekap_parser.h"
#include "storage/source_file.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::StatusOr<std::vector<std::string>> ExpandSirekapPaths(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      ASSIGN_OR_RETURN(std::vector<std::string> listed, JsonFilesUnder(path));
      files.insert(files.end(), listed.begin(), listed.end());
    } else if (std::filesystem::exists(path, error)) {
      files.push_back(path);
    } else {
      return absl::NotFoundError(
          absl::StrCat("no such file or folder \"", path, "\""));
    }
  }
  return files;
}

absl::StatusOr<v1::SirekapRecord> LoadSirekapFile(
    const std::string& path, absl::string_view default_race, bool keep_raw) {
  ASSIGN_OR_RETURN(SirekapLocation where,
                   LocateSirekapFile(path, default_race));
  ASSIGN_OR_RETURN(std::string text, ReadSourceFile(path));
  absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(text, where);
  if (!record.ok()) return record.status();
  if (keep_raw) record->set_raw_json(std::move(text));
  return record;
}

}  // namespace c1tally
