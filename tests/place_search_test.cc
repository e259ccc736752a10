// PlaceSearch on its own, over the fixture tree imported into a real
// RocksDB: codes, names across ancestors, ranking, bad queries.
#include "services/tally/place_search.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/region_tree.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

std::vector<std::string> Codes(const std::vector<v1::Place>& matches) {
  std::vector<std::string> codes;
  for (const v1::Place& m : matches) codes.push_back(m.code());
  return codes;
}

class PlaceSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    tree_ = std::make_unique<RegionTree>(db_.get());
    search_ = std::make_unique<PlaceSearch>(tree_.get());
  }

  std::vector<v1::Place> Find(const std::string& query) {
    absl::StatusOr<std::vector<v1::Place>> found = search_->Find(query);
    EXPECT_TRUE(found.ok()) << query << ": " << found.status();
    return found.ok() ? *found : std::vector<v1::Place>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<RegionTree> tree_;
  std::unique_ptr<PlaceSearch> search_;
};

TEST_F(PlaceSearchTest, ACodeFindsThatPlace) {
  const std::vector<v1::Place> tps = Find("3101011001002");
  ASSERT_EQ(tps.size(), 1u);
  EXPECT_EQ(tps[0].level(), v1::REGION_LEVEL_TPS);
  EXPECT_EQ(tps[0].name(), "TPS 002");
  const std::vector<v1::Place> kabupaten = Find("1101");
  ASSERT_EQ(kabupaten.size(), 1u);
  EXPECT_EQ(kabupaten[0].name(), "ACEH SELATAN");
  // A well-formed code of no imported TPS finds nothing.
  EXPECT_TRUE(Find("3101011001099").empty());
}

TEST_F(PlaceSearchTest, OwnNamesComeFirstThenUpperLevels) {
  // The kecamatan and the kelurahan called Bakongan, the kecamatan first;
  // then the kelurahan found only through the kecamatan's name.
  EXPECT_THAT(Codes(Find("bakongan")),
              ::testing::ElementsAre("110101", "1101012001", "1101012002"));
  // Any case; words may come from the ancestors' names.
  EXPECT_THAT(Codes(Find("Pulau PANGGANG")),
              ::testing::ElementsAre("3101011001"));
  const std::vector<v1::Place> across = Find("ujong aceh");
  ASSERT_EQ(across.size(), 1u);
  EXPECT_EQ(across[0].code(), "1101012002");
  EXPECT_THAT(across[0].path(), ::testing::HasSubstr("ACEH SELATAN"));
  EXPECT_TRUE(Find("surabaya").empty());
}

TEST_F(PlaceSearchTest, QueriesTooShortOrTooLongAreRefused) {
  EXPECT_TRUE(absl::IsInvalidArgument(search_->Find("ab").status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(search_->Find(std::string(101, 'a')).status()));
  // Digits that are no code.
  EXPECT_TRUE(absl::IsInvalidArgument(search_->Find("12345").status()));
}

}  // namespace
}  // namespace c1tally
