// UploadSlots: the bound on uploads in progress.
#include "gtest/gtest.h"
#include "services/ingest/upload_slots.h"

namespace c1tally {
namespace {

TEST(UploadSlotsTest, RefusesBeyondTheLimitAndFreesOnRelease) {
  UploadSlots slots(2);
  ASSERT_TRUE(slots.Acquire().ok());
  {
    UploadSlots::Held first(&slots);
    ASSERT_TRUE(slots.Acquire().ok());
    UploadSlots::Held second(&slots);
    EXPECT_EQ(slots.in_use(), 2);
    EXPECT_TRUE(absl::IsUnavailable(slots.Acquire()));
  }
  EXPECT_EQ(slots.in_use(), 0);
  EXPECT_TRUE(slots.Acquire().ok());
  UploadSlots::Held again(&slots);
}

TEST(UploadSlotsTest, ZeroMeansNoBound) {
  UploadSlots slots(0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(slots.Acquire().ok());
  EXPECT_EQ(slots.in_use(), 1000);
}

}  // namespace
}  // namespace c1tally
