#include "audit/sirekap_importer.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "audit/sirekap_files.h"
#include "audit/sirekap_parser.h"
#include "storage/status_macros.h"

namespace c1tally {

std::string SirekapImportReport::ToString() const {
  std::string text = absl::StrCat(
      "files=", files, " imported=", imported, " unchanged=", unchanged,
      " rejected=", rejected.size(), " not_in_tree=", not_in_tree, "\n");
  for (const auto& [path, reason] : rejected) {
    absl::StrAppend(&text, "rejected ", path, ": ", reason, "\n");
  }
  for (const std::string& code : not_in_tree_samples) {
    absl::StrAppend(&text, "not in the region tree (imported): ", code, "\n");
  }
  return text;
}

SirekapImporter::SirekapImporter(SirekapStore* store, absl::Time fetch_time,
                                 std::string default_race)
    : store_(store),
      tree_(store->database()),
      fetch_time_(fetch_time),
      default_race_(std::move(default_race)) {
  std::unique_ptr<rocksdb::Iterator> it =
      store->database()->NewIterator(Family::kTps);
  it->SeekToFirst();
  tree_known_ = it->Valid();
}

void SirekapImporter::NoteIfNotInTree(
    const std::optional<std::string>& placed) {
  if (!tree_known_ || !placed) return;
  const std::string& text = *placed;
  absl::StatusOr<RegionCode> code = RegionCode::Parse(text);
  const absl::Status found = !code.ok()       ? code.status()
                             : code->is_tps() ? tree_.GetTps(*code).status()
                                              : tree_.GetRegion(*code).status();
  if (found.ok()) return;
  ++report_.not_in_tree;
  if (report_.not_in_tree_samples.size() < SirekapImportReport::kMaxSamples) {
    report_.not_in_tree_samples.push_back(text);
  }
}

absl::Status SirekapImporter::AddText(const std::string& path,
                                      absl::string_view json) {
  absl::StatusOr<SirekapLocation> where =
      LocateSirekapFile(path, default_race_);
  if (!where.ok()) return Queue(path, where.status());
  absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(json, *where);
  if (record.ok()) record->set_raw_json(std::string(json));
  return Queue(path, std::move(record));
}

absl::Status SirekapImporter::AddFile(const std::string& path) {
  return Queue(path, LoadSirekapFile(path, default_race_, /*keep_raw=*/true));
}

absl::Status SirekapImporter::Queue(const std::string& path,
                                    absl::StatusOr<v1::SirekapRecord> record) {
  ++report_.files;
  if (!record.ok()) {
    report_.rejected.emplace_back(path, std::string(record.status().message()));
    return absl::OkStatus();
  }
  queued_.push_back(*std::move(record));
  queued_paths_.push_back(path);
  return queued_.size() >= kBatch ? Flush() : absl::OkStatus();
}

absl::Status SirekapImporter::Flush() {
  if (queued_.empty()) return absl::OkStatus();
  // The region or TPS of each record; "" for a dapil aggregate, which the
  // region tree does not place.
  std::vector<std::optional<std::string>> codes;
  codes.reserve(queued_.size());
  for (const v1::SirekapRecord& record : queued_) {
    codes.push_back(record.dapil_aggregate()
                        ? std::nullopt
                        : std::optional<std::string>(record.code()));
  }
  absl::StatusOr<std::vector<SirekapStore::Outcome>> outcomes =
      store_->Store(std::move(queued_), fetch_time_);
  queued_.clear();
  if (!outcomes.ok()) return outcomes.status();
  for (size_t i = 0; i < outcomes->size(); ++i) {
    switch ((*outcomes)[i]) {
      case SirekapStore::Outcome::kNew:
        ++report_.imported;
        NoteIfNotInTree(codes[i]);
        break;
      case SirekapStore::Outcome::kUnchanged:
        ++report_.unchanged;
        NoteIfNotInTree(codes[i]);
        break;
      case SirekapStore::Outcome::kConflict:
        report_.rejected.emplace_back(
            queued_paths_[i],
            "another record of the same TPS or region for this fetch time "
            "says something else");
        break;
    }
  }
  queued_paths_.clear();
  return absl::OkStatus();
}

absl::StatusOr<SirekapImportReport> SirekapImporter::Finish() {
  RETURN_IF_ERROR(Flush());
  return report_;
}

}  // namespace c1tally
