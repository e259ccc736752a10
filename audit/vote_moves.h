// Vote moves: what changed in one legislative race between two levels of
// counting of the same unit (a TPS, a kelurahan, a kecamatan, a dapil),
// party by party, and how suspicious it is. DOMAIN.md "Vote moves": votes
// are moved after the TPS count, between the TPS form (C.Hasil), the
// kecamatan recap (D.Hasil) and the kabupaten recap, or in a published
// record over time; what shows a move is changes inside a party that sum
// to about zero, party-only votes falling while a candidate rises, losses
// of one party matching gains of another, and the same change repeated
// over many TPS.
//
// This file knows nothing of stores: callers gather the two levels' counts
// (ours, Sirekap's, a recap's) and the ballot of the unit's dapil. Counts are
// keyed by the ballot's field names (storage/reference/ballot_form.h):
// suara_partai_{P} and suara_caleg_{C}; party totals are derived, never
// compared, so a move is not counted twice.
#ifndef C1TALLY_AUDIT_VOTE_MOVES_H_
#define C1TALLY_AUDIT_VOTE_MOVES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "c1tally/v1/reference.pb.h"

namespace c1tally {

// One unit's counts at one level.
struct LevelCounts {
  // Vote fields (suara_partai_{P}, suara_caleg_{C}); a field absent is
  // unknown at this level and not compared.
  std::map<std::string, int64_t> values;
  // False when the level's sum leaves out TPS that the level above counts
  // (late TPS, TPS without a verified photo): rises are then explained,
  // falls are not.
  bool complete = true;
};

// One field's change from the lower level to the upper one.
struct FieldChange {
  std::string field;
  // The party the field belongs to; the candidate's KPU id, or "" for the
  // party-only votes.
  int32_t party = 0;
  std::string candidate;
  int64_t lower = 0;
  int64_t upper = 0;
  int64_t delta() const { return upper - lower; }
};

// What happened to one party's votes.
struct PartyChange {
  enum class Kind {
    // Rises and falls inside the party that cancel out (within the
    // tolerance): votes handed from some of its candidates (or its
    // party-only votes) to others.
    kMoveWithinParty,
    // The party gained more than it lost: votes from elsewhere (another
    // party, or TPS the lower level lacks).
    kGain,
    // The party lost more than it gained.
    kLoss,
  };
  int32_t party = 0;
  Kind kind = Kind::kMoveWithinParty;
  // Fields that rose and fell, largest change first.
  std::vector<FieldChange> rose;
  std::vector<FieldChange> fell;
  // Sum of the rises, and of the falls (as a positive number).
  int64_t gained = 0;
  int64_t lost = 0;
  int64_t net() const { return gained - lost; }
  // Votes handed inside the party: min(gained, lost).
  int64_t moved_within() const { return gained < lost ? gained : lost; }
};

// Votes one party lost that another gained, in the same unit.
struct CrossPartyMove {
  int32_t from_party = 0;
  int32_t to_party = 0;
  int64_t votes = 0;
};

// The changes between two levels of one unit.
struct LevelComparison {
  // Parties with any change, by party id.
  std::vector<PartyChange> parties;
  // Losses of one party matched with gains of others (largest first).
  std::vector<CrossPartyMove> across;
  // Votes that cannot be explained honestly: the larger of all rises and
  // all falls when the lower level is complete (a move of v votes is v, a
  // gain from nowhere too); only the falls when it is not (a TPS the lower
  // level lacks explains a rise, never a fall).
  int64_t unexplained = 0;
  bool empty() const { return parties.empty(); }
};

// Compares `lower` with `upper` over the vote fields of `ballot` (fields
// of other ballots are ignored, as are fields either side lacks). A party
// whose net change is within `tolerance` votes of zero, with both rises
// and falls, is a move within the party.
LevelComparison CompareLevels(const v1::Ballot& ballot,
                              const LevelCounts& lower,
                              const LevelCounts& upper, int64_t tolerance = 1);

// The same change seen in many units (the Cimahi pattern: 9 votes moved,
// in 17 TPS): a signature of the comparison's field deltas, equal for two
// comparisons exactly when every field changed by the same amount. Empty
// for a comparison without change.
std::string ChangeSignature(const LevelComparison& comparison);

// A short description in Bahasa, the party by id: "partai 1: suara partai
// -9, caleg 100281 +9".
std::string DescribeChange(const PartyChange& change);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_VOTE_MOVES_H_
