// CountTpsPerDapil: how many TPS of a part of the region tree belong to
// each dapil of a race, from the TPS -> dapil map (a TPS belongs to the
// dapil of its deepest mapped ancestor, docs/LEGISLATIVE.md) and the TPS
// counts the region tree keeps. For pdpd a TPS belongs to its province's
// dapil when that province has a DPD ballot.
//
// Nothing is stored: the count is made from the map and the tree when
// asked, so it follows a later import of either without a recount. It reads
// the map rows at and below `within` (for the nation, the race's whole map:
// a few thousand rows for pdprdk) and the TPS count of each row that
// matters to the answer.
#ifndef C1TALLY_STORAGE_REFERENCE_DAPIL_TPS_H_
#define C1TALLY_STORAGE_REFERENCE_DAPIL_TPS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/reference/reference_store.h"
#include "storage/region_code.h"
#include "storage/region_tree.h"

namespace c1tally {

// kode_dapil -> number of TPS.
using DapilTpsCounts = std::map<std::string, int64_t>;

// The TPS at or below `within` per dapil of `race` (dapil without any there are
// left out or 0), and under the key "" those in no dapil of the race. With
// `only`, just the dapil in it (and no ""): the rows of other dapil are not
// looked up. NOT_FOUND when `within` is not in the tree.
absl::StatusOr<DapilTpsCounts> CountTpsPerDapil(
    const ReferenceStore& reference, const RegionTree& tree,
    absl::string_view race, const RegionCode& within,
    const std::set<std::string>* only = nullptr,
    const rocksdb::Snapshot* snapshot = nullptr);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_DAPIL_TPS_H_
