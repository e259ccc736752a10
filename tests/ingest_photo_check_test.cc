// CheckPhoto on the real 2024 photos and on what must be refused.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ingest/photo_check.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

TEST(PhotoCheckTest, RealPhotosPass) {
  for (const char* name : {"ppwp-page2-a.jpg", "ppwp-page2-b.jpg",
                           "ppwp-page3-a.jpg", "ppwp-page1-blank-a.jpg"}) {
    const std::string bytes = testing::RealPhoto(name);
    C1TALLY_NEED(!bytes.empty(), "../shared/data");
    absl::StatusOr<CheckedPhoto> photo = CheckPhoto(bytes);
    ASSERT_TRUE(photo.ok()) << name << ": " << photo.status();
    EXPECT_EQ(photo->format, "jpeg");
    EXPECT_GT(photo->width, 500);
    EXPECT_GT(photo->height, 500);
  }
}

TEST(PhotoCheckTest, BytesAfterTheEndOfImageAreAccepted) {
  const std::string bytes = testing::RealPhoto("ppwp-page2-a.jpg");
  C1TALLY_NEED(!bytes.empty(), "../shared/data");
  // Some phones append their own data after the image.
  EXPECT_TRUE(CheckPhoto(bytes + "trailer").ok());
}

TEST(PhotoCheckTest, TruncatedJpegIsRefused) {
  const std::string bytes = testing::RealPhoto("ppwp-page2-a.jpg");
  C1TALLY_NEED(!bytes.empty(), "../shared/data");
  absl::Status status =
      CheckPhoto(bytes.substr(0, bytes.size() * 6 / 10)).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("cut short"));
}

TEST(PhotoCheckTest, PdfIsRefusedByName) {
  absl::Status status =
      CheckPhoto("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n").status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("PDF"));
}

TEST(PhotoCheckTest, TextIsRefused) {
  absl::Status status =
      CheckPhoto("TPS 001 suara sah 235, tidak sah 4\n").status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("not an image"));
}

TEST(PhotoCheckTest, OversizeIsRefused) {
  const std::string bytes = testing::RealPhoto("ppwp-page2-b.jpg");
  C1TALLY_NEED(!bytes.empty(), "../shared/data");
  std::string big = bytes;
  big.resize((25u << 20) + 1, '\0');
  absl::Status status = CheckPhoto(big).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("too large"));
}

}  // namespace
}  // namespace c1tally
