#include "storage/region_placer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace c1tally {

namespace problem = import_problem;

RegionPlacer::RegionPlacer(Database* db, SourceRecords* records,
                           ImportReport* report)
    : db_(db),
      source_(records),
      report_(report),
      regions_(db, Family::kRegions),
      tps_(db, Family::kTps),
      writer_(db) {}

absl::Status RegionPlacer::PlaceGroup(const SourceRecord* begin,
                                      const SourceRecord* end) {
  const SourceRecord* winner = std::find_if(
      begin, end, [](const SourceRecord& r) { return !r.reference_only; });
  if (winner == end) return absl::OkStatus();  // only TPS CSV references
  const int64_t kpu_id = CheckConflicts(begin, end, *winner);
  absl::StatusOr<RegionCode> code = RegionCode::Parse(winner->code);
  if (!code.ok()) return code.status();  // checked by Admit
  absl::StatusOr<bool> placed = CheckParent(*code, *winner);
  if (!placed.ok() || !*placed) return placed.status();
  placed_[code->level()] = code->str();
  if (code->is_overseas()) {
    report_->Add(problem::kOverseas,
                 absl::StrCat(code->str(), ": ", winner->name));
  }
  if (code->is_tps() || code->level() == v1::REGION_LEVEL_KELURAHAN) {
    Touch(code->is_tps() ? code->parent().str() : code->str());
  }
  return code->is_tps() ? PlaceTps(*code, *winner)
                        : PlaceRegion(*code, *winner, kpu_id);
}

absl::Status RegionPlacer::Place() {
  std::vector<SourceRecord>& records = source_->records;
  std::stable_sort(records.begin(), records.end(),
                   [](const SourceRecord& a, const SourceRecord& b) {
                     return a.code < b.code;
                   });
  for (size_t begin = 0; begin < records.size();) {
    size_t end = begin + 1;
    while (end < records.size() && records[end].code == records[begin].code) {
      ++end;
    }
    RETURN_IF_ERROR(PlaceGroup(records.data() + begin, records.data() + end));
    begin = end;
  }
  return writer_.Flush();
}

// Codes come in increasing order, so the list stays sorted without a sort.
void RegionPlacer::Touch(const std::string& kelurahan) {
  if (touched_.empty() || touched_.back() != kelurahan) {
    touched_.push_back(kelurahan);
  }
}

int64_t RegionPlacer::CheckConflicts(const SourceRecord* begin,
                                     const SourceRecord* end,
                                     const SourceRecord& winner) {
  int64_t kpu_id = winner.kpu_id;
  for (const SourceRecord* other = begin; other != end; ++other) {
    if (other == &winner) continue;
    std::string what;
    if (other->name != winner.name) {
      what = absl::StrCat("is named \"", other->name, "\" here but \"",
                          winner.name, "\"");
    } else if (!other->reference_only && other->kpu_id != 0) {
      if (kpu_id == 0) kpu_id = other->kpu_id;
      if (other->kpu_id != kpu_id) {
        what = absl::StrCat("has kpu_id ", other->kpu_id, " here but ", kpu_id);
      }
    }
    if (what.empty()) continue;
    report_->Add(
        problem::kNameConflict,
        absl::StrCat(source_->Origin(*other), ": ", winner.code, " ", what,
                     " in ", source_->Origin(winner), ", which is kept"));
  }
  return kpu_id;
}

absl::StatusOr<bool> RegionPlacer::CheckParent(const RegionCode& code,
                                               const SourceRecord& record) {
  const RegionCode parent = code.parent();
  if (parent.is_national()) return true;
  const int slot = parent.level();
  if (placed_[slot] == parent.str()) return true;
  if (checked_[slot] != parent.str()) {
    std::string ignored;
    absl::Status read =
        db_->Get(Family::kRegions, parent.str(), &ignored, "region");
    if (!read.ok() && !absl::IsNotFound(read)) return read;
    checked_[slot] = parent.str();
    stored_[slot] = read.ok();
  }
  if (stored_[slot]) return true;
  const bool orphan_parent = orphans_[slot] == parent.str();
  orphans_[code.level()] = code.str();
  report_->Add(
      problem::kOrphan,
      absl::StrCat(code.str(), ": parent ", parent.str(),
                   orphan_parent
                       ? " is an orphan too"
                       : " is neither in the database nor in this import",
                   " (", source_->Origin(record), ")"));
  return false;
}

absl::Status RegionPlacer::PlaceRegion(const RegionCode& code,
                                       const SourceRecord& record,
                                       int64_t kpu_id) {
  ImportReport::LevelCounts& counts = report_->at(code.level());
  std::string stored;
  ASSIGN_OR_RETURN(bool found, regions_.Find(code.str(), &stored));
  v1::Region region;
  if (found) {
    if (!region.ParseFromString(stored)) {
      return absl::DataLossError(
          absl::StrCat("stored region ", code.str(), " is unreadable"));
    }
    if (region.name() == record.name &&
        (kpu_id == 0 || region.kpu_id() == kpu_id)) {
      ++counts.unchanged;
      return absl::OkStatus();
    }
    ++counts.updated;
  } else {
    ++counts.added;
    region.set_code(code.str());
    region.set_level(code.level());
    region.set_parent(code.parent().str());
    RETURN_IF_ERROR(writer_.Put(
        Family::kChildren, keys::Child(code.parent().str(), code.str()), ""));
  }
  region.set_name(record.name);
  if (kpu_id != 0) region.set_kpu_id(kpu_id);
  RETURN_IF_ERROR(
      writer_.Put(Family::kRegions, code.str(), region.SerializeAsString()));
  return writer_.EndRecord();
}

absl::Status RegionPlacer::PlaceTps(const RegionCode& code,
                                    const SourceRecord& record) {
  ImportReport::LevelCounts& counts = report_->at(v1::REGION_LEVEL_TPS);
  const v1::TpsKind kind = TpsKindOf(code, record.name);
  if (kind == v1::TPS_KIND_SPECIAL_LOCATION) {
    report_->Add(problem::kSpecialTps,
                 absl::StrCat(code.str(), ": ", record.name));
  }
  std::string stored;
  ASSIGN_OR_RETURN(bool found, tps_.Find(code.str(), &stored));
  v1::Tps tps;
  if (found) {
    if (!tps.ParseFromString(stored)) {
      return absl::DataLossError(
          absl::StrCat("stored TPS ", code.str(), " is unreadable"));
    }
    if (tps.name() == record.name && tps.kind() == kind) {
      ++counts.unchanged;
      return absl::OkStatus();
    }
    ++counts.updated;
  } else {
    ++counts.added;
    tps.set_code(code.str());
    tps.set_parent(code.parent().str());
    RETURN_IF_ERROR(writer_.Put(
        Family::kChildren, keys::Child(code.parent().str(), code.str()), ""));
  }
  tps.set_name(record.name);
  tps.set_kind(kind);
  RETURN_IF_ERROR(
      writer_.Put(Family::kTps, code.str(), tps.SerializeAsString()));
  return writer_.EndRecord();
}

}  // namespace c1tally
