#include "storage/region_import.h"

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "c1tally/v1/resources.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/kpu_region_sources.h"
#include "storage/region_counts.h"
#include "storage/region_placer.h"
#include "storage/source_file.h"
#include "storage/source_records.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// Writes the national record, which no source has, unless it is stored.
absl::Status EnsureNation(Database* db, ImportReport* report) {
  std::string ignored;
  absl::Status read = db->Get(Family::kRegions, "", &ignored, "nation");
  if (!absl::IsNotFound(read)) return read;
  v1::Region nation;
  nation.set_name("Indonesia");
  nation.set_level(v1::REGION_LEVEL_NATIONAL);
  rocksdb::WriteBatch batch;
  RETURN_IF_ERROR(FromRocksStatus(
      batch.Put(db->handle(Family::kRegions), "", nation.SerializeAsString()),
      "batch"));
  ++report->at(v1::REGION_LEVEL_NATIONAL).added;
  return db->Write(&batch);
}

}  // namespace

RegionImporter::RegionImporter(Database* db)
    : db_(db), collected_(std::make_unique<SourceRecords>()) {}

RegionImporter::~RegionImporter() = default;

absl::Status RegionImporter::AddPath(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return absl::NotFoundError(absl::StrCat("\"", path, "\" does not exist"));
  }
  if (std::filesystem::is_directory(path, error) || IsJsonPath(path)) {
    return AddKpuJson(path);
  }
  ASSIGN_OR_RETURN(SourceRecords source,
                   ReadRegionCsv(path, RegionCsvKind::kEither));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

absl::Status RegionImporter::AddKpuJson(const std::string& path) {
  ASSIGN_OR_RETURN(SourceRecords source, ReadKpuRegionJson(path));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

absl::Status RegionImporter::AddWilayahCsv(const std::string& path) {
  ASSIGN_OR_RETURN(SourceRecords source,
                   ReadRegionCsv(path, RegionCsvKind::kWilayah));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

absl::Status RegionImporter::AddTpsCsv(const std::string& path) {
  ASSIGN_OR_RETURN(SourceRecords source,
                   ReadRegionCsv(path, RegionCsvKind::kTps));
  collected_->Append(std::move(source));
  return absl::OkStatus();
}

void RegionImporter::AddRegion(absl::string_view code, absl::string_view name,
                               int tingkat, int64_t kpu_id,
                               absl::string_view origin) {
  SourceRecords& source = *collected_;
  ++source.report.records_read;
  SourceRecord record;
  record.code = std::string(code);
  record.name = std::string(name);
  record.kpu_id = kpu_id;
  record.source = source.LastOrNewName(origin);
  record.tingkat = tingkat;
  source.Admit(std::move(record));
}

void RegionImporter::AddTps(absl::string_view code, absl::string_view name,
                            absl::string_view origin) {
  AddRegion(code, name, v1::REGION_LEVEL_TPS, 0, origin);
}

absl::StatusOr<ImportReport> RegionImporter::Commit() {
  if (committed_) {
    return absl::FailedPreconditionError("RegionImporter::Commit() twice");
  }
  committed_ = true;
  std::unique_ptr<SourceRecords> source = std::move(collected_);
  ImportReport report;
  report.records_read = source->report.records_read;
  report.MergeProblems(source->report);

  RegionPlacer placer(db_, source.get(), &report);
  RETURN_IF_ERROR(placer.Place());
  RETURN_IF_ERROR(EnsureNation(db_, &report));
  RETURN_IF_ERROR(RecountRegions(db_, placer.touched_kelurahan(), &report));
  return report;
}

}  // namespace c1tally
