#include "audit/sirekap_checks.h"

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit/sirekap_record.h"

namespace c1tally {
namespace {

namespace issue = sirekap_issue;
using Count = std::optional<int64_t>;

// The page-1 voter counts that come as laki-laki / perempuan / jumlah.
constexpr const char* kGenderedCounts[] = {"pemilih_dpt", "pengguna_dpt",
                                           "pengguna_dptb", "pengguna_non_dpt",
                                           "pengguna_total"};
// The administrasi values a complete record has.
constexpr const char* kVoteTotals[] = {"suara_sah", "suara_tidak_sah",
                                       "suara_total"};

// The chart's votes: the candidates', or each party's total.
int64_t ChartSum(const v1::SirekapRecord& record) {
  int64_t sum = 0;
  for (const auto& [id, votes] : record.chart()) sum += votes;
  for (const auto& [party, votes] : record.parties()) sum += votes.total();
  return sum;
}

bool AnyPartyTotal(const v1::SirekapRecord& record) {
  return std::any_of(
      record.parties().begin(), record.parties().end(),
      [](const auto& party) { return party.second.has_total(); });
}

// True when the chart has every candidate of the race: the three pairs,
// any vote at all for DPD (whose candidates are checked against the ballot
// elsewhere), a total for every party listed.
bool ChartComplete(const v1::SirekapRecord& record, const SirekapRace& race) {
  switch (race.ballot) {
    case SirekapRace::Ballot::kPairs:
      for (const auto& [id, field] : race.candidates) {
        if (record.chart().count(id) == 0) return false;
      }
      return true;
    case SirekapRace::Ballot::kCandidates:
      return !record.chart().empty();
    case SirekapRace::Ballot::kParties:
      return !record.parties().empty() &&
             std::all_of(
                 record.parties().begin(), record.parties().end(),
                 [](const auto& party) { return party.second.has_total(); });
  }
  return false;
}

// What a record of a race with parties misses of its blocks.
void MissingPartyBlocks(const v1::SirekapRecord& record,
                        const SirekapRace& race,
                        std::vector<std::string>* missing) {
  if (!AnyPartyTotal(record)) {
    missing->push_back("chart");
  } else if (!ChartComplete(record, race)) {
    missing->push_back("some party totals");
  }
  const bool any_caleg = std::any_of(
      record.parties().begin(), record.parties().end(),
      [](const auto& party) { return !party.second.candidates().empty(); });
  const bool every_caleg = std::all_of(
      record.parties().begin(), record.parties().end(),
      [](const auto& party) { return party.second.candidates_complete(); });
  if (!any_caleg) {
    missing->push_back("caleg");
  } else if (!every_caleg) {
    missing->push_back("some candidates");
  }
}

std::optional<SirekapIssue> Incomplete(const v1::SirekapRecord& record,
                                       const SirekapRace& race) {
  std::vector<std::string> missing;
  if (race.has_parties()) {
    MissingPartyBlocks(record, race, &missing);
  } else if (record.chart().empty()) {
    missing.push_back("chart");
  } else if (!ChartComplete(record, race)) {
    missing.push_back("some candidates");
  }
  if (record.administrasi().empty()) {
    missing.push_back("administrasi");
  } else {
    for (const char* key : kVoteTotals) {
      if (!Administrasi(record, key)) missing.push_back(key);
    }
  }
  if (missing.empty()) return std::nullopt;
  return SirekapIssue{issue::kIncomplete,
                      absl::StrCat("no ", absl::StrJoin(missing, ", "))};
}

std::optional<SirekapIssue> ChartSumMismatch(const v1::SirekapRecord& record,
                                             const SirekapRace& race) {
  const Count sah = Administrasi(record, "suara_sah");
  if (!sah || !ChartComplete(record, race)) return std::nullopt;
  const int64_t sum = ChartSum(record);
  if (sum == *sah) return std::nullopt;
  return SirekapIssue{
      issue::kChartSumMismatch,
      absl::StrCat(race.has_parties() ? "sum of party totals " : "chart sum ",
                   sum, " != suara_sah ", *sah)};
}

// Each party's block (a per-TPS record's, a dapil aggregate's row):
// jml_suara_total = jml_suara_partai + its candidates, where all three are
// published in full.
std::optional<SirekapIssue> PartySumMismatch(const v1::SirekapRecord& record) {
  std::vector<std::string> broken;
  for (const auto& [party, votes] : record.parties()) {
    if (!votes.has_total() || !votes.has_party_only() ||
        !votes.candidates_complete()) {
      continue;
    }
    int64_t candidates = 0;
    for (const auto& [id, count] : votes.candidates()) candidates += count;
    if (votes.party_only() + candidates == votes.total()) continue;
    broken.push_back(absl::StrCat("partai ", party, ": jml_suara_total ",
                                  votes.total(), " != jml_suara_partai ",
                                  votes.party_only(), " + candidates ",
                                  candidates));
  }
  if (broken.empty()) return std::nullopt;
  std::sort(broken.begin(), broken.end());  // maps iterate in no fixed order
  return SirekapIssue{issue::kPartySumMismatch, absl::StrJoin(broken, "; ")};
}

std::optional<SirekapIssue> TotalMismatch(const v1::SirekapRecord& record) {
  const Count sah = Administrasi(record, "suara_sah");
  const Count tidak_sah = Administrasi(record, "suara_tidak_sah");
  const Count total = Administrasi(record, "suara_total");
  if (!sah || !tidak_sah || !total || *sah + *tidak_sah == *total) {
    return std::nullopt;
  }
  return SirekapIssue{issue::kTotalMismatch,
                      absl::StrCat("suara_sah ", *sah, " + suara_tidak_sah ",
                                   *tidak_sah, " != suara_total ", *total)};
}

// The most ballots any part of the record says were in the box (see
// votes_above_voters in the header); nullopt when it says nothing.
Count VotesShown(const v1::SirekapRecord& record) {
  const Count sah = Administrasi(record, "suara_sah");
  const int64_t tidak_sah = Administrasi(record, "suara_tidak_sah").value_or(0);
  Count votes = Administrasi(record, "suara_total");
  auto consider = [&votes](int64_t value) {
    votes = std::max(votes.value_or(0), value);
  };
  if (sah) consider(*sah + tidak_sah);
  if (HasVotes(record)) consider(ChartSum(record) + tidak_sah);
  return votes;
}

std::optional<SirekapIssue> VotesAboveVoters(const v1::SirekapRecord& record) {
  const Count dpt = Administrasi(record, "pemilih_dpt_j");
  const Count votes = VotesShown(record);
  if (!dpt || !votes) return std::nullopt;
  const int64_t voters = *dpt +
                         Administrasi(record, "pengguna_dptb_j").value_or(0) +
                         Administrasi(record, "pengguna_non_dpt_j").value_or(0);
  if (*votes <= voters) return std::nullopt;
  return SirekapIssue{
      issue::kVotesAboveVoters,
      absl::StrCat(*votes, " votes > ", voters, " voters (DPT + DPTb + DPK)")};
}

std::optional<SirekapIssue> AboveTpsCapacity(const v1::SirekapRecord& record) {
  std::vector<std::string> above;
  if (const Count votes = VotesShown(record);
      votes && *votes > kTpsBallotCapacity) {
    above.push_back(absl::StrCat(*votes, " votes"));
  }
  for (const auto& [id, votes] : record.chart()) {
    if (votes > kTpsBallotCapacity) {
      above.push_back(absl::StrCat("chart[", id, "] ", votes));
    }
  }
  for (const auto& [party, votes] : record.parties()) {
    for (const auto& [field, value] : PartyBlockValues(party, votes)) {
      if (value > kTpsBallotCapacity) {
        above.push_back(absl::StrCat(field, " ", value));
      }
    }
  }
  for (const auto& [key, value] : record.administrasi()) {
    if (value > kTpsBallotCapacity) {
      above.push_back(absl::StrCat(key, " ", value));
    }
  }
  if (above.empty()) return std::nullopt;
  std::sort(above.begin(), above.end());  // maps iterate in no fixed order
  return SirekapIssue{issue::kAboveTpsCapacity,
                      absl::StrCat(absl::StrJoin(above, ", "), " > ",
                                   kTpsBallotCapacity, " ballots per TPS")};
}

std::optional<SirekapIssue> VotersMismatch(const v1::SirekapRecord& record) {
  const Count total = Administrasi(record, "suara_total");
  const Count users = Administrasi(record, "pengguna_total_j");
  if (!total || !users || *total == *users) return std::nullopt;
  return SirekapIssue{
      issue::kVotersMismatch,
      absl::StrCat("suara_total ", *total, " != pengguna_total_j ", *users)};
}

std::optional<SirekapIssue> VotersSumMismatch(const v1::SirekapRecord& record) {
  const Count dpt = Administrasi(record, "pengguna_dpt_j");
  const Count dptb = Administrasi(record, "pengguna_dptb_j");
  const Count dpk = Administrasi(record, "pengguna_non_dpt_j");
  const Count total = Administrasi(record, "pengguna_total_j");
  if (!dpt || !dptb || !dpk || !total || *dpt + *dptb + *dpk == *total) {
    return std::nullopt;
  }
  return SirekapIssue{
      issue::kVotersSumMismatch,
      absl::StrCat("pengguna DPT ", *dpt, " + DPTb ", *dptb, " + DPK ", *dpk,
                   " != pengguna_total_j ", *total)};
}

std::optional<SirekapIssue> GenderSumMismatch(const v1::SirekapRecord& record) {
  std::vector<std::string> broken;
  for (const char* count : kGenderedCounts) {
    const Count male = Administrasi(record, absl::StrCat(count, "_l"));
    const Count female = Administrasi(record, absl::StrCat(count, "_p"));
    const Count total = Administrasi(record, absl::StrCat(count, "_j"));
    if (!male || !female || !total || *male + *female == *total) continue;
    broken.push_back(
        absl::StrCat(count, " ", *male, " + ", *female, " != ", *total));
  }
  if (broken.empty()) return std::nullopt;
  return SirekapIssue{issue::kGenderSumMismatch, absl::StrJoin(broken, "; ")};
}

std::string DescribeVotes(const CandidateVotes& votes) {
  return absl::StrJoin(votes, " ", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, entry.first, "=", entry.second);
  });
}

}  // namespace

const std::vector<std::string>& SirekapIssueKinds() {
  static const std::vector<std::string>* kinds = new std::vector<std::string>{
      issue::kChartSumMismatch,     issue::kTotalMismatch,
      issue::kIncomplete,           issue::kVotesAboveVoters,
      issue::kAboveTpsCapacity,     issue::kVotersMismatch,
      issue::kVotersSumMismatch,    issue::kGenderSumMismatch,
      issue::kAggregateSumMismatch, issue::kAggregateChildMismatch,
      issue::kPartySumMismatch,     issue::kDapilMismatch,
      issue::kUnknownParty,         issue::kNotOnBallot,
  };
  return *kinds;
}

std::vector<SirekapIssue> CheckTpsRecord(const v1::SirekapRecord& record,
                                         const SirekapRace& race) {
  std::vector<SirekapIssue> issues;
  for (std::optional<SirekapIssue> found :
       {ChartSumMismatch(record, race), TotalMismatch(record),
        Incomplete(record, race), VotesAboveVoters(record),
        AboveTpsCapacity(record), VotersMismatch(record),
        VotersSumMismatch(record), GenderSumMismatch(record),
        PartySumMismatch(record)}) {
    if (found) issues.push_back(*std::move(found));
  }
  return issues;
}

CandidateVotes ChartVotesOf(const v1::SirekapRecord& record) {
  CandidateVotes votes = VotesOf(record.chart());
  for (const auto& [party, block] : record.parties()) {
    if (block.has_total()) votes.emplace_back(party, block.total());
  }
  std::sort(votes.begin(), votes.end());
  return votes;
}

CandidateVotes VotesOf(
    const google::protobuf::Map<std::string, int64_t>& chart) {
  CandidateVotes votes;
  for (const auto& [id, count] : chart) {
    int64_t number = 0;
    if (absl::SimpleAtoi(id, &number)) votes.emplace_back(number, count);
  }
  std::sort(votes.begin(), votes.end());
  return votes;
}

std::vector<SirekapIssue> CheckAggregateRecord(
    const v1::SirekapRecord& record) {
  if (record.dapil_aggregate()) {
    std::optional<SirekapIssue> party = PartySumMismatch(record);
    if (!party) return {};
    return {*std::move(party)};
  }
  if (record.chart().empty()) return {};
  std::map<int64_t, int64_t> rows_sum;
  bool any_row = false;
  for (const auto& [child, row] : record.table()) {
    for (const auto& [id, votes] : VotesOf(row.chart())) {
      rows_sum[id] += votes;
      any_row = true;
    }
  }
  if (!any_row) return {};
  std::vector<std::string> broken;
  for (const auto& [id, votes] : VotesOf(record.chart())) {
    const int64_t sum = rows_sum[id];
    if (sum != votes) {
      broken.push_back(
          absl::StrCat("chart[", id, "] ", votes, " != sum of rows ", sum));
    }
  }
  if (broken.empty()) return {};
  return {SirekapIssue{sirekap_issue::kAggregateSumMismatch,
                       absl::StrJoin(broken, "; ")}};
}

std::optional<SirekapIssue> CheckChildRow(const v1::SirekapRecord& parent,
                                          const std::string& child_code,
                                          const CandidateVotes& child) {
  auto row = parent.table().find(child_code);
  if (row == parent.table().end() || row->second.chart().empty() ||
      child.empty()) {
    return std::nullopt;
  }
  const CandidateVotes in_parent = VotesOf(row->second.chart());
  if (in_parent == child) return std::nullopt;
  return SirekapIssue{
      sirekap_issue::kAggregateChildMismatch,
      absl::StrCat("row ", child_code, " says ", DescribeVotes(in_parent),
                   ", its own record ", DescribeVotes(child))};
}

}  // namespace c1tally
