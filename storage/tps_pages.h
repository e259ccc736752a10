// Joining the settled pages of one TPS into its result.
//
// A TPS's presidential result is spread over pages: page 2 has the votes
// per candidate pair, page 3 the valid, invalid and total votes, page 1
// the voter counts. A legislative race's is spread over sheets (page 1,
// then page 2 of each party; ballot_sheets.h). Each photo, once every value on
// it is settled (by the machine or by people), is a settled submission;
// JoinSettledPages puts the pages of one TPS together. Several photos of one
// page that agree are one witness more; photos that disagree flag the TPS (both
// are kept as submissions; the earliest settled one's values stand until people
// decide). Cross-page rules (page 2's sum = suara_sah on page 3) are the
// form kind's rules, which the TallyStore checks and flags.
#ifndef C1TALLY_STORAGE_TPS_PAGES_H_
#define C1TALLY_STORAGE_TPS_PAGES_H_

#include <optional>
#include <string>
#include <vector>

#include "c1tally/v1/ingest.pb.h"
#include "c1tally/v1/resources.pb.h"

namespace c1tally {

// Flags JoinSettledPages sets.
inline constexpr char kConflictingPhotosFlag[] = "conflicting_photos";
inline constexpr char kDuplicatePhotoFlag[] = "photo_also_for_other_tps";

// The race a settled photo's values are of: its settled_form_kind, "ppwp"
// when empty.
std::string SettledRace(const v1::Submission& submission);

// The `kind` result of the TPS of `submissions` (all of one TPS, any
// state and race; only SETTLED ones of kind's race count, oldest first),
// with the values of the kind's fields (a page may have more, e.g. page
// 1's per-sex counts), or nothing while a required field of the kind is
// on no settled photo: for ppwp, until pages 2 and 3 are both settled; for
// a legislative race, until page 1 and every party's sheet are.
std::optional<v1::TpsResult> JoinSettledPages(
    const v1::FormKind& kind, const std::vector<v1::Submission>& submissions);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_TPS_PAGES_H_
