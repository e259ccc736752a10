// RegionPlacer: the second half of a region import (storage/region_import.h).
// Takes admitted SourceRecords (storage/source_records.h), sorts them by
// code, and for each code decides which record wins and whether its parent
// is known, and writes it to kRegions or kTps (with its kChildren entry)
// when it is new or changed.
//
// For each code:
//   * the first record that is not a TPS CSV reference wins; every other
//     record of the code with another name, or with another non-zero KPU
//     id, is a name_conflict (the winner is written all the same). A code
//     with only references places nothing;
//   * the parent must be stored already or placed earlier in this
//     placement; else the record is an orphan, not written, and so is
//     every record below it;
//   * a new record is added; a stored region is updated when its name or
//     KPU id changed (an id of 0 never clears one), a stored TPS when its
//     name or kind (TpsKindOf) changed; else it is unchanged. An updated
//     region keeps its child and TPS counts, which the placer never
//     computes (storage/region_counts.h does).
// Each outcome is counted per level in the report; overseas records and
// special-location TPS are noted.
//
// Sorted order puts every parent before its descendants and keeps the
// descendants of a code together, so a parent was placed by this
// placement iff it is the last code placed at its level; the placer keeps
// no more than that.
//
// Writes go through a BatchWriter: nothing is certain to be stored before
// Place() returns OK, and after a failure some whole records may be. The
// placer reads kRegions and kTps as they were when it was made, so it must
// be the only writer of the region families while it lives. Not
// thread-safe.
#ifndef C1TALLY_STORAGE_REGION_PLACER_H_
#define C1TALLY_STORAGE_REGION_PLACER_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/batch_writer.h"
#include "storage/database.h"
#include "storage/forward_reader.h"
#include "storage/import_report.h"
#include "storage/region_code.h"
#include "storage/source_records.h"

namespace c1tally {

class RegionPlacer {
 public:
  // All pointers must outlive the placer. Outcomes are added to `report`.
  RegionPlacer(Database* db, SourceRecords* records, ImportReport* report);

  RegionPlacer(const RegionPlacer&) = delete;
  RegionPlacer& operator=(const RegionPlacer&) = delete;

  // Sorts the records by code, stably, so that the records of one code
  // keep the order they were added in (the first wins); then places them
  // and writes what is still buffered. Every record must have been
  // admitted (SourceRecords::Admit). Call once. Fails only on a database
  // error.
  absl::Status Place();

  // Kelurahan placed, or given TPS, by this placement: sorted and unique.
  // (Orphans are not placed, so they are not in it.)
  const std::vector<std::string>& touched_kelurahan() const { return touched_; }

 private:
  // Places the records [begin, end), all of one code. Codes come in
  // strictly increasing order from call to call.
  absl::Status PlaceGroup(const SourceRecord* begin, const SourceRecord* end);
  // Records that this placement placed `kelurahan` or a TPS in it.
  void Touch(const std::string& kelurahan);
  // Reports the records that disagree with `winner`; returns the KPU id to
  // keep (the winner's, or the first one given with the same name).
  int64_t CheckConflicts(const SourceRecord* begin, const SourceRecord* end,
                         const SourceRecord& winner);
  // True if the parent of `code` is known; else reports an orphan.
  absl::StatusOr<bool> CheckParent(const RegionCode& code,
                                   const SourceRecord& record);
  absl::Status PlaceRegion(const RegionCode& code, const SourceRecord& record,
                           int64_t kpu_id);
  absl::Status PlaceTps(const RegionCode& code, const SourceRecord& record);

  Database* const db_;
  SourceRecords* const source_;
  ImportReport* const report_;
  ForwardReader regions_;
  ForwardReader tps_;
  BatchWriter writer_;
  // Per level (indexed by v1::RegionLevel): the last code placed, the last
  // code reported as an orphan, and the last parent looked up in the
  // database with whether it was there.
  std::array<std::string, v1::RegionLevel_ARRAYSIZE> placed_;
  std::array<std::string, v1::RegionLevel_ARRAYSIZE> orphans_;
  std::array<std::string, v1::RegionLevel_ARRAYSIZE> checked_;
  std::array<bool, v1::RegionLevel_ARRAYSIZE> stored_ = {};
  std::vector<std::string> touched_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REGION_PLACER_H_
