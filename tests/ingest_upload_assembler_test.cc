// UploadAssembler: offsets, retries, limits.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ingest/upload_assembler.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

v1::CreateSubmissionRequest Chunk(int64_t offset, const std::string& data,
                                  const std::string& tps = "",
                                  int64_t size = 0) {
  v1::CreateSubmissionRequest chunk;
  chunk.set_tps_code(tps);
  chunk.set_size_bytes(size);
  chunk.set_offset(offset);
  chunk.set_data(data);
  return chunk;
}

TEST(UploadAssemblerTest, JoinsChunksInOrder) {
  UploadAssembler assembler(100);
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc", "3101011001001", 7)).ok());
  ASSERT_TRUE(assembler.Add(Chunk(3, "defg")).ok());
  EXPECT_EQ(assembler.tps_code(), "3101011001001");
  absl::StatusOr<std::string> bytes = assembler.Finish();
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, "abcdefg");
}

TEST(UploadAssemblerTest, SameChunkAgainIsIgnored) {
  UploadAssembler assembler(100);
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc", "3101011001001", 6)).ok());
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc")).ok());
  ASSERT_TRUE(assembler.Add(Chunk(1, "bc")).ok());
  ASSERT_TRUE(assembler.Add(Chunk(3, "def")).ok());
  ASSERT_TRUE(assembler.Add(Chunk(3, "def")).ok());
  EXPECT_EQ(*assembler.Finish(), "abcdef");
}

TEST(UploadAssemblerTest, ResentChunkWithOtherBytesIsRefused) {
  UploadAssembler assembler(100);
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc", "3101011001001", 6)).ok());
  absl::Status status = assembler.Add(Chunk(0, "xyz"));
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("different content"));
  // Overlapping the end of what arrived is not a retry either.
  EXPECT_TRUE(absl::IsInvalidArgument(assembler.Add(Chunk(2, "cd"))));
}

TEST(UploadAssemblerTest, GapIsRefused) {
  UploadAssembler assembler(100);
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc", "3101011001001", 10)).ok());
  absl::Status status = assembler.Add(Chunk(5, "fgh"));
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("send the chunk at offset 3"));
  EXPECT_TRUE(absl::IsInvalidArgument(assembler.Add(Chunk(-1, "x"))));
}

TEST(UploadAssemblerTest, FirstChunkMustNameTpsAndSize) {
  UploadAssembler no_tps(100);
  EXPECT_TRUE(absl::IsInvalidArgument(no_tps.Add(Chunk(0, "abc", "", 3))));
  UploadAssembler no_size(100);
  EXPECT_TRUE(
      absl::IsInvalidArgument(no_size.Add(Chunk(0, "abc", "3101011001001"))));
}

TEST(UploadAssemblerTest, SizeAboveLimitIsRefusedAtOnce) {
  UploadAssembler assembler(100);
  absl::Status status = assembler.Add(Chunk(0, "", "3101011001001", 101));
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("too large"));
}

TEST(UploadAssemblerTest, BytesBeyondTheAnnouncedSizeAreRefused) {
  UploadAssembler assembler(100);
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc", "3101011001001", 4)).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(assembler.Add(Chunk(3, "de"))));
}

TEST(UploadAssemblerTest, ChangedTpsOrSizeIsRefused) {
  UploadAssembler assembler(100);
  ASSERT_TRUE(assembler.Add(Chunk(0, "abc", "3101011001001", 6)).ok());
  EXPECT_TRUE(
      absl::IsInvalidArgument(assembler.Add(Chunk(3, "def", "3101011001002"))));
  EXPECT_TRUE(absl::IsInvalidArgument(assembler.Add(Chunk(3, "def", "", 7))));
  EXPECT_TRUE(assembler.Add(Chunk(3, "def", "3101011001001", 6)).ok());
}

TEST(UploadAssemblerTest, ShortOrEmptyUploadIsRefused) {
  UploadAssembler empty(100);
  EXPECT_TRUE(absl::IsInvalidArgument(empty.Finish().status()));
  UploadAssembler short_upload(100);
  ASSERT_TRUE(short_upload.Add(Chunk(0, "abc", "3101011001001", 6)).ok());
  absl::Status status = short_upload.Finish().status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("3 of 6"));
}

}  // namespace
}  // namespace c1tally
