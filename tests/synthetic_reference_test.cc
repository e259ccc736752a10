// The synthetic reference data of the legislative races over a real RocksDB
// holding a synthetic tree: it imports through the real importer without a
// refusal, every domestic TPS gets a dapil and ballot in each race (abroad:
// DPR only), the in-memory BallotIndex agrees with the store's map walk, a
// sampled result of every race is stored without an arithmetic flag, and
// the generator refuses to mix with existing data.
#include "storage/reference/synthetic_reference.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/reference/ballot_index.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/sample_results.h"
#include "storage/synthetic_tree.h"
#include "storage/tally_store.h"
#include "storage/tally_verifier.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr absl::Time kImported = absl::FromUnixSeconds(1707000000);

class SyntheticReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    SyntheticTreeOptions tree;
    tree.scale = 0.01;
    ASSERT_TRUE(GenerateSyntheticTree(db_.get(), tree).ok());
  }

  std::vector<std::string> AllTps() {
    std::vector<std::string> codes;
    RegionTree tree(db_.get());
    std::string token;
    do {
      absl::StatusOr<Page<v1::Tps>> page =
          tree.ListTps(RegionCode(), kMaxPageSize, token);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const v1::Tps& tps : page->items) codes.push_back(tps.code());
      token = page->next_page_token;
    } while (!token.empty());
    return codes;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SyntheticReferenceTest, ImportsWholeAndCoversEveryDomesticTps) {
  absl::StatusOr<ReferenceReport> report = GenerateSyntheticReference(
      db_.get(), SyntheticReferenceOptions(), kImported);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->HasErrors()) << report->ToString();
  EXPECT_THAT(report->dapil_without_tps, IsEmpty());
  EXPECT_EQ(report->counts["parties"].written, 18);
  // Abroad votes for DPR only.
  const std::vector<std::string> tps = AllTps();
  int64_t overseas = 0;
  for (const std::string& code : tps) overseas += code.substr(0, 2) == "99";
  ASSERT_GT(overseas, 0);
  EXPECT_EQ(report->tps_without_dapil["pdpr"], 0);
  for (const char* race : {"pdprdp", "pdprdk", "pdpd"}) {
    EXPECT_EQ(report->tps_without_dapil[race], overseas) << race;
  }

  ReferenceStore store(db_.get());
  absl::StatusOr<BallotIndex> index = BallotIndex::Load(store);
  ASSERT_TRUE(index.ok()) << index.status();
  for (const char* race : kLegislativeRaces) {
    absl::StatusOr<std::vector<v1::Dapil>> dapils = store.ListDapil(race);
    ASSERT_TRUE(dapils.ok());
    // More dapil the finer the race's districts.
    EXPECT_GT(dapils->size(), race == std::string("pdpr") ? 30u : 37u) << race;
  }
  // The index decides as the store does, for every TPS and race.
  for (size_t i = 0; i < tps.size(); i += 7) {
    const RegionCode code = *RegionCode::Parse(tps[i]);
    for (const char* race : kLegislativeRaces) {
      absl::StatusOr<std::string> dapil = store.DapilOf(race, code);
      const v1::Ballot* ballot = index->For(race, tps[i]);
      if (!dapil.ok()) {
        EXPECT_EQ(ballot, nullptr) << race << " " << tps[i];
        continue;
      }
      ASSERT_NE(ballot, nullptr) << race << " " << tps[i];
      EXPECT_EQ(ballot->dapil(), *dapil) << race << " " << tps[i];
    }
  }
}

TEST_F(SyntheticReferenceTest, BallotsHaveEveryPartyAndTheirCandidates) {
  ASSERT_TRUE(GenerateSyntheticReference(db_.get(), SyntheticReferenceOptions(),
                                         kImported)
                  .ok());
  ReferenceStore store(db_.get());
  absl::StatusOr<std::vector<v1::Dapil>> dapils = store.ListDapil("pdpr");
  ASSERT_TRUE(dapils.ok());
  std::set<std::string> candidates;
  for (const v1::Dapil& dapil : *dapils) {
    absl::StatusOr<v1::Ballot> ballot = store.GetBallot("pdpr", dapil.code());
    ASSERT_TRUE(ballot.ok()) << dapil.code();
    ASSERT_EQ(ballot->parties_size(), 18);
    for (const auto& list : ballot->parties()) {
      EXPECT_GE(list.candidates_size(), 3);
      EXPECT_LE(list.candidates_size(), 10);
      for (const v1::Candidate& candidate : list.candidates()) {
        EXPECT_TRUE(candidates.insert(candidate.id()).second)
            << candidate.id() << " stands twice";
      }
    }
  }
  // DPD: one list without party per province.
  absl::StatusOr<v1::Ballot> dpd = store.GetBallot("pdpd", "11");
  ASSERT_TRUE(dpd.ok()) << dpd.status();
  ASSERT_EQ(dpd->parties_size(), 1);
  EXPECT_GE(dpd->parties(0).candidates_size(), 8);
}

TEST_F(SyntheticReferenceTest, SampledResultsOfEveryRaceHoldEveryRule) {
  ASSERT_TRUE(GenerateSyntheticReference(db_.get(), SyntheticReferenceOptions(),
                                         kImported)
                  .ok());
  absl::StatusOr<FormKinds> kinds = FormKinds::Builtin();
  ASSERT_TRUE(kinds.ok());
  absl::StatusOr<std::unique_ptr<TallyStore>> store =
      TallyStore::Open(db_.get(), &*kinds);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<BallotIndex> index =
      BallotIndex::Load(ReferenceStore(db_.get()));
  ASSERT_TRUE(index.ok());
  std::vector<v1::TpsResult> results;
  std::map<std::string, int> per_race;
  const std::vector<std::string> tps = AllTps();
  for (size_t i = 0; i < tps.size(); i += 40) {
    for (const char* race : kLegislativeRaces) {
      const v1::Ballot* ballot = index->For(race, tps[i]);
      if (ballot == nullptr) continue;
      results.push_back(SampleLegislativeResult(tps[i], race, *ballot, 5));
      ++per_race[race];
    }
  }
  for (const char* race : kLegislativeRaces) {
    EXPECT_GT(per_race[race], 100) << race;
  }
  absl::StatusOr<TallyStore::Outcome> outcome = (*store)->SetResults(results);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->changed, static_cast<int>(results.size()));
  for (const v1::TpsResult& stored : outcome->stored) {
    EXPECT_THAT(stored.flags(), IsEmpty())
        << stored.form_kind() << " " << stored.tps_code();
    // Deterministic: the same seed, the same numbers.
    const v1::Ballot* ballot =
        index->For(stored.form_kind(), stored.tps_code());
    EXPECT_EQ(SampleLegislativeResult(stored.tps_code(), stored.form_kind(),
                                      *ballot, 5)
                  .values_size(),
              stored.values_size());
  }
  absl::StatusOr<TallyVerification> verified = VerifyTally(db_.get());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_THAT(verified->differences, IsEmpty());
}

TEST_F(SyntheticReferenceTest, RefusesToMixWithReferenceDataAlreadyThere) {
  ASSERT_TRUE(GenerateSyntheticReference(db_.get(), SyntheticReferenceOptions(),
                                         kImported)
                  .ok());
  absl::StatusOr<ReferenceReport> again = GenerateSyntheticReference(
      db_.get(), SyntheticReferenceOptions(), kImported);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("reference data already"));
}

TEST(SyntheticReferenceEmptyTreeTest, NeedsARegionTree) {
  testing::TempDir dir;
  std::unique_ptr<Database> db = testing::OpenDatabase(dir.Sub("db"));
  absl::StatusOr<ReferenceReport> report = GenerateSyntheticReference(
      db.get(), SyntheticReferenceOptions(), kImported);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(report.status().message(), HasSubstr("region tree is empty"));
}

TEST_F(SyntheticReferenceTest, TheSameSeedWritesTheSameFiles) {
  RegionTree tree(db_.get());
  SyntheticReferenceOptions options;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> first =
      SyntheticReferenceFiles(tree, options);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> second =
      SyntheticReferenceFiles(tree, options);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  options.seed = 2;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> other =
      SyntheticReferenceFiles(tree, options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*first, *other);
}

}  // namespace
}  // namespace c1tally
