// Page sizes and page tokens, the one way every listing pages.
#include "storage/listing_page.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

TEST(ListingPageTest, PageSizesAreClamped) {
  EXPECT_EQ(ClampPageSize(0), kDefaultPageSize);
  EXPECT_EQ(ClampPageSize(-5), kDefaultPageSize);
  EXPECT_EQ(ClampPageSize(7), 7);
  EXPECT_EQ(ClampPageSize(kMaxPageSize + 1), kMaxPageSize);
}

TEST(ListingPageTest, TokensComeBackToTheirListing) {
  const std::string token = EncodePageToken("tps/3101", "3101011001002");
  absl::StatusOr<std::string> position = DecodePageToken("tps/3101", token);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(*position, "3101011001002");
  // Opaque: neither the listing nor the position shows as text, and the
  // token is safe in a URL as it is.
  EXPECT_THAT(token, ::testing::Not(::testing::HasSubstr("3101")));
  EXPECT_THAT(token, ::testing::MatchesRegex("[A-Za-z0-9_-]+"));
  // Binary positions (index keys) survive.
  const std::string binary("a\0\xff", 3);
  EXPECT_EQ(*DecodePageToken("x", EncodePageToken("x", binary)), binary);
}

TEST(ListingPageTest, TheEmptyTokenIsTheFirstPage) {
  absl::StatusOr<std::string> position = DecodePageToken("users", "");
  ASSERT_TRUE(position.ok());
  EXPECT_EQ(*position, "");
}

TEST(ListingPageTest, OtherListingsAndMalformedTokensAreRefused) {
  const std::string token = EncodePageToken("tps/3101", "3101011001002");
  absl::Status other = DecodePageToken("tps/3102", token).status();
  EXPECT_TRUE(absl::IsInvalidArgument(other)) << other;
  EXPECT_THAT(other.message(), ::testing::HasSubstr("another listing"));
  // A prefix of the listing's name is another listing too.
  EXPECT_TRUE(absl::IsInvalidArgument(
      DecodePageToken("tps/31", EncodePageToken("tps/3101", "x")).status()));
  for (const char* bad : {"not a token", "3101011001002", "%%", "a"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(
        absl::IsInvalidArgument(DecodePageToken("tps/3101", bad).status()));
  }
}

}  // namespace
}  // namespace c1tally
