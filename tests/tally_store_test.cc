#include "storage/tally_store.h"

#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/sample_results.h"
#include "storage/tally_verifier.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A consistent PPWP result vouched for by people.
v1::TpsResult Ppwp(const std::string& tps, int p1, int p2, int p3,
                   int invalid = 2) {
  v1::TpsResult result = PpwpResult(tps, p1, p2, p3, invalid);
  result.mutable_provenance()->set_source(v1::Provenance::SOURCE_PEOPLE);
  return result;
}

class TallyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    ASSERT_NE(db_, nullptr);
    testing::ImportFixtureTree(db_.get(), dir_);
    absl::StatusOr<FormKinds> kinds = FormKinds::Builtin();
    ASSERT_TRUE(kinds.ok()) << kinds.status();
    kinds_ = std::make_unique<FormKinds>(*std::move(kinds));
    OpenStore();
  }

  void OpenStore() {
    absl::StatusOr<std::unique_ptr<TallyStore>> store =
        TallyStore::Open(db_.get(), kinds_.get());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  v1::Aggregate AggregateOf(const std::string& code) {
    absl::StatusOr<v1::Region> region =
        store_->GetRegion(*RegionCode::Parse(code), "ppwp");
    EXPECT_TRUE(region.ok()) << region.status();
    return region.ok() ? region->aggregate() : v1::Aggregate();
  }

  int64_t Sum(const std::string& code, const std::string& field) {
    v1::Aggregate aggregate = AggregateOf(code);
    auto it = aggregate.sums().find(field);
    return it == aggregate.sums().end() ? 0 : it->second;
  }

  void ExpectVerified() {
    absl::StatusOr<TallyVerification> report = VerifyTally(db_.get());
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_THAT(report->differences, IsEmpty());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<FormKinds> kinds_;
  std::unique_ptr<TallyStore> store_;
};

TEST_F(TallyStoreTest, SetResultAddsToEveryAncestor) {
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001001", 10, 20, 30)}).ok());
  for (const char* code : {"1101012001", "110101", "1101", "11", ""}) {
    SCOPED_TRACE(code);
    v1::Aggregate aggregate = AggregateOf(code);
    EXPECT_EQ(aggregate.sums().at("suara_paslon_1"), 10);
    EXPECT_EQ(aggregate.sums().at("suara_sah"), 60);
    EXPECT_EQ(aggregate.tps_with_result(), 1);
    EXPECT_EQ(aggregate.tps_flagged(), 0);
  }
  EXPECT_EQ(AggregateOf("").tps_total(), 12);
  EXPECT_EQ(AggregateOf("1101022001").tps_total(), 3);
  // Another branch is untouched.
  EXPECT_EQ(AggregateOf("31").tps_with_result(), 0);
  EXPECT_EQ(Sum("31", "suara_paslon_1"), 0);
  ExpectVerified();
}

TEST_F(TallyStoreTest, SameResultTwiceChangesNothing) {
  absl::StatusOr<TallyStore::Outcome> first =
      store_->SetResults({Ppwp("1101012001001", 10, 20, 30)});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->changed, 1);
  absl::StatusOr<TallyStore::Outcome> second =
      store_->SetResults({Ppwp("1101012001001", 10, 20, 30)});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->changed, 0);
  EXPECT_EQ(second->journal_sequence, first->journal_sequence);
  EXPECT_EQ(Sum("", "suara_paslon_1"), 10);
  EXPECT_EQ(AggregateOf("").tps_with_result(), 1);
  ExpectVerified();
}

TEST_F(TallyStoreTest, CorrectionSubtractsTheOldNumbers) {
  ASSERT_TRUE(store_
                  ->SetResults({Ppwp("1101012001001", 10, 20, 30),
                                Ppwp("1101012001002", 1, 2, 3)})
                  .ok());
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001001", 12, 20, 30)}).ok());
  EXPECT_EQ(Sum("", "suara_paslon_1"), 13);
  EXPECT_EQ(Sum("1101012001", "suara_sah"), 62 + 6);
  EXPECT_EQ(AggregateOf("").tps_with_result(), 2);
  ExpectVerified();
}

TEST_F(TallyStoreTest, ClearRemovesTheResultAndItsNumbers) {
  ASSERT_TRUE(store_->SetResults({Ppwp("3101011001004", 5, 6, 7)}).ok());
  absl::StatusOr<uint64_t> cleared =
      store_->ClearResult("3101011001004", "ppwp", "photo was of another TPS");
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_EQ(*cleared, 2u);
  EXPECT_TRUE(absl::IsNotFound(
      store_->GetResult(*RegionCode::Parse("3101011001004"), "ppwp").status()));
  EXPECT_EQ(AggregateOf("31").tps_with_result(), 0);
  EXPECT_THAT(AggregateOf("31").sums(), IsEmpty());
  EXPECT_TRUE(absl::IsNotFound(
      store_->ClearResult("3101011001004", "ppwp", "again").status()));
  absl::StatusOr<Page<v1::JournalEntry>> journal =
      store_->ListJournal("3101011001004", 10, "");
  ASSERT_TRUE(journal.ok());
  ASSERT_EQ(journal->items.size(), 2u);
  EXPECT_FALSE(journal->items[1].has_current());
  EXPECT_EQ(journal->items[1].reason(), "photo was of another TPS");
  ExpectVerified();
}

TEST_F(TallyStoreTest, BrokenArithmeticIsFlaggedNotRefused) {
  v1::TpsResult result = Ppwp("1101012002001", 10, 20, 30);
  (*result.mutable_values())["suara_sah"] = 61;
  // A caller cannot set or suppress arithmetic flags; the store computes
  // them.
  result.add_flags("arithmetic:made_up");
  result.add_flags("conflicting_photos");
  absl::StatusOr<TallyStore::Outcome> outcome = store_->SetResults({result});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(
      outcome->stored[0].flags(),
      ::testing::ElementsAre("arithmetic:suara_sah", "arithmetic:suara_total",
                             "conflicting_photos"));
  EXPECT_EQ(AggregateOf("").tps_flagged(), 1);
  // Fixing the numbers and dropping the flag unflags the TPS.
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012002001", 10, 20, 30)}).ok());
  EXPECT_EQ(AggregateOf("").tps_flagged(), 0);
  ExpectVerified();
}

TEST_F(TallyStoreTest, BadBatchAppliesNothing) {
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001001", 1, 1, 1)}).ok());
  const uint64_t sequence = store_->journal_sequence();
  struct Case {
    std::string name;
    v1::TpsResult result;
    absl::StatusCode code;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({"out of range", Ppwp("1101012001002", 1000, 0, 0),
                   absl::StatusCode::kInvalidArgument, "outside 0..999"});
  {
    v1::TpsResult negative = Ppwp("1101012001002", 1, 1, 1);
    (*negative.mutable_values())["suara_tidak_sah"] = -1;
    cases.push_back(
        {"negative", negative, absl::StatusCode::kInvalidArgument, "outside"});
  }
  {
    v1::TpsResult missing = Ppwp("1101012001002", 1, 1, 1);
    missing.mutable_values()->erase("suara_total");
    cases.push_back({"missing field", missing,
                     absl::StatusCode::kInvalidArgument,
                     "required field suara_total"});
  }
  {
    v1::TpsResult unknown = Ppwp("1101012001002", 1, 1, 1);
    (*unknown.mutable_values())["suara_paslon_4"] = 1;
    cases.push_back({"unknown field", unknown,
                     absl::StatusCode::kInvalidArgument, "suara_paslon_4"});
  }
  {
    v1::TpsResult kind = Ppwp("1101012001002", 1, 1, 1);
    kind.set_form_kind("dprd");
    cases.push_back({"unknown kind", kind, absl::StatusCode::kInvalidArgument,
                     "unknown form kind"});
  }
  cases.push_back({"unknown TPS", Ppwp("1101012001009", 1, 1, 1),
                   absl::StatusCode::kNotFound, "not in the region tree"});
  cases.push_back({"kelurahan", Ppwp("1101012001", 1, 1, 1),
                   absl::StatusCode::kInvalidArgument, "kelurahan/desa code"});
  cases.push_back({"malformed", Ppwp("11010120010x1", 1, 1, 1),
                   absl::StatusCode::kInvalidArgument, "not a digit"});
  cases.push_back({"TPS 000", Ppwp("1101012001000", 1, 1, 1),
                   absl::StatusCode::kInvalidArgument, "000"});
  cases.push_back({"duplicate", Ppwp("1101012002001", 1, 1, 1),
                   absl::StatusCode::kInvalidArgument, "twice"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // The bad result comes last, after a valid one that must not land.
    std::vector<v1::TpsResult> batch = {Ppwp("1101012002001", 7, 7, 7),
                                        c.result};
    absl::StatusOr<TallyStore::Outcome> outcome = store_->SetResults(batch);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.status().code(), c.code) << outcome.status();
    EXPECT_THAT(outcome.status().message(), HasSubstr(c.message));
    EXPECT_THAT(outcome.status().message(), HasSubstr("result 1"));
    EXPECT_EQ(store_->journal_sequence(), sequence);
    EXPECT_EQ(Sum("", "suara_paslon_1"), 1);
    EXPECT_EQ(AggregateOf("").tps_with_result(), 1);
  }
  ExpectVerified();
}

TEST_F(TallyStoreTest, ACallersBatchLandsWithTheResultsOrNotAtAll) {
  // Another store's key stands in for the photo a result comes from.
  auto put_marker = [&](rocksdb::WriteBatch* batch, const std::string& key) {
    batch->Put(db_->handle(Family::kMeta), key, "x");
  };
  auto has_marker = [&](const std::string& key) {
    std::string value;
    return db_->Get(Family::kMeta, key, &value, "marker").ok();
  };
  rocksdb::WriteBatch with_result;
  put_marker(&with_result, "test.with-result");
  ASSERT_TRUE(
      store_->SetResults({Ppwp("1101012001001", 10, 20, 30)}, &with_result)
          .ok());
  EXPECT_TRUE(has_marker("test.with-result"));
  EXPECT_EQ(Sum("", "suara_paslon_1"), 10);
  // Nothing changes in the tally: the batch still lands.
  const uint64_t journal = store_->journal_sequence();
  rocksdb::WriteBatch unchanged;
  put_marker(&unchanged, "test.unchanged");
  ASSERT_TRUE(
      store_->SetResults({Ppwp("1101012001001", 10, 20, 30)}, &unchanged).ok());
  EXPECT_TRUE(has_marker("test.unchanged"));
  EXPECT_EQ(store_->journal_sequence(), journal);
  // A refused result: neither lands.
  rocksdb::WriteBatch refused;
  put_marker(&refused, "test.refused");
  EXPECT_TRUE(absl::IsInvalidArgument(
      store_->SetResults({Ppwp("1101012001002", 1000, 20, 30)}, &refused)
          .status()));
  EXPECT_FALSE(has_marker("test.refused"));
  EXPECT_EQ(store_->journal_sequence(), journal);
  ExpectVerified();
}

TEST_F(TallyStoreTest, ManyThreadsWritingAtOnceKeepAggregatesExact) {
  const std::vector<std::string> codes = testing::FixtureTpsCodes();
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 150;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(t);
      for (int i = 0; i < kWritesPerThread; ++i) {
        const std::string& tps = codes[random() % codes.size()];
        absl::Status status;
        if (random() % 5 == 0) {
          status = store_->ClearResult(tps, "ppwp", "test").status();
          if (absl::IsNotFound(status)) status = absl::OkStatus();
        } else {
          status = store_
                       ->SetResults({Ppwp(tps, random() % 300, random() % 300,
                                          random() % 300)})
                       .status();
        }
        ASSERT_TRUE(status.ok()) << status;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  // The national sum equals the sum of the final TPS results.
  int64_t expected = 0, with_result = 0;
  for (const std::string& tps : codes) {
    absl::StatusOr<v1::TpsResult> result =
        store_->GetResult(*RegionCode::Parse(tps), "ppwp");
    if (result.ok()) {
      expected += result->values().at("suara_sah");
      ++with_result;
    }
  }
  EXPECT_EQ(Sum("", "suara_sah"), expected);
  EXPECT_EQ(AggregateOf("").tps_with_result(), with_result);
  ExpectVerified();
}

TEST_F(TallyStoreTest, JournalChainsAcrossReopen) {
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001001", 1, 2, 3)}).ok());
  store_.reset();
  db_.reset();
  db_ = testing::OpenDatabase(dir_.Sub("db"));
  OpenStore();
  EXPECT_EQ(store_->journal_sequence(), 1u);
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001001", 1, 2, 4)}).ok());
  absl::StatusOr<Page<v1::JournalEntry>> journal =
      store_->ListJournal("", 10, "");
  ASSERT_TRUE(journal.ok());
  ASSERT_EQ(journal->items.size(), 2u);
  EXPECT_EQ(journal->items[1].previous_hash(), journal->items[0].entry_hash());
  EXPECT_EQ(journal->items[0].previous_hash(), Journal::GenesisHash());
  EXPECT_EQ(journal->items[1].previous().values().at("suara_paslon_3"), 3);
  ExpectVerified();
}

TEST_F(TallyStoreTest, VerifyFindsRewrittenHistoryAndWrongAggregates) {
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001001", 10, 20, 30)}).ok());
  ASSERT_TRUE(store_->SetResults({Ppwp("1101012001002", 1, 2, 3)}).ok());
  // Rewrite entry 1 as if someone changed what was recorded.
  std::string value;
  ASSERT_TRUE(
      db_->Get(Family::kJournal, keys::Sequence(1), &value, "entry").ok());
  v1::JournalEntry entry;
  ASSERT_TRUE(entry.ParseFromString(value));
  (*entry.mutable_current()->mutable_values())["suara_paslon_1"] = 11;
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(Family::kJournal), keys::Sequence(1),
            entry.SerializeAsString());
  // And an aggregate that no longer adds up.
  v1::Aggregate wrong = AggregateOf("11");
  (*wrong.mutable_sums())["suara_paslon_2"] += 5;
  batch.Put(db_->handle(Family::kAggregates), keys::Aggregate("ppwp", "11"),
            wrong.SerializeAsString());
  ASSERT_TRUE(db_->Write(&batch).ok());

  absl::StatusOr<TallyVerification> report = VerifyTally(db_.get());
  ASSERT_TRUE(report.ok());
  EXPECT_THAT(
      report->differences,
      Contains(HasSubstr("journal entry 1: entry_hash does not match")));
  EXPECT_THAT(report->differences,
              Contains(HasSubstr("aggregate ppwp/11: sums")));
  // Replaying the rewritten entry no longer gives the stored result.
  EXPECT_THAT(report->differences,
              Contains(HasSubstr("differs from what journal entry 1 set")));
  EXPECT_EQ(report->differences.size(), 3u);
}

}  // namespace
}  // namespace c1tally
