// BallotFormKind on its own: the fields and rules a dapil's ballot adds to
// its race's base kind, their labels, and the ballots it refuses.
#include "storage/reference/ballot_form.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/form_kind.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::FormKind Base(const std::string& race) {
  absl::StatusOr<FormKinds> kinds = FormKinds::Builtin();
  EXPECT_TRUE(kinds.ok()) << kinds.status();
  return **kinds->Find(race);
}

v1::Ballot TwoParties() {
  v1::Ballot ballot;
  ballot.set_race("pdprdk");
  ballot.set_dapil("11010101");
  v1::Ballot::PartyList* pkb = ballot.add_parties();
  pkb->set_party_id(1);
  v1::Candidate* a = pkb->add_candidates();
  a->set_id("100001");
  a->set_ballot_number(1);
  a->set_name("A");
  v1::Ballot::PartyList* other = ballot.add_parties();
  other->set_party_id(7);
  return ballot;
}

std::vector<std::string> Names(const v1::FormKind& kind) {
  std::vector<std::string> names;
  for (const auto& field : kind.fields()) names.push_back(field.name());
  return names;
}

TEST(BallotFormKindTest, AddsEachPartysBlockAndTheirSum) {
  std::map<int32_t, v1::Party> parties;
  parties[1].set_name("PKB");
  absl::StatusOr<v1::FormKind> kind =
      BallotFormKind(Base("pdprdk"), TwoParties(), parties);
  ASSERT_TRUE(kind.ok()) << kind.status();
  const std::vector<std::string> names = Names(*kind);
  // The base's ten, then the ballot's in ballot order.
  ASSERT_EQ(names.size(), 10u + 5u);
  EXPECT_THAT(std::vector<std::string>(names.end() - 5, names.end()),
              ElementsAre("suara_partai_1", "suara_caleg_100001",
                          "suara_total_partai_1", "suara_partai_7",
                          "suara_total_partai_7"));
  EXPECT_EQ(kind->fields(10).label(), "PKB: suara partai");
  EXPECT_EQ(kind->fields(11).label(), "PKB 1. A");
  EXPECT_EQ(kind->fields(13).label(), "Partai 7: suara partai");
  EXPECT_TRUE(kind->fields(11).required());
  EXPECT_EQ(kind->fields(11).max_value(), 999);

  const auto& rules = kind->rules();
  const v1::FormKind::Rule& pkb = rules[rules.size() - 3];
  EXPECT_EQ(pkb.name(), "partai_1");
  EXPECT_THAT(pkb.left(), ElementsAre("suara_partai_1", "suara_caleg_100001"));
  EXPECT_THAT(pkb.right(), ElementsAre("suara_total_partai_1"));
  const v1::FormKind::Rule& valid = rules[rules.size() - 1];
  EXPECT_EQ(valid.name(), "suara_sah");
  EXPECT_THAT(valid.left(),
              ElementsAre("suara_total_partai_1", "suara_total_partai_7"));
  EXPECT_THAT(valid.right(), ElementsAre("suara_sah"));

  v1::TpsResult result;
  result.set_form_kind("pdprdk");
  auto& values = *result.mutable_values();
  for (const std::string& name : names) values[name] = 0;
  values["suara_partai_1"] = 2;
  values["suara_caleg_100001"] = 3;
  values["suara_total_partai_1"] = 5;
  values["suara_sah"] = 5;
  values["suara_total"] = 5;
  values["pengguna_total_j"] = 5;
  EXPECT_TRUE(FormKinds::ValidateAgainst(*kind, result).ok());
  EXPECT_TRUE(FormKinds::BrokenRulesOf(*kind, result).empty());
  values["suara_total_partai_7"] = 1;
  EXPECT_THAT(FormKinds::BrokenRulesOf(*kind, result),
              ElementsAre("partai_7", "suara_sah"));
}

TEST(BallotFormKindTest, RefusesAnotherRacesBallotAndClashes) {
  EXPECT_THAT(BallotFormKind(Base("pdpr"), TwoParties(), {}).status().message(),
              HasSubstr("does not fit form kind pdpr"));
  v1::Ballot twice = TwoParties();
  *twice.add_parties() = twice.parties(0);
  EXPECT_THAT(BallotFormKind(Base("pdprdk"), twice, {}).status().message(),
              HasSubstr("twice"));
}

}  // namespace
}  // namespace c1tally
