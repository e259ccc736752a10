#include "audit/sirekap_ballot_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit/sirekap_race.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

namespace issue = sirekap_issue;

std::optional<SirekapIssue> IssueOf(const char* kind,
                                    std::vector<std::string> parts) {
  if (parts.empty()) return std::nullopt;
  std::sort(parts.begin(), parts.end());  // maps iterate in no fixed order
  return SirekapIssue{kind, absl::StrJoin(parts, "; ")};
}

// The candidates of `record` not on `party_of` (the ballot), each with the
// party block it was listed in (0: DPD's chart).
std::vector<std::string> OffBallot(
    const v1::SirekapRecord& record,
    const std::map<std::string, int32_t>& party_of) {
  std::vector<std::string> off;
  auto check = [&](const std::string& id, int32_t listed_under) {
    auto it = party_of.find(id);
    if (it == party_of.end()) {
      off.push_back(
          listed_under == 0
              ? absl::StrCat("caleg ", id)
              : absl::StrCat("caleg ", id, " of partai ", listed_under));
    } else if (it->second != listed_under) {
      off.push_back(absl::StrCat("caleg ", id, " under partai ", listed_under,
                                 ", stands for partai ", it->second));
    }
  };
  for (const auto& [id, votes] : record.chart()) check(id, 0);
  for (const auto& [party, votes] : record.parties()) {
    for (const auto& [id, count] : votes.candidates()) check(id, party);
  }
  return off;
}

}  // namespace

absl::StatusOr<const SirekapBallotChecks::Ballot*>
SirekapBallotChecks::BallotOf(const std::string& race,
                              const std::string& dapil) const {
  const auto key = std::make_pair(race, dapil);
  if (auto it = ballots_.find(key); it != ballots_.end()) return &it->second;
  Ballot ballot;
  absl::StatusOr<v1::Ballot> stored = reference_->GetBallot(race, dapil);
  if (!stored.ok() && !absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  if (stored.ok()) {
    ballot.found = true;
    for (const v1::Ballot::PartyList& list : stored->parties()) {
      ballot.parties.insert(list.party_id());
      for (const v1::Candidate& candidate : list.candidates()) {
        ballot.party_of[candidate.id()] = list.party_id();
      }
    }
  }
  return &(ballots_[key] = std::move(ballot));
}

absl::StatusOr<std::string> SirekapBallotChecks::MappedDapil(
    const v1::SirekapRecord& record) const {
  if (record.dapil_aggregate()) return "";
  ASSIGN_OR_RETURN(RegionCode tps, RegionCode::Parse(record.code()));
  absl::StatusOr<std::string> dapil = reference_->DapilOf(record.race(), tps);
  if (absl::IsNotFound(dapil.status())) return "";
  return dapil;
}

std::vector<std::string> SirekapBallotChecks::UnknownParties(
    const v1::SirekapRecord& record, const Ballot& ballot,
    const std::string& dapil) const {
  std::vector<std::string> unknown;
  for (const auto& [party, votes] : record.parties()) {
    if (ballot.parties.count(party) > 0) continue;
    absl::StatusOr<v1::Party> known = reference_->GetParty(party);
    unknown.push_back(
        known.ok() ? absl::StrCat("partai ", party, " (", known->name(),
                                  ") is not on the ballot of ", record.race(),
                                  " dapil ", dapil)
                   : absl::StrCat("partai ", party, " is in no party list"));
  }
  return unknown;
}

absl::StatusOr<std::vector<SirekapIssue>> SirekapBallotChecks::Check(
    const v1::SirekapRecord& record) const {
  const SirekapRace* race = FindSirekapRace(record.race());
  if (race == nullptr || race->ballot == SirekapRace::Ballot::kPairs) {
    return std::vector<SirekapIssue>();
  }
  std::vector<SirekapIssue> issues;
  ASSIGN_OR_RETURN(const std::string mapped, MappedDapil(record));
  if (!mapped.empty() && !record.kode_dapil().empty() &&
      record.kode_dapil() != mapped) {
    issues.push_back(SirekapIssue{
        issue::kDapilMismatch,
        absl::StrCat("kode_dapil ", record.kode_dapil(), " != dapil ", mapped,
                     " of the TPS in our ", record.race(), " map")});
  }
  const std::string dapil = mapped.empty() ? record.kode_dapil() : mapped;
  if (dapil.empty()) return issues;
  ASSIGN_OR_RETURN(const Ballot* ballot, BallotOf(record.race(), dapil));
  if (!ballot->found) return issues;
  if (std::optional<SirekapIssue> unknown = IssueOf(
          issue::kUnknownParty, UnknownParties(record, *ballot, dapil))) {
    issues.push_back(*std::move(unknown));
  }
  if (std::optional<SirekapIssue> off =
          IssueOf(issue::kNotOnBallot, OffBallot(record, ballot->party_of))) {
    absl::StrAppend(&off->detail, " (ballot of ", record.race(), " dapil ",
                    dapil, ")");
    issues.push_back(*std::move(off));
  }
  return issues;
}

}  // namespace c1tally
