#include "audit/sirekap_files.h"

#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "audit/sirekap_parser.h"
#include "storage/source_file.h"

namespace c1tally {

absl::StatusOr<std::vector<std::string>> ExpandSirekapPaths(
    const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      absl::StatusOr<std::vector<std::string>> listed = JsonFilesUnder(path);
      if (!listed.ok()) return listed.status();
      files.insert(files.end(), listed->begin(), listed->end());
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
  absl::StatusOr<SirekapLocation> where = LocateSirekapFile(path, default_race);
  if (!where.ok()) return where.status();
  absl::StatusOr<std::string> text = ReadSourceFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(*text, *where);
  if (!record.ok()) return record.status();
  if (keep_raw) record->set_raw_json(*std::move(text));
  return record;
}

}  // namespace c1tally
