// A power loss after every single write of photos on their way: photos
// read by the machine alone, read and entered by volunteers, rejected by
// them, and failed by the OCR are driven through the real stores; then, for
// each write k, the database is replayed as the crash right after write k
// would have left it (crash_replay.h), reopened, checked for half steps,
// recovered as at a start, and checked again. A photo may stand between
// two steps before the recovery, never inside one; after it, nothing is
// left between steps, and the tally agrees with itself.
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/photo_recovery.h"
#include "storage/tally_verifier.h"
#include "tests/crash_replay.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

namespace fs = std::filesystem;

constexpr char kOtherTps[] = "3101011001002";

class PhotoCrashTest : public testing::PhotoPipelineTest {
 protected:
  // Every kind of step, some of them several times.
  void DriveThePhotos() {
    Read("photo-p2", Page2());  // read and settled by the machine
    Read("photo-p3", Page3(false));
    ClaimAndEnter("ani", 429);
    ClaimAndEnter("budi", 429);  // the last entry: settled and published
    Read("selfie", Selfie(), kOtherTps);
    ClaimAndSay("cici", v1::ReviewEntry::VERDICT_NOT_A_FORM);
    ClaimAndSay("dedi", v1::ReviewEntry::VERDICT_NOT_A_FORM);
    Upload("blurred", kOtherTps);
    for (int attempt = 0; attempt < 3; ++attempt) {
      absl::StatusOr<v1::OcrJob> job = photos_->Lease("w", absl::Minutes(1));
      ASSERT_TRUE(job.ok());
      ASSERT_TRUE(
          photos_->FailReading(job->name(), job->lease_id(), "blur").ok());
    }
    Upload("leased");
    ASSERT_TRUE(photos_->Lease("w", absl::Minutes(1)).ok());
  }

  // Names of the photos in the RECEIVED queue.
  std::set<std::string> Queued() {
    std::set<std::string> names;
    std::string from;
    while (true) {
      absl::StatusOr<SubmissionStore::Queued> next =
          submissions_->NextReceived(from);
      if (!next.ok()) break;
      names.insert(next->name);
      from = next->queue_key + '\0';
    }
    return names;
  }

  bool HasLeaseRecord(const v1::Submission& photo) {
    std::string value;
    return db_
        ->Get(Family::kOcrJobs,
              keys::Submission(photo.tps_code(), photo.sha256()), &value,
              "lease")
        .ok();
  }

  bool InOpenQueue(const storage::StoredReviewTask& task) {
    std::string value;
    return db_->Get(Family::kReviewOpen, task.queue_key(), &value, "open").ok();
  }

  // The tasks a reading makes (this fixture reviews doubtful fields only).
  static int TasksFor(const v1::Reading& reading) {
    if (reading.error() != v1::Reading::ERROR_NONE) return 1;
    int tasks = 0;
    for (const v1::FieldReading& field : reading.fields()) {
      tasks += field.status() != v1::FieldReading::STATUS_ACCEPTED;
    }
    return tasks;
  }

  // Every photo whole across the stores; with `recovered`, none left
  // between steps either. `at` names the crash in failure messages.
  void ExpectWhole(const std::string& at, bool recovered) {
    const std::set<std::string> queued = Queued();
    std::set<std::string> tps_codes;
    ASSERT_TRUE(submissions_
                    ->ForEach([&](const v1::Submission& photo) {
                      ExpectPhotoWhole(at, photo, queued.count(photo.name()),
                                       recovered);
                      tps_codes.insert(photo.tps_code());
                      return absl::OkStatus();
                    })
                    .ok());
    for (const std::string& tps : tps_codes) ExpectResultJoined(at, tps);
    absl::StatusOr<TallyVerification> tally = VerifyTally(db_.get());
    ASSERT_TRUE(tally.ok()) << tally.status();
    EXPECT_THAT(tally->differences, ::testing::IsEmpty()) << at;
  }

  void ExpectPhotoWhole(const std::string& at, const v1::Submission& photo,
                        bool queued, bool recovered) {
    const std::string where = absl::StrCat(
        at, ", ", photo.name(), " ", v1::Submission::State_Name(photo.state()));
    absl::StatusOr<std::vector<storage::StoredReviewTask>> tasks =
        reviews_->TasksOf(photo);
    ASSERT_TRUE(tasks.ok()) << tasks.status();
    int unsettled = 0;
    for (const storage::StoredReviewTask& task : *tasks) {
      unsettled += !ReviewStore::IsSettled(task.task());
      EXPECT_EQ(InOpenQueue(task),
                task.task().state() == v1::ReviewTask::STATE_OPEN)
          << where << ": " << task.task().name();
    }
    const bool received = photo.state() == v1::Submission::STATE_RECEIVED;
    EXPECT_EQ(queued, received) << where;
    if (received) {
      EXPECT_FALSE(photo.has_reading()) << where;
      EXPECT_TRUE(tasks->empty()) << where;
      return;
    }
    EXPECT_FALSE(HasLeaseRecord(photo)) << where;
    switch (photo.state()) {
      case v1::Submission::STATE_READ:
        EXPECT_EQ(static_cast<int>(tasks->size()), TasksFor(photo.reading()))
            << where;
        if (recovered) {
          EXPECT_GT(unsettled, 0) << where;
        }
        break;
      case v1::Submission::STATE_SETTLED:
        EXPECT_FALSE(photo.settled_values().empty()) << where;
        EXPECT_EQ(unsettled, 0) << where;
        break;
      default:  // FAILED
        EXPECT_EQ(unsettled, 0) << where;
        break;
    }
  }

  // The published result of `tps` is the join of its settled photos.
  void ExpectResultJoined(const std::string& at, const std::string& tps) {
    absl::StatusOr<std::vector<v1::TpsResult>> results =
        publisher_->ResultsOf(tps, nullptr);
    ASSERT_TRUE(results.ok()) << results.status();
    ASSERT_LE(results->size(), 1u);  // ppwp photos only
    std::optional<v1::TpsResult> joined;
    if (!results->empty()) joined = results->front();
    absl::StatusOr<v1::TpsResult> published = Result(tps);
    if (!joined.has_value()) {
      EXPECT_TRUE(absl::IsNotFound(published.status())) << at << ", " << tps;
      return;
    }
    ASSERT_TRUE(published.ok())
        << at << ", " << tps << ": " << published.status();
    EXPECT_THAT(
        published->provenance().submission_ids(),
        ::testing::ElementsAreArray(joined->provenance().submission_ids()))
        << at;
    using Values = std::map<std::string, int64_t>;
    EXPECT_EQ(Values(published->values().begin(), published->values().end()),
              Values(joined->values().begin(), joined->values().end()))
        << at << ", " << tps;
  }

  static void CopyDatabase(const std::string& from, const std::string& to) {
    fs::remove_all(to);
    fs::copy(from, to, fs::copy_options::recursive);
  }
};

TEST_F(PhotoCrashTest, ACrashAfterAnyWriteLeavesNoHalfStep) {
  DriveThePhotos();
  ASSERT_FALSE(HasFatalFailure());
  const uint32_t submissions = db_->handle(Family::kSubmissions)->GetID();
  Close();
  const std::string db = dir_.Sub("db");
  const std::string done = dir_.Sub("db-done");
  CopyDatabase(db, done);
  // The photos' writes: from the first upload to the end of the log.
  int first = -1;
  CopyDatabase(done, db);
  const int total =
      testing::ReplayLog(db, [&](int index, const rocksdb::WriteBatch& write) {
        if (first < 0 && !testing::PutsInto(write, submissions).empty()) {
          first = index;
        }
        return true;
      });
  ASSERT_GT(first, -1);
  // Uploads, leases, readings, claims, entries, settlings, failures.
  ASSERT_GT(total - first, 25);
  for (int crash = first; crash <= total; ++crash) {
    const std::string at = absl::StrCat("crash after write ", crash - first,
                                        " of ", total - first);
    CopyDatabase(done, db);
    ASSERT_EQ(
        testing::ReplayLog(db,
                           [crash](int index, const rocksdb::WriteBatch&) {
                             return index < crash;
                           }),
        total);
    Open();
    ExpectWhole(at, /*recovered=*/false);
    absl::StatusOr<int> recovered = RecoverPhotos(*submissions_, photos_.get());
    ASSERT_TRUE(recovered.ok()) << at << ": " << recovered.status();
    ExpectWhole(at, /*recovered=*/true);
    Close();
    if (HasFailure()) break;  // one crash's story is enough to read
  }
  // The last replay kept everything: the photos ended as driven.
  Open();
  EXPECT_TRUE(Result().ok());
}

}  // namespace
}  // namespace c1tally
