#include "storage/file_blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " \"", path, "\": ", std::strerror(errno)));
}

// Writes all of `bytes` to `fd`.
absl::Status WriteAll(int fd, absl::string_view bytes,
                      const std::string& path) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return ErrnoError("writing", path);
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

absl::Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) return ErrnoError("opening", path);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced ? absl::OkStatus() : ErrnoError("fsync of", path);
}

// Writes `bytes` to `tmp`, fsyncs it and renames it to `path`.
absl::Status WriteDurably(const std::string& tmp, const std::string& path,
                          absl::string_view bytes) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("creating", tmp);
  absl::Status written = WriteAll(fd, bytes, tmp);
  if (written.ok() && ::fsync(fd) != 0) written = ErrnoError("fsync of", tmp);
  ::close(fd);
  if (written.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    written = ErrnoError("renaming", tmp);
  }
  if (!written.ok()) ::unlink(tmp.c_str());
  return written;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileBlobStore>> FileBlobStore::Open(
    const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create \"", dir, "\": ", error.message()));
  }
  return std::unique_ptr<FileBlobStore>(new FileBlobStore(dir));
}

absl::StatusOr<std::string> FileBlobStore::PathOf(absl::string_view key) const {
  bool hex = key.size() == 64;
  for (char c : key) hex &= absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!hex) {
    return absl::InvalidArgumentError(
        absl::StrCat("blob key \"", key, "\" is not 64 hex digits"));
  }
  return absl::StrCat(dir_, "/", key.substr(0, 2), "/", key);
}

absl::Status FileBlobStore::Put(absl::string_view key,
                                absl::string_view bytes) {
  absl::StatusOr<std::string> path = PathOf(key);
  if (!path.ok()) return path.status();
  std::error_code error;
  if (std::filesystem::exists(*path, error)) return absl::OkStatus();
  const std::string shard = std::filesystem::path(*path).parent_path();
  const bool new_shard = std::filesystem::create_directories(shard, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot create \"", shard, "\": ", error.message()));
  }
  // A new shard directory must itself be durable in its parent.
  if (new_shard) {
    RETURN_IF_ERROR(FsyncPath(dir_, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  }
  // Unique per writer, so two uploads of one photo never share a temp file.
  static std::atomic<uint64_t> counter{0};
  const std::string tmp =
      absl::StrCat(*path, ".tmp.", ::getpid(), ".", counter.fetch_add(1));
  RETURN_IF_ERROR(WriteDurably(tmp, *path, bytes));
  // The rename is durable only once the directory entry is.
  return FsyncPath(shard, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

absl::StatusOr<std::string> FileBlobStore::Get(absl::string_view key) const {
  ASSIGN_OR_RETURN(std::string path, PathOf(key));
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("blob ", key, " not found"));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace c1tally
