#include "storage/region_code.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Codes(const std::vector<RegionCode>& codes) {
  std::vector<std::string> result;
  for (const RegionCode& code : codes) result.push_back(code.str());
  return result;
}

TEST(RegionCodeTest, WidthsGiveLevels) {
  const struct {
    const char* text;
    v1::RegionLevel level;
  } cases[] = {
      {"", v1::REGION_LEVEL_NATIONAL},
      {"31", v1::REGION_LEVEL_PROVINCE},
      {"3101", v1::REGION_LEVEL_KABUPATEN},
      {"310101", v1::REGION_LEVEL_KECAMATAN},
      {"3101011001", v1::REGION_LEVEL_KELURAHAN},
      {"3101011001001", v1::REGION_LEVEL_TPS},
  };
  for (const auto& c : cases) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(c.text);
    ASSERT_TRUE(code.ok()) << c.text << ": " << code.status();
    EXPECT_EQ(code->str(), c.text);
    EXPECT_EQ(code->level(), c.level) << c.text;
    EXPECT_EQ(RegionCode::WidthOf(c.level), std::string(c.text).size());
  }
}

TEST(RegionCodeTest, ZeroIsTheNation) {
  absl::StatusOr<RegionCode> code = RegionCode::Parse("0");
  ASSERT_TRUE(code.ok());
  EXPECT_TRUE(code->is_national());
  EXPECT_EQ(code->str(), "");
  EXPECT_TRUE(RegionCode().is_national());
}

TEST(RegionCodeTest, ParentAndAncestors) {
  absl::StatusOr<RegionCode> tps = RegionCode::Parse("3101011001001");
  ASSERT_TRUE(tps.ok());
  EXPECT_TRUE(tps->is_tps());
  EXPECT_EQ(tps->parent().str(), "3101011001");
  EXPECT_EQ(tps->parent().parent().str(), "310101");
  EXPECT_THAT(Codes(tps->ancestors()),
              ::testing::ElementsAre("3101011001", "310101", "3101", "31", ""));
  EXPECT_EQ(tps->tps_number(), 1);

  absl::StatusOr<RegionCode> province = RegionCode::Parse("31");
  ASSERT_TRUE(province.ok());
  EXPECT_TRUE(province->parent().is_national());
  EXPECT_THAT(Codes(province->ancestors()), ::testing::ElementsAre(""));
  EXPECT_TRUE(RegionCode().parent().is_national());
  EXPECT_TRUE(RegionCode().ancestors().empty());
}

TEST(RegionCodeTest, Contains) {
  const RegionCode kecamatan = *RegionCode::Parse("310101");
  EXPECT_TRUE(kecamatan.contains(*RegionCode::Parse("3101011001001")));
  EXPECT_TRUE(kecamatan.contains(kecamatan));
  EXPECT_FALSE(kecamatan.contains(*RegionCode::Parse("310102")));
  EXPECT_FALSE(kecamatan.contains(*RegionCode::Parse("3101")));
  EXPECT_TRUE(RegionCode().contains(kecamatan));
}

TEST(RegionCodeTest, Overseas) {
  const RegionCode city = *RegionCode::Parse("990101");
  EXPECT_TRUE(city.is_overseas());
  EXPECT_EQ(city.level(), v1::REGION_LEVEL_KECAMATAN);
  EXPECT_EQ(city.parent().str(), "9901");
  EXPECT_FALSE(RegionCode::Parse("3101")->is_overseas());
  EXPECT_FALSE(RegionCode().is_overseas());
}

TEST(RegionCodeTest, TpsKinds) {
  const RegionCode regular = *RegionCode::Parse("3101011001001");
  const RegionCode special = *RegionCode::Parse("3101011001901");
  const RegionCode abroad = *RegionCode::Parse("9901010001901");
  EXPECT_EQ(TpsKindOf(regular, "TPS 001"), v1::TPS_KIND_REGULAR);
  EXPECT_EQ(special.tps_number(), 901);
  EXPECT_EQ(TpsKindOf(special, "TPS 901"), v1::TPS_KIND_SPECIAL_LOCATION);
  // Abroad a 9xx number is not special; the name tells the kind.
  EXPECT_EQ(TpsKindOf(abroad, "TPS 901"), v1::TPS_KIND_REGULAR);
  EXPECT_EQ(TpsKindOf(abroad, "POS 901"), v1::TPS_KIND_POSTAL);
  EXPECT_EQ(TpsKindOf(abroad, " ksk 001"), v1::TPS_KIND_MOBILE_BOX);
}

TEST(RegionCodeTest, RejectsBadInput) {
  const struct {
    const char* text;
    const char* reason;
  } cases[] = {
      {"3a", "not a digit"},
      {" 31", "not a digit"},
      {"31-01", "not a digit"},
      {"1", "1 digits"},
      {"310", "3 digits"},
      {"31010110010011", "14 digits"},
      {"00", "province 00"},
      {"0001", "province 00"},
      {"3101011001000", "TPS number 000"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(c.text);
    ASSERT_FALSE(code.ok()) << c.text;
    EXPECT_TRUE(absl::IsInvalidArgument(code.status())) << c.text;
    EXPECT_THAT(std::string(code.status().message()), HasSubstr(c.reason))
        << c.text;
  }
}

TEST(RegionCodeTest, ParseAtChecksLevel) {
  EXPECT_TRUE(RegionCode::ParseAt("3101", v1::REGION_LEVEL_KABUPATEN).ok());
  absl::StatusOr<RegionCode> wrong =
      RegionCode::ParseAt("310101", v1::REGION_LEVEL_KELURAHAN);
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("kecamatan"));
  EXPECT_FALSE(RegionCode::ParseAt("x", v1::REGION_LEVEL_PROVINCE).ok());
}

TEST(RegionCodeTest, OrdersChildrenAfterParent) {
  EXPECT_LT(*RegionCode::Parse("31"), *RegionCode::Parse("3101"));
  EXPECT_LT(*RegionCode::Parse("3101011001999"),
            *RegionCode::Parse("3101011002"));
  EXPECT_EQ(*RegionCode::Parse("31"), *RegionCode::Parse("31"));
}

TEST(RegionCodeTest, LevelNames) {
  EXPECT_EQ(RegionCode::LevelName(v1::REGION_LEVEL_KELURAHAN),
            "kelurahan/desa");
  EXPECT_EQ(RegionCode::LevelName(v1::REGION_LEVEL_NATIONAL), "nasional");
  EXPECT_EQ(RegionCode::WidthOf(v1::REGION_LEVEL_UNSPECIFIED), 0u);
}

}  // namespace
}  // namespace c1tally
