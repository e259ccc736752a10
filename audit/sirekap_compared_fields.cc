#include "audit/sirekap_compared_fields.h"

#include <set>

#include "storage/reference/ballot_form.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::StatusOr<const std::vector<std::string>*>
SirekapComparedFields::BallotFields(const std::string& dapil) {
  if (auto it = by_dapil_.find(dapil); it != by_dapil_.end()) {
    return &it->second;
  }
  v1::FormKind form = kind_;
  if (!dapil.empty()) {
    absl::StatusOr<v1::Ballot> ballot = reference_.GetBallot(race_.name, dapil);
    if (!ballot.ok() && !absl::IsNotFound(ballot.status())) {
      return ballot.status();
    }
    // Labels are not shown here, so the parties' names are not read.
    if (ballot.ok()) {
      ASSIGN_OR_RETURN(form, BallotFormKind(kind_, *ballot, {}));
    }
  }
  std::vector<std::string>& names = by_dapil_[dapil];
  for (const v1::FormKind::Field& field : form.fields()) {
    names.push_back(field.name());
  }
  return &names;
}

absl::StatusOr<std::vector<std::string>> SirekapComparedFields::For(
    const std::string& tps, const v1::TpsResult* ours,
    const std::map<std::string, int64_t>& theirs) {
  if (race_.ballot == SirekapRace::Ballot::kPairs) {
    ASSIGN_OR_RETURN(const std::vector<std::string>* own, BallotFields(""));
    return *own;
  }
  std::string dapil = ours != nullptr ? ours->dapil() : "";
  if (dapil.empty()) {
    ASSIGN_OR_RETURN(RegionCode code, RegionCode::Parse(tps));
    absl::StatusOr<std::string> mapped = reference_.DapilOf(race_.name, code);
    if (!mapped.ok() && !absl::IsNotFound(mapped.status())) {
      return mapped.status();
    }
    if (mapped.ok()) dapil = *mapped;
  }
  ASSIGN_OR_RETURN(const std::vector<std::string>* ballot, BallotFields(dapil));
  std::vector<std::string> fields = *ballot;
  const std::set<std::string> listed(fields.begin(), fields.end());
  std::set<std::string> others;
  if (ours != nullptr) {
    for (const auto& [name, value] : ours->values()) {
      if (listed.count(name) == 0) others.insert(name);
    }
  }
  // Sirekap's administrasi has more keys than our kinds compare; only its
  // ballot fields are added.
  for (const auto& [name, value] : theirs) {
    if (listed.count(name) == 0 && race_.IsBallotField(name)) {
      others.insert(name);
    }
  }
  fields.insert(fields.end(), others.begin(), others.end());
  return fields;
}

}  // namespace c1tally
