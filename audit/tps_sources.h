// The two per-TPS sources of one race below a region, side by side: our
// verified results (the `results` family) and Sirekap's latest per-TPS
// records (`sirekap_latest`), each read in code order and merged in one
// pass, so a national walk holds one TPS of each at a time. The comparison
// with Sirekap and the vote-move audit both walk it.
#ifndef C1TALLY_AUDIT_TPS_SOURCES_H_
#define C1TALLY_AUDIT_TPS_SOURCES_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "audit/sirekap_store.h"
#include "c1tally/v1/audit.pb.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"
#include "storage/region_code.h"

namespace c1tally {

// Called once per TPS either source has, in code order; either pointer may
// be null (never both). The pointees live only during the call.
using TpsSourcesVisit = std::function<absl::Status(
    const std::string& tps_code, const v1::TpsResult* ours,
    const v1::SirekapRecord* sirekap)>;

// Walks the TPS at or below `region` (a TPS walks itself) of our results
// of `form_kind` and Sirekap's records of `race`. Stops at and returns the
// first error of `visit`, or DATA_LOSS for a stored result that does not
// parse. Reads `snapshot` when given.
absl::Status ForEachTpsOfBothSources(
    Database* db, const SirekapStore& store, absl::string_view form_kind,
    absl::string_view race, const RegionCode& region,
    const TpsSourcesVisit& visit, const rocksdb::Snapshot* snapshot = nullptr);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_TPS_SOURCES_H_
