#include "storage/reference/dapil_tps.h"

#include <vector>

#include "storage/status_macros.h"

namespace c1tally {
namespace {

// The TPS at or below `code`: 1 for a TPS, the tree's count for a region,
// 0 for a region the tree lacks (the importer places every map row, so
// only a tree imported anew could lack one).
absl::StatusOr<int64_t> TpsAt(const RegionTree& tree, const RegionCode& code,
                              const rocksdb::Snapshot* snapshot) {
  if (code.is_tps()) return 1;
  absl::StatusOr<v1::Region> region = tree.GetRegion(code, snapshot);
  if (absl::IsNotFound(region.status())) return 0;
  RETURN_IF_ERROR(region.status());
  return region->tps_count();
}

// The dapil `code` itself belongs to in `race` ("" for none).
absl::StatusOr<std::string> DapilOrNone(const ReferenceStore& reference,
                                        absl::string_view race,
                                        const RegionCode& code) {
  if (code.is_national()) return std::string();
  absl::StatusOr<std::string> dapil = reference.DapilOf(race, code);
  if (absl::IsNotFound(dapil.status())) return std::string();
  return dapil;
}

bool Wanted(const std::set<std::string>* only, const std::string& dapil) {
  return only == nullptr || only->count(dapil) > 0;
}

// pdpd has no map: each province with a DPD ballot is a dapil.
absl::StatusOr<DapilTpsCounts> CountDpd(const ReferenceStore& reference,
                                        const RegionTree& tree,
                                        const RegionCode& within,
                                        int64_t within_tps,
                                        const std::set<std::string>* only,
                                        const rocksdb::Snapshot* snapshot) {
  DapilTpsCounts counts;
  if (!within.is_national()) {
    ASSIGN_OR_RETURN(std::string dapil, DapilOrNone(reference, "pdpd", within));
    counts[dapil] = within_tps;
  } else {
    ASSIGN_OR_RETURN(std::vector<v1::Dapil> dapils,
                     reference.ListDapil("pdpd"));
    int64_t covered = 0;
    for (const v1::Dapil& dapil : dapils) {
      if (!Wanted(only, dapil.code())) continue;
      ASSIGN_OR_RETURN(RegionCode province, RegionCode::Parse(dapil.code()));
      ASSIGN_OR_RETURN(int64_t tps, TpsAt(tree, province, snapshot));
      counts[dapil.code()] = tps;
      covered += tps;
    }
    counts[""] = within_tps - covered;
  }
  if (only != nullptr) counts.erase("");
  return counts;
}

}  // namespace

absl::StatusOr<DapilTpsCounts> CountTpsPerDapil(
    const ReferenceStore& reference, const RegionTree& tree,
    absl::string_view race, const RegionCode& within,
    const std::set<std::string>* only, const rocksdb::Snapshot* snapshot) {
  int64_t within_tps = 1;
  if (within.is_tps()) {
    RETURN_IF_ERROR(tree.GetTps(within, snapshot).status());
  } else {
    ASSIGN_OR_RETURN(v1::Region region, tree.GetRegion(within, snapshot));
    within_tps = region.tps_count();
  }
  if (race == "pdpd") {
    return CountDpd(reference, tree, within, within_tps, only, snapshot);
  }
  ASSIGN_OR_RETURN(const std::string outer,
                   DapilOrNone(reference, race, within));
  ASSIGN_OR_RETURN(std::vector<ReferenceStore::Area> areas,
                   reference.ListAreas(race, within.str()));
  std::map<std::string, std::string> dapil_of;  // mapped region -> dapil
  for (const ReferenceStore::Area& area : areas) {
    dapil_of[area.region] = area.dapil;
  }
  // Every TPS starts in the dapil `within` lies in; each row moves its
  // TPS from the dapil of the nearest row above it (or that outer one)
  // to its own, so the deepest row wins.
  DapilTpsCounts counts;
  if (Wanted(only, outer)) counts[outer] = within_tps;
  for (const ReferenceStore::Area& area : areas) {
    std::string from = outer;
    for (size_t width : {size_t{10}, size_t{6}, size_t{4}, size_t{2}}) {
      if (width >= area.region.size()) continue;
      auto above = dapil_of.find(area.region.substr(0, width));
      if (above != dapil_of.end()) {
        from = above->second;
        break;
      }
    }
    if (!Wanted(only, from) && !Wanted(only, area.dapil)) continue;
    ASSIGN_OR_RETURN(RegionCode code, RegionCode::Parse(area.region));
    ASSIGN_OR_RETURN(int64_t tps, TpsAt(tree, code, snapshot));
    counts[area.dapil] += tps;
    counts[from] -= tps;
  }
  if (only != nullptr) {
    for (auto it = counts.begin(); it != counts.end();) {
      it = Wanted(only, it->first) ? std::next(it) : counts.erase(it);
    }
  }
  return counts;
}

}  // namespace c1tally
