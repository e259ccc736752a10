// Views of one parsed Sirekap record: which parts it has and its numbers
// under our form kind's field names.
#ifndef C1TALLY_AUDIT_SIREKAP_RECORD_H_
#define C1TALLY_AUDIT_SIREKAP_RECORD_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "audit/sirekap_race.h"
#include "c1tally/v1/audit.pb.h"

namespace c1tally {

// What a per-TPS record holds. Sirekap published all four in 2024: the
// chart (page 2, read from the bubbles) and administrasi (pages 1 and 3)
// arrived separately, and many TPS had neither for days.
enum class SirekapState {
  kEmpty,             // chart and administrasi null (or chart {"null":null})
  kChartOnly,         // candidate votes, no administrasi
  kAdministrasiOnly,  // administrasi, no candidate votes
  kComplete,          // both
};
inline constexpr int kSirekapStateCount = 4;

SirekapState StateOf(const v1::SirekapRecord& record);
// True when the record publishes any vote: a chart entry, or (a race with
// parties) a party's total, party-only votes or a candidate's votes.
bool HasVotes(const v1::SirekapRecord& record);
// "empty", "chart_only", "administrasi_only", "complete".
absl::string_view StateName(SirekapState state);

// A dapil aggregate is keyed as race + "/d/" + kode_dapil, which no region
// or TPS code can equal (as the tally store keys its dapil aggregates).
inline constexpr char kSirekapDapilPrefix[] = "d/";
// What identifies a record within its race: its TPS or region code, or
// "d/" + its kode_dapil for a dapil aggregate. The stores' keys use it.
std::string SirekapStoredCode(const v1::SirekapRecord& record);

// An administrasi value, or nullopt when Sirekap had none.
std::optional<int64_t> Administrasi(const v1::SirekapRecord& record,
                                    absl::string_view key);

// The record's numbers keyed by the race's form kind fields
// (storage/reference/ballot_form.h for the legislative races): the chart's
// candidates under their field names (suara_paslon_1, ..., DPD's
// suara_caleg_{C}), each party's block as suara_total_partai_{P},
// suara_partai_{P} and suara_caleg_{C}, and the administrasi values under
// their own names, which our form kinds share. What Sirekap did not
// publish is absent. Empty for a race without a form kind.
std::map<std::string, int64_t> FormValues(const v1::SirekapRecord& record,
                                          const SirekapRace& race);
// One party's block under our field names (suara_total_partai_{P},
// suara_partai_{P}, suara_caleg_{C}).
std::map<std::string, int64_t> PartyBlockValues(
    int32_t party, const v1::SirekapRecord::PartyVotes& votes);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_RECORD_H_
