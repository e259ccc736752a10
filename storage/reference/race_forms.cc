#include "storage/reference/race_forms.h"

#include "absl/strings/str_cat.h"
#include "storage/reference/ballot_form.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::StatusOr<RaceForms::Form> RaceForms::For(
    const RegionCode& tps, absl::string_view form_kind) const {
  absl::StatusOr<const v1::FormKind*> base = kinds_->Find(form_kind);
  if (!base.ok()) return absl::InvalidArgumentError(base.status().message());
  if (!IsLegislativeRace(form_kind)) {
    // Built-in kinds live as long as `kinds_`: share without owning.
    return Form{std::shared_ptr<const v1::FormKind>(
                    std::shared_ptr<const v1::FormKind>(), *base),
                ""};
  }
  absl::StatusOr<std::string> dapil = reference_.DapilOf(form_kind, tps);
  if (absl::IsNotFound(dapil.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "TPS ", tps.str(), " belongs to no ", form_kind,
        " dapil yet (import the reference data: c1ctl reference import)"));
  }
  RETURN_IF_ERROR(dapil.status());
  absl::StatusOr<v1::Ballot> ballot = reference_.GetBallot(form_kind, *dapil);
  if (absl::IsNotFound(ballot.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat("dapil ", *dapil, " of ", form_kind,
                     " has no candidate list yet (import it first)"));
  }
  RETURN_IF_ERROR(ballot.status());
  const std::string bytes = ballot->SerializeAsString();
  const auto key = std::make_pair(std::string(form_kind), *dapil);
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.ballot_bytes == bytes) {
      return Form{it->second.kind, *dapil};
    }
  }
  std::map<int32_t, v1::Party> parties;
  for (const v1::Ballot::PartyList& list : ballot->parties()) {
    if (list.party_id() == 0) continue;
    absl::StatusOr<v1::Party> party = reference_.GetParty(list.party_id());
    if (party.ok()) parties[party->id()] = *std::move(party);
  }
  ASSIGN_OR_RETURN(v1::FormKind expanded,
                   BallotFormKind(**base, *ballot, parties));
  auto kind = std::make_shared<const v1::FormKind>(std::move(expanded));
  absl::MutexLock lock(&mu_);
  cache_[key] = Cached{bytes, kind};
  return Form{kind, *dapil};
}

}  // namespace c1tally
