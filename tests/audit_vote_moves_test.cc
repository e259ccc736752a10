#include <string>

#include "audit/vote_moves.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

// A DPR ballot of two parties: party 1 with candidates 100001-100003,
// party 2 with 200001-200002.
v1::Ballot TwoPartyBallot() {
  v1::Ballot ballot;
  ballot.set_race("pdpr");
  ballot.set_dapil("3201");
  v1::Ballot::PartyList* one = ballot.add_parties();
  one->set_party_id(1);
  for (const char* id : {"100001", "100002", "100003"}) {
    one->add_candidates()->set_id(id);
  }
  v1::Ballot::PartyList* two = ballot.add_parties();
  two->set_party_id(2);
  for (const char* id : {"200001", "200002"}) {
    two->add_candidates()->set_id(id);
  }
  return ballot;
}

// What a TPS's C.Hasil says: every field of the ballot.
LevelCounts Counted() {
  LevelCounts counts;
  counts.values = {{"suara_partai_1", 50},     {"suara_caleg_100001", 20},
                   {"suara_caleg_100002", 12}, {"suara_caleg_100003", 3},
                   {"suara_partai_2", 30},     {"suara_caleg_200001", 25},
                   {"suara_caleg_200002", 8}};
  return counts;
}

TEST(VoteMovesTest, PartyOnlyVotesGivenToOneCandidateAreAMoveWithinTheParty) {
  LevelCounts recap = Counted();
  recap.values["suara_partai_1"] = 41;
  recap.values["suara_caleg_100003"] = 12;
  LevelComparison comparison =
      CompareLevels(TwoPartyBallot(), Counted(), recap);
  ASSERT_EQ(comparison.parties.size(), 1u);
  const PartyChange& change = comparison.parties[0];
  EXPECT_EQ(change.party, 1);
  EXPECT_EQ(change.kind, PartyChange::Kind::kMoveWithinParty);
  EXPECT_EQ(change.moved_within(), 9);
  EXPECT_EQ(change.net(), 0);
  ASSERT_EQ(change.fell.size(), 1u);
  EXPECT_EQ(change.fell[0].candidate, "");
  EXPECT_EQ(change.fell[0].lower, 50);
  EXPECT_EQ(change.fell[0].upper, 41);
  ASSERT_EQ(change.rose.size(), 1u);
  EXPECT_EQ(change.rose[0].candidate, "100003");
  EXPECT_TRUE(comparison.across.empty());
  EXPECT_EQ(comparison.unexplained, 9);
  EXPECT_EQ(DescribeChange(change),
            "partai 1: suara partai -9, caleg 100003 +9");
}

TEST(VoteMovesTest, CandidateToCandidateIsAMoveAndLargestChangesComeFirst) {
  LevelCounts recap = Counted();
  recap.values["suara_caleg_100001"] = 5;   // -15
  recap.values["suara_caleg_100002"] = 14;  // +2
  recap.values["suara_caleg_100003"] = 16;  // +13
  LevelComparison comparison =
      CompareLevels(TwoPartyBallot(), Counted(), recap);
  ASSERT_EQ(comparison.parties.size(), 1u);
  const PartyChange& change = comparison.parties[0];
  EXPECT_EQ(change.kind, PartyChange::Kind::kMoveWithinParty);
  EXPECT_EQ(change.moved_within(), 15);
  ASSERT_EQ(change.rose.size(), 2u);
  EXPECT_EQ(change.rose[0].candidate, "100003");
  EXPECT_EQ(change.rose[1].candidate, "100002");
  EXPECT_EQ(comparison.unexplained, 15);
}

TEST(VoteMovesTest, VotesMovedAcrossPartiesAreMatchedLossToGain) {
  LevelCounts recap = Counted();
  recap.values["suara_caleg_100001"] = 11;  // party 1 loses 9
  recap.values["suara_caleg_200002"] = 17;  // party 2 gains 9
  LevelComparison comparison =
      CompareLevels(TwoPartyBallot(), Counted(), recap);
  ASSERT_EQ(comparison.parties.size(), 2u);
  EXPECT_EQ(comparison.parties[0].kind, PartyChange::Kind::kLoss);
  EXPECT_EQ(comparison.parties[1].kind, PartyChange::Kind::kGain);
  ASSERT_EQ(comparison.across.size(), 1u);
  EXPECT_EQ(comparison.across[0].from_party, 1);
  EXPECT_EQ(comparison.across[0].to_party, 2);
  EXPECT_EQ(comparison.across[0].votes, 9);
  EXPECT_EQ(comparison.unexplained, 9);
}

TEST(VoteMovesTest, RisesOverAnIncompleteCountAreExplainedFallsAreNot) {
  // The recap counts a late TPS the lower level lacks: every party rises.
  LevelCounts lower = Counted();
  lower.complete = false;
  LevelCounts recap = Counted();
  recap.values["suara_partai_1"] += 4;
  recap.values["suara_caleg_100001"] += 7;
  recap.values["suara_caleg_200001"] += 6;
  LevelComparison late = CompareLevels(TwoPartyBallot(), lower, recap);
  EXPECT_EQ(late.parties.size(), 2u);
  EXPECT_EQ(late.unexplained, 0);
  // Over a complete count the same rises came from somewhere.
  EXPECT_EQ(CompareLevels(TwoPartyBallot(), Counted(), recap).unexplained, 17);
  // A fall is not explained by a missing TPS.
  recap.values["suara_caleg_100002"] -= 5;
  EXPECT_EQ(CompareLevels(TwoPartyBallot(), lower, recap).unexplained, 5);
}

TEST(VoteMovesTest, EqualLevelsAndUnknownFieldsShowNothing) {
  LevelComparison same = CompareLevels(TwoPartyBallot(), Counted(), Counted());
  EXPECT_TRUE(same.empty());
  EXPECT_EQ(same.unexplained, 0);
  EXPECT_EQ(ChangeSignature(same), "");
  // A field only one level has, or of another ballot, is not compared.
  LevelCounts upper = Counted();
  upper.values.erase("suara_caleg_100001");
  upper.values["suara_caleg_999999"] = 400;
  LevelCounts lower = Counted();
  lower.values["suara_caleg_100001"] = 1;
  EXPECT_TRUE(CompareLevels(TwoPartyBallot(), lower, upper).empty());
}

TEST(VoteMovesTest, ToleranceSeparatesAMoveFromAGain) {
  LevelCounts recap = Counted();
  recap.values["suara_caleg_100001"] = 30;  // +10
  recap.values["suara_caleg_100002"] = 3;   // -9: net +1
  EXPECT_EQ(CompareLevels(TwoPartyBallot(), Counted(), recap).parties[0].kind,
            PartyChange::Kind::kMoveWithinParty);
  EXPECT_EQ(CompareLevels(TwoPartyBallot(), Counted(), recap, /*tolerance=*/0)
                .parties[0]
                .kind,
            PartyChange::Kind::kGain);
  // Rises alone are no move, however small.
  LevelCounts rise = Counted();
  rise.values["suara_caleg_100001"] = 21;
  EXPECT_EQ(CompareLevels(TwoPartyBallot(), Counted(), rise).parties[0].kind,
            PartyChange::Kind::kGain);
}

TEST(VoteMovesTest, TheSameChangeInTwoTpsHasOneSignature) {
  // TPS A and B: different counts, the same 9 votes moved.
  LevelCounts a = Counted();
  LevelCounts a_recap = a;
  a_recap.values["suara_partai_2"] -= 9;
  a_recap.values["suara_caleg_100001"] += 9;
  LevelCounts b = Counted();
  for (auto& [field, votes] : b.values) votes += 40;
  LevelCounts b_recap = b;
  b_recap.values["suara_partai_2"] -= 9;
  b_recap.values["suara_caleg_100001"] += 9;
  const std::string signature =
      ChangeSignature(CompareLevels(TwoPartyBallot(), a, a_recap));
  EXPECT_EQ(signature, "suara_caleg_100001+9 suara_partai_2-9");
  EXPECT_EQ(ChangeSignature(CompareLevels(TwoPartyBallot(), b, b_recap)),
            signature);
  b_recap.values["suara_caleg_100001"] += 1;
  EXPECT_NE(ChangeSignature(CompareLevels(TwoPartyBallot(), b, b_recap)),
            signature);
}

TEST(VoteMovesTest, DpdCandidatesHaveNoPartyOnlyVotes) {
  v1::Ballot ballot;
  ballot.set_race("pdpd");
  v1::Ballot::PartyList* list = ballot.add_parties();
  for (const char* id : {"900001", "900002"})
    list->add_candidates()->set_id(id);
  LevelCounts lower;
  lower.values = {{"suara_caleg_900001", 184000}, {"suara_caleg_900002", 10}};
  LevelCounts upper;
  upper.values = {{"suara_caleg_900001", 2007}, {"suara_caleg_900002", 10}};
  LevelComparison comparison = CompareLevels(ballot, lower, upper);
  ASSERT_EQ(comparison.parties.size(), 1u);
  EXPECT_EQ(comparison.parties[0].kind, PartyChange::Kind::kLoss);
  EXPECT_EQ(comparison.unexplained, 181993);
  EXPECT_EQ(DescribeChange(comparison.parties[0]), "DPD: caleg 900001 -181993");
}

}  // namespace
}  // namespace c1tally
