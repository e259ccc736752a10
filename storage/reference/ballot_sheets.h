// BallotSheets: the sheets of a legislative plano as people type them in
// (docs/LEGISLATIVE.md "People read legislative photos"): page 1, the
// administration counts; then page 2 of each party in ballot order, with
// its party-only votes, one row per candidate and the party's total
// (KawalPemilu's 2019 spec numbers them 2.1, 2.2, ...); DPD has one page 2
// of candidates. Labels come from the TPS's form kind (ballot_form.h).
//
// Pure functions but SheetsOfTps, which reads the reference data through
// RaceForms. Thread-safe.
#ifndef C1TALLY_STORAGE_REFERENCE_BALLOT_SHEETS_H_
#define C1TALLY_STORAGE_REFERENCE_BALLOT_SHEETS_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/reference.pb.h"
#include "c1tally/v1/resources.pb.h"
#include "c1tally/v1/review.pb.h"
#include "storage/reference/race_forms.h"
#include "storage/region_code.h"

namespace c1tally {

// The sheets of `kind`, the form kind of a TPS in a legislative race
// (RaceForms::For), whose dapil has `ballot`; `parties` name the party
// sheets (by id; the id alone when missing).
std::vector<v1::ReviewSheet> BallotSheets(
    const v1::FormKind& kind, const v1::Ballot& ballot,
    const std::map<int32_t, v1::Party>& parties);

// The sheets of every legislative race in which `tps` has a dapil with a
// ballot, race by race (kLegislativeRaces' order). A race without one is
// left out; a read error fails the call.
absl::StatusOr<std::vector<v1::ReviewSheet>> SheetsOfTps(const RaceForms& forms,
                                                         const RegionCode& tps);

// The sheet of `race`, `page` and `party` among `sheets`, or nullptr.
const v1::ReviewSheet* FindSheet(const std::vector<v1::ReviewSheet>& sheets,
                                 absl::string_view race, int32_t page,
                                 int32_t party);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_BALLOT_SHEETS_H_
