#include "storage/reference/ballot_index.h"

#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::StatusOr<BallotIndex> BallotIndex::Load(const ReferenceStore& store) {
  BallotIndex index;
  for (const char* race : kLegislativeRaces) {
    ASSIGN_OR_RETURN(std::vector<v1::Dapil> dapils, store.ListDapil(race));
    for (const v1::Dapil& dapil : dapils) {
      absl::StatusOr<v1::Ballot> ballot = store.GetBallot(race, dapil.code());
      if (absl::IsNotFound(ballot.status())) continue;  // none imported yet
      RETURN_IF_ERROR(ballot.status());
      index.ballots_[{race, dapil.code()}] = *std::move(ballot);
    }
    ASSIGN_OR_RETURN(std::vector<ReferenceStore::Area> areas,
                     store.ListAreas(race));
    for (ReferenceStore::Area& area : areas) {
      index.areas_[{race, std::move(area.region)}] = std::move(area.dapil);
    }
  }
  return index;
}

const v1::Ballot* BallotIndex::For(absl::string_view race,
                                   absl::string_view tps_code) const {
  std::string dapil;
  if (!RaceHasParties(race)) {
    dapil = std::string(tps_code.substr(0, 2));  // DPD: the province
  } else {
    // The deepest mapped ancestor, the TPS itself first.
    for (size_t width :
         {tps_code.size(), size_t{10}, size_t{6}, size_t{4}, size_t{2}}) {
      if (width > tps_code.size()) continue;
      auto area = areas_.find(
          {std::string(race), std::string(tps_code.substr(0, width))});
      if (area != areas_.end()) {
        dapil = area->second;
        break;
      }
    }
  }
  if (dapil.empty()) return nullptr;
  auto ballot = ballots_.find({std::string(race), dapil});
  return ballot == ballots_.end() ? nullptr : &ballot->second;
}

}  // namespace c1tally
