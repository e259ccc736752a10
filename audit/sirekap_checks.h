// Checks of Sirekap's records against themselves: the arithmetic every
// C.HASIL-PPWP form must satisfy (../shared/DOMAIN.md), applied to what
// Sirekap published, and region aggregates against their children.
//
// Issue kinds (the names are part of `c1ctl audit sirekap check --json`):
//   chart_sum_mismatch   sum of the candidate votes != suara_sah
//   total_mismatch       suara_sah + suara_tidak_sah != suara_total
//   incomplete           chart or administrasi missing, or a candidate or
//                        one of suara_sah/suara_tidak_sah/suara_total absent
//   votes_above_voters   the votes shown exceed the voters who could vote:
//                        V > pemilih_dpt_j + pengguna_dptb_j +
//                        pengguna_non_dpt_j (the form's C <= DPT + DPTb +
//                        DPK), where V is the largest of suara_total,
//                        suara_sah + suara_tidak_sah and chart sum +
//                        suara_tidak_sah that the record has (each is a
//                        count of ballots in the box, so any one above the
//                        voters is impossible)
//   above_tps_capacity   V or any single count above kTpsBallotCapacity:
//                        no TPS has more than 300 voters on its roll plus
//                        2% spare ballots, so such a number is a misreading
//                        (2024: 62 shown as 941) even when the record has
//                        no voter counts to compare with
//   voters_mismatch      suara_total != pengguna_total_j (C = the voters
//                        who used their right)
//   voters_sum_mismatch  pengguna_dpt_j + pengguna_dptb_j +
//                        pengguna_non_dpt_j != pengguna_total_j
//   gender_sum_mismatch  laki-laki + perempuan != jumlah for any voter count
//   party_sum_mismatch   legislative races with parties: a party's
//                        jml_suara_total != jml_suara_partai + the sum of
//                        its caleg block (also on each row of a dapil
//                        aggregate)
// For those races chart_sum_mismatch is the sum of the party totals !=
// suara_sah (DPD: the sum of the candidates, as for ppwp), and incomplete
// names the party totals and caleg blocks missing.
// Region aggregates:
//   aggregate_sum_mismatch    a candidate's (a party's) total in the chart
//                             != the sum of the table's rows
//   aggregate_child_mismatch  a table row != the child's own record (TPS or
//                             region), where both have votes
// Against the reference data (audit/sirekap_ballot_checks.h):
//   dapil_mismatch   kode_dapil != the dapil our TPS -> dapil map gives
//   unknown_party    a party block of a party not on the dapil's ballot
//   not_on_ballot    a candidate not on the dapil's ballot (or under
//                    another party than the one the candidate stands for)
// A rule is checked only when the record has every number it names: what
// Sirekap left null is not 0. Published data is flagged, never refused.
#ifndef C1TALLY_AUDIT_SIREKAP_CHECKS_H_
#define C1TALLY_AUDIT_SIREKAP_CHECKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "audit/sirekap_race.h"
#include "c1tally/v1/audit.pb.h"

namespace c1tally {

namespace sirekap_issue {
inline constexpr char kChartSumMismatch[] = "chart_sum_mismatch";
inline constexpr char kTotalMismatch[] = "total_mismatch";
inline constexpr char kIncomplete[] = "incomplete";
inline constexpr char kVotesAboveVoters[] = "votes_above_voters";
inline constexpr char kAboveTpsCapacity[] = "above_tps_capacity";
inline constexpr char kVotersMismatch[] = "voters_mismatch";
inline constexpr char kVotersSumMismatch[] = "voters_sum_mismatch";
inline constexpr char kGenderSumMismatch[] = "gender_sum_mismatch";
inline constexpr char kAggregateSumMismatch[] = "aggregate_sum_mismatch";
inline constexpr char kAggregateChildMismatch[] = "aggregate_child_mismatch";
inline constexpr char kPartySumMismatch[] = "party_sum_mismatch";
inline constexpr char kDapilMismatch[] = "dapil_mismatch";
inline constexpr char kUnknownParty[] = "unknown_party";
inline constexpr char kNotOnBallot[] = "not_on_ballot";
}  // namespace sirekap_issue

// Ballots one TPS can have: 300 voters on the roll plus 2% spare.
inline constexpr int64_t kTpsBallotCapacity = 306;

struct SirekapIssue {
  // A sirekap_issue::k* name.
  std::string kind;
  // The numbers involved, for people ("chart sum 1223 != suara_sah 185").
  std::string detail;
};

// Every issue kind, in the order above (reports list them so).
const std::vector<std::string>& SirekapIssueKinds();

// The issues of one per-TPS record, each kind at most once, in the order
// above.
std::vector<SirekapIssue> CheckTpsRecord(const v1::SirekapRecord& record,
                                         const SirekapRace& race);

// The issues of one region aggregate on its own (aggregate_sum_mismatch),
// or of one dapil aggregate (party_sum_mismatch).
std::vector<SirekapIssue> CheckAggregateRecord(const v1::SirekapRecord& record);

// Candidate votes as (candidate id, votes) in id order: a compact copy of a
// chart, for checks that must remember many records. Candidate ids are
// digits (the parser refuses others).
using CandidateVotes = absl::InlinedVector<std::pair<int64_t, int64_t>, 3>;
CandidateVotes VotesOf(
    const google::protobuf::Map<std::string, int64_t>& chart);
// A record's chart as its region's table row has it: the candidates, or
// (races with parties) each party's published total by party id.
CandidateVotes ChartVotesOf(const v1::SirekapRecord& record);

// Compares `parent`'s table row for `child_code` with `child`, the child's
// own candidate votes. nullopt when they agree or either side has no votes.
std::optional<SirekapIssue> CheckChildRow(const v1::SirekapRecord& parent,
                                          const std::string& child_code,
                                          const CandidateVotes& child);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_CHECKS_H_
