#include "audit/vote_moves.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/reference/ballot_form.h"

namespace c1tally {
namespace {

// The change of `field` (of `party`, `candidate` "" for party-only votes),
// added to `change` when both levels have it and it differs.
void AddFieldChange(const LevelCounts& lower, const LevelCounts& upper,
                    const std::string& field, int32_t party,
                    const std::string& candidate, PartyChange* change) {
  auto below = lower.values.find(field);
  auto above = upper.values.find(field);
  if (below == lower.values.end() || above == upper.values.end()) return;
  if (below->second == above->second) return;
  FieldChange field_change{field, party, candidate, below->second,
                           above->second};
  if (field_change.delta() > 0) {
    change->gained += field_change.delta();
    change->rose.push_back(std::move(field_change));
  } else {
    change->lost -= field_change.delta();
    change->fell.push_back(std::move(field_change));
  }
}

// Largest change first, then by field name, so that output is stable.
void SortBySize(std::vector<FieldChange>* changes) {
  std::sort(changes->begin(), changes->end(),
            [](const FieldChange& a, const FieldChange& b) {
              const int64_t size_a = std::llabs(a.delta());
              const int64_t size_b = std::llabs(b.delta());
              if (size_a != size_b) return size_a > size_b;
              return a.field < b.field;
            });
}

PartyChange::Kind KindOf(const PartyChange& change, int64_t tolerance) {
  if (std::llabs(change.net()) <= tolerance && !change.rose.empty() &&
      !change.fell.empty()) {
    return PartyChange::Kind::kMoveWithinParty;
  }
  return change.net() > 0 ? PartyChange::Kind::kGain : PartyChange::Kind::kLoss;
}

// Pairs the parties' net losses with other parties' net gains, largest
// with largest, until one side runs out.
std::vector<CrossPartyMove> MatchAcrossParties(
    const std::vector<PartyChange>& parties, int64_t tolerance) {
  std::vector<std::pair<int64_t, int32_t>> losers, gainers;
  for (const PartyChange& change : parties) {
    if (change.net() < -tolerance)
      losers.push_back({-change.net(), change.party});
    if (change.net() > tolerance)
      gainers.push_back({change.net(), change.party});
  }
  auto larger_first = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  std::sort(losers.begin(), losers.end(), larger_first);
  std::sort(gainers.begin(), gainers.end(), larger_first);
  std::vector<CrossPartyMove> moves;
  size_t l = 0, g = 0;
  while (l < losers.size() && g < gainers.size()) {
    const int64_t votes = std::min(losers[l].first, gainers[g].first);
    moves.push_back({losers[l].second, gainers[g].second, votes});
    losers[l].first -= votes;
    gainers[g].first -= votes;
    if (losers[l].first <= tolerance) ++l;
    if (gainers[g].first <= tolerance) ++g;
  }
  return moves;
}

std::string Signed(int64_t value) {
  return value > 0 ? absl::StrCat("+", value) : absl::StrCat(value);
}

}  // namespace

LevelComparison CompareLevels(const v1::Ballot& ballot,
                              const LevelCounts& lower,
                              const LevelCounts& upper, int64_t tolerance) {
  LevelComparison comparison;
  int64_t all_gained = 0, all_lost = 0;
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    PartyChange change;
    change.party = list.party_id();
    // A DPD ballot has candidates only (party 0, no party-only votes).
    if (list.party_id() != 0) {
      AddFieldChange(lower, upper, PartyOnlyField(list.party_id()),
                     list.party_id(), "", &change);
    }
    for (const v1::Candidate& candidate : list.candidates()) {
      AddFieldChange(lower, upper, CandidateField(candidate.id()),
                     list.party_id(), candidate.id(), &change);
    }
    if (change.rose.empty() && change.fell.empty()) continue;
    SortBySize(&change.rose);
    SortBySize(&change.fell);
    change.kind = KindOf(change, tolerance);
    all_gained += change.gained;
    all_lost += change.lost;
    comparison.parties.push_back(std::move(change));
  }
  std::sort(comparison.parties.begin(), comparison.parties.end(),
            [](const PartyChange& a, const PartyChange& b) {
              return a.party < b.party;
            });
  comparison.across = MatchAcrossParties(comparison.parties, tolerance);
  comparison.unexplained =
      lower.complete ? std::max(all_gained, all_lost) : all_lost;
  return comparison;
}

std::string ChangeSignature(const LevelComparison& comparison) {
  // Field deltas in field order: two units moved alike give the same text.
  std::map<std::string, int64_t> deltas;
  for (const PartyChange& change : comparison.parties) {
    for (const FieldChange& field : change.rose) {
      deltas[field.field] = field.delta();
    }
    for (const FieldChange& field : change.fell) {
      deltas[field.field] = field.delta();
    }
  }
  std::vector<std::string> parts;
  for (const auto& [field, delta] : deltas) {
    parts.push_back(absl::StrCat(field, Signed(delta)));
  }
  return absl::StrJoin(parts, " ");
}

std::string DescribeChange(const PartyChange& change) {
  std::vector<std::string> parts;
  auto describe = [&parts](const FieldChange& field) {
    parts.push_back(field.candidate.empty()
                        ? absl::StrCat("suara partai ", Signed(field.delta()))
                        : absl::StrCat("caleg ", field.candidate, " ",
                                       Signed(field.delta())));
  };
  for (const FieldChange& field : change.fell) describe(field);
  for (const FieldChange& field : change.rose) describe(field);
  const std::string party = change.party == 0
                                ? std::string("DPD")
                                : absl::StrCat("partai ", change.party);
  return absl::StrCat(party, ": ", absl::StrJoin(parts, ", "));
}

}  // namespace c1tally
