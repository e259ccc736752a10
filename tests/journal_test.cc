// Journal on its own, against a real RocksDB directory: numbering, the
// hash chain, reloading the head, a discarded batch, listing by TPS with
// page tokens.
#include "storage/journal.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

v1::JournalEntry Entry(const std::string& tps, int64_t votes) {
  v1::JournalEntry entry;
  entry.set_tps_code(tps);
  entry.set_form_kind("ppwp");
  (*entry.mutable_current()->mutable_values())["suara_sah"] = votes;
  return entry;
}

// Stages and writes one entry per TPS code, then publishes them.
void Append(Database* db, Journal* journal,
            const std::vector<std::string>& codes) {
  rocksdb::WriteBatch batch;
  for (size_t i = 0; i < codes.size(); ++i) {
    v1::JournalEntry entry = Entry(codes[i], static_cast<int64_t>(i));
    journal->Stage(&entry, &batch);
  }
  ASSERT_TRUE(db->Write(&batch).ok());
  journal->Publish();
}

std::vector<v1::JournalEntry> ListAll(const Journal& journal,
                                      const std::string& tps, int page_size) {
  std::vector<v1::JournalEntry> all;
  std::string token;
  do {
    absl::StatusOr<Page<v1::JournalEntry>> page =
        journal.List(tps, page_size, token);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    all.insert(all.end(), page->items.begin(), page->items.end());
    token = page->next_page_token;
  } while (!token.empty());
  return all;
}

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    journal_ = std::make_unique<Journal>(db_.get());
    ASSERT_TRUE(journal_->Load().ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Journal> journal_;
};

TEST_F(JournalTest, EntriesAreNumberedAndChained) {
  EXPECT_EQ(journal_->head_sequence(), 0u);
  EXPECT_EQ(journal_->head_hash(), Journal::GenesisHash());
  Append(db_.get(), journal_.get(),
         {"3101011001001", "3101011001002", "3101011001001"});
  EXPECT_EQ(journal_->head_sequence(), 3u);
  const std::vector<v1::JournalEntry> all = ListAll(*journal_, "", 2);
  ASSERT_EQ(all.size(), 3u);
  std::string previous = Journal::GenesisHash();
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].sequence(), i + 1);
    EXPECT_EQ(all[i].previous_hash(), previous);
    EXPECT_EQ(all[i].entry_hash(), Journal::HashOf(all[i]));
    previous = all[i].entry_hash();
  }
  EXPECT_EQ(journal_->head_hash(), previous);
  // A changed entry no longer matches its hash.
  v1::JournalEntry edited = all[1];
  (*edited.mutable_current()->mutable_values())["suara_sah"] = 999;
  EXPECT_NE(Journal::HashOf(edited), all[1].entry_hash());
}

TEST_F(JournalTest, AReopenedJournalContinuesTheChain) {
  Append(db_.get(), journal_.get(), {"3101011001001", "3101011001002"});
  const std::string hash = journal_->head_hash();
  Journal reopened(db_.get());
  ASSERT_TRUE(reopened.Load().ok());
  EXPECT_EQ(reopened.head_sequence(), 2u);
  EXPECT_EQ(reopened.head_hash(), hash);
  Append(db_.get(), &reopened, {"3101011001003"});
  const std::vector<v1::JournalEntry> all = ListAll(reopened, "", 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].previous_hash(), hash);
}

TEST_F(JournalTest, ADiscardedBatchLeavesNoGap) {
  Append(db_.get(), journal_.get(), {"3101011001001"});
  {
    rocksdb::WriteBatch never_written;
    v1::JournalEntry entry = Entry("3101011001002", 5);
    journal_->Stage(&entry, &never_written);
    EXPECT_EQ(entry.sequence(), 2u);
    journal_->Discard();
  }
  EXPECT_EQ(journal_->head_sequence(), 1u);
  Append(db_.get(), journal_.get(), {"3101011001003"});
  const std::vector<v1::JournalEntry> all = ListAll(*journal_, "", 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].sequence(), 2u);
  EXPECT_EQ(all[1].tps_code(), "3101011001003");
  EXPECT_EQ(all[1].previous_hash(), all[0].entry_hash());
}

TEST_F(JournalTest, ListsOneTpsInPages) {
  std::vector<std::string> codes;
  for (int i = 0; i < 7; ++i) {
    codes.push_back(i % 2 == 0 ? "3101011001001" : "3101011001002");
  }
  Append(db_.get(), journal_.get(), codes);
  const std::vector<v1::JournalEntry> one =
      ListAll(*journal_, "3101011001001", 2);
  ASSERT_EQ(one.size(), 4u);
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].tps_code(), "3101011001001");
    EXPECT_EQ(one[i].sequence(), 2 * i + 1);
  }
  EXPECT_TRUE(ListAll(*journal_, "3101011001009", 2).empty());
}

TEST_F(JournalTest, PageTokensBelongToTheirListing) {
  Append(db_.get(), journal_.get(),
         {"3101011001001", "3101011001001", "3101011001001"});
  absl::StatusOr<Page<v1::JournalEntry>> first =
      journal_->List("3101011001001", 1, "");
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token.empty());
  EXPECT_TRUE(absl::IsInvalidArgument(
      journal_->List("", 1, first->next_page_token).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(journal_->List("", 1, "2").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      journal_->List("", 1, EncodePageToken("journal/", "two")).status()));
}

}  // namespace
}  // namespace c1tally
