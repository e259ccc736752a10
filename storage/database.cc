#include "storage/database.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

constexpr const char* kFamilyNames[] = {
    "default",  // RocksDB's default family holds metadata
    "regions",
    "tps",
    "children",
    "results",
    "aggregates",
    "journal",
    "journal_by_tps",
    "sirekap",
    "sirekap_latest",
    "users",
    "tokens",
    "submissions",
    "submissions_by_sha",
    "submissions_by_uploader",
    "received",
    "blobs",
    "ocr_jobs",
    "review_tasks",
    "review_open",
    "volunteer_stats",
    "reference",
    "reference_history",
};
static_assert(sizeof(kFamilyNames) / sizeof(kFamilyNames[0]) ==
              static_cast<size_t>(Family::kCount));

// Marks a directory as a c1tally database and names its layout version.
constexpr char kSchemaKey[] = "c1tally.schema";
constexpr char kSchemaVersion[] = "1";

rocksdb::ColumnFamilyOptions FamilyOptions(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // Nearly every read is a point lookup by code.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.write_buffer_size = 64 << 20;
  options.compression = rocksdb::kLZ4Compression;
  return options;
}

// Photos (megabytes, already compressed) go to blob files, so compaction
// never rewrites them; only their small references live in the LSM tree.
// Used when c1tallyd runs with --photo_store=rocksdb (the default is files;
// measured in docs/ARCHITECTURE.md, Ingest).
rocksdb::ColumnFamilyOptions BlobFamilyOptions(
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options = FamilyOptions(cache);
  options.enable_blob_files = true;
  options.min_blob_size = 0;
  options.blob_file_size = 256 << 20;
  options.blob_compression_type = rocksdb::kNoCompression;
  options.enable_blob_garbage_collection = true;
  return options;
}

rocksdb::ColumnFamilyOptions OptionsFor(
    const std::string& name, const std::shared_ptr<rocksdb::Cache>& cache) {
  return name == "blobs" ? BlobFamilyOptions(cache) : FamilyOptions(cache);
}

bool IsEmptyOrMissing(const std::string& dir) {
  std::error_code error;
  if (!std::filesystem::exists(dir, error)) return true;
  return std::filesystem::is_directory(dir, error) &&
         std::filesystem::is_empty(dir, error);
}

}  // namespace

absl::Status FromRocksStatus(const rocksdb::Status& status,
                             absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(context, ": ", status.ToString());
  switch (status.code()) {
    case rocksdb::Status::kNotFound:
      return absl::NotFoundError(message);
    case rocksdb::Status::kCorruption:
      return absl::DataLossError(message);
    case rocksdb::Status::kInvalidArgument:
      return absl::InvalidArgumentError(message);
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
      return absl::UnavailableError(message);
    case rocksdb::Status::kIOError:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& dir, const Options& options) {
  const bool fresh = IsEmptyOrMissing(dir);
  if (fresh && (!options.create_if_missing || options.read_only)) {
    return absl::NotFoundError(
        absl::StrCat("no c1tally database in \"", dir, "\""));
  }
  if (!fresh &&
      !std::filesystem::exists(std::filesystem::path(dir) / "CURRENT")) {
    return absl::FailedPreconditionError(absl::StrCat(
        "\"", dir,
        "\" is not empty and holds no c1tally database; refusing to use it "
        "(point --data at an empty directory or an existing database)"));
  }

  auto database = std::unique_ptr<Database>(new Database());
  database->dir_ = dir;
  database->options_ = options;

  std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = fresh;
  db_options.create_missing_column_families = !options.read_only;
  db_options.paranoid_checks = true;
  db_options.max_background_jobs = 2;
  db_options.max_total_wal_size = 256 << 20;

  // Families already on disk, including any this version does not know.
  std::vector<std::string> existing;
  if (!fresh) {
    rocksdb::Status listed =
        rocksdb::DB::ListColumnFamilies(db_options, dir, &existing);
    if (!listed.ok()) {
      return absl::DataLossError(absl::StrCat(
          "data directory \"", dir, "\" is damaged (", listed.ToString(),
          "); refusing to start. Restore it from a backup or move it away; "
          "it is never rebuilt automatically"));
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) {
    descriptors.emplace_back(name, OptionsFor(name, cache));
  }
  for (const std::string& name : existing) {
    bool known = false;
    for (const char* ours : kFamilyNames) known |= (name == ours);
    if (!known) descriptors.emplace_back(name, FamilyOptions(cache));
  }
  if (options.read_only) {
    // A read-only open must name exactly the families on disk.
    descriptors.erase(
        std::remove_if(descriptors.begin(), descriptors.end(),
                       [&](const rocksdb::ColumnFamilyDescriptor& d) {
                         return std::find(existing.begin(), existing.end(),
                                          d.name) == existing.end();
                       }),
        descriptors.end());
  }

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &handles,
                                         &raw)
          : rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
  if (!status.ok()) {
    if (status.IsCorruption()) {
      return absl::DataLossError(absl::StrCat(
          "data directory \"", dir, "\" is corrupt (", status.ToString(),
          "); refusing to start. Restore it from a backup or move it away; "
          "it is never rebuilt automatically"));
    }
    return FromRocksStatus(status, absl::StrCat("opening \"", dir, "\""));
  }
  database->db_.reset(raw);

  database->handles_.assign(static_cast<size_t>(Family::kCount), nullptr);
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    bool known = false;
    for (size_t i = 0; i < database->handles_.size(); ++i) {
      if (handle->GetName() == kFamilyNames[i]) {
        database->handles_[i] = handle;
        known = true;
      }
    }
    if (!known) database->foreign_handles_.push_back(handle);
  }
  for (size_t i = 0; i < database->handles_.size(); ++i) {
    if (database->handles_[i] == nullptr) {
      // Only possible read-only on a database older than this version: the
      // family is empty, so reads of it may use the default family's
      // emptiness. Refuse instead of guessing.
      return absl::FailedPreconditionError(absl::StrCat(
          "database \"", dir, "\" has no column family \"", kFamilyNames[i],
          "\"; open it once read-write to upgrade it"));
    }
  }

  std::string schema;
  absl::Status read =
      database->Get(Family::kMeta, kSchemaKey, &schema, "schema marker");
  if (absl::IsNotFound(read)) {
    if (!fresh) {
      return absl::FailedPreconditionError(absl::StrCat(
          "\"", dir,
          "\" is a RocksDB database but not a c1tally one (no schema "
          "marker); refusing to use it"));
    }
    rocksdb::WriteBatch batch;
    batch.Put(database->handle(Family::kMeta), kSchemaKey, kSchemaVersion);
    RETURN_IF_ERROR(database->Write(&batch));
  } else if (!read.ok()) {
    return read;
  } else if (schema != kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("database \"", dir, "\" has layout version ", schema,
                     "; this build reads version ", kSchemaVersion));
  }
  return database;
}

Database::~Database() {
  if (db_ == nullptr) return;
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    if (handle != nullptr) db_->DestroyColumnFamilyHandle(handle);
  }
  for (rocksdb::ColumnFamilyHandle* handle : foreign_handles_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close();
}

absl::Status Database::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync_writes;
  return FromRocksStatus(db_->Write(write_options, batch), "write");
}

absl::Status Database::Get(Family family, absl::string_view key,
                           std::string* value, absl::string_view what,
                           const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  rocksdb::Status status =
      db_->Get(read_options, handle(family),
               rocksdb::Slice(key.data(), key.size()), value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(what, " not found"));
  }
  return FromRocksStatus(status, absl::StrCat("reading ", what));
}

std::unique_ptr<rocksdb::Iterator> Database::NewIterator(
    Family family, const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  return std::unique_ptr<rocksdb::Iterator>(
      db_->NewIterator(read_options, handle(family)));
}

}  // namespace c1tally
