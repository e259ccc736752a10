#include "storage/source_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace c1tally {

bool IsJsonPath(const std::string& path) {
  return absl::EndsWithIgnoreCase(path, ".json") ||
         absl::EndsWithIgnoreCase(path, ".json.gz");
}

// zlib reads plain files unchanged, so one reader serves both
// plain and gzip-compressed sources.
absl::StatusOr<std::string> ReadSourceFile(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path, "\" is a directory, not a file"));
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("cannot open \"", path, "\": ", std::strerror(errno)));
  }
  gzbuffer(file, 1 << 18);
  std::string text;
  std::vector<char> buffer(1 << 18);
  for (;;) {
    const int read =
        gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()));
    if (read < 0) {
      int code = Z_OK;
      const std::string message = gzerror(file, &code);
      gzclose(file);
      return absl::DataLossError(
          absl::StrCat("cannot read \"", path, "\": ", message));
    }
    if (read == 0) break;
    text.append(buffer.data(), static_cast<size_t>(read));
  }
  // gzclose is what reports a gzip stream cut short (Z_BUF_ERROR).
  const int closed = gzclose(file);
  if (closed != Z_OK) {
    return absl::DataLossError(absl::StrCat(
        "\"", path, "\" is truncated or not valid gzip (zlib error ", closed,
        ")"));
  }
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.erase(0, 3);  // BOM
  return text;
}

// Every *.json(.gz) file below `dir`, in path order.
absl::StatusOr<std::vector<std::string>> JsonFilesUnder(
    const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  std::filesystem::recursive_directory_iterator it(dir, error), end;
  for (; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (it->is_regular_file(ignored) && IsJsonPath(it->path().string())) {
      files.push_back(it->path().string());
    }
  }
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot list \"", dir, "\": ", error.message()));
  }
  if (files.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no *.json files under \"", dir, "\""));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace c1tally
