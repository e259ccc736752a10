// BallotForm: the form kind of a TPS in a legislative race, made from the
// race's base kind (storage/form_kinds/{race}.json: the administration
// fields and their rules) and the ballot of the TPS's dapil.
//
// Field names (docs/LEGISLATIVE.md):
//   suara_partai_{P}        votes for party P only (Sirekap jml_suara_partai)
//   suara_caleg_{C}         votes for candidate C (KPU's candidate id)
//   suara_total_partai_{P}  party P's total (jml_suara_total)
// Rules: partai_{P}: suara_total_partai_{P} = suara_partai_{P} + its
// candidates; suara_sah: the party totals (DPD: the candidates) sum to
// suara_sah. Every ballot field is required: a legislative result is stored
// whole (a blank box on the form is 0), so that every rule is checked.
#ifndef C1TALLY_STORAGE_REFERENCE_BALLOT_FORM_H_
#define C1TALLY_STORAGE_REFERENCE_BALLOT_FORM_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/reference.pb.h"
#include "c1tally/v1/resources.pb.h"

namespace c1tally {

std::string PartyOnlyField(int32_t party);
std::string CandidateField(absl::string_view candidate);
std::string PartyTotalField(int32_t party);
// The rule of party P's block.
std::string PartyRule(int32_t party);

// `base` with the fields and rules of `ballot`; labels name the party (from
// `parties`, by id; the id alone when missing) and the candidate's number
// and name. INVALID_ARGUMENT when the ballot's race differs from the
// base's, or a field would clash with one of the base.
absl::StatusOr<v1::FormKind> BallotFormKind(
    const v1::FormKind& base, const v1::Ballot& ballot,
    const std::map<int32_t, v1::Party>& parties);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_BALLOT_FORM_H_
