// Review and settling on a real database with the fixture tree and a fake
// clock: readings come in through the OCR queue as a worker would report
// them; simulated volunteers claim and enter; results reach the TallyStore.
#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/file_blob_store.h"
#include "storage/ocr_queue.h"
#include "storage/review_store.h"
#include "storage/tps_pages.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTps[] = "3101011001001";

// A field as the machine read it: accepted, or in review.
struct Field {
  std::string name;
  int64_t value;
  bool accepted;
};

class ReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
    kinds_ = std::make_unique<FormKinds>(*FormKinds::Builtin());
    tally_ = *TallyStore::Open(db_.get(), kinds_.get());
    blobs_ = *FileBlobStore::Open(dir_.Sub("photos"));
    submissions_ = std::make_unique<SubmissionStore>(db_.get(), blobs_.get(),
                                                     [this] { return now_; });
    ReviewStore::Options options;
    options.page_fields = {
        {2, {"suara_paslon_1", "suara_paslon_2", "suara_paslon_3"}},
        {3, {"suara_sah", "suara_tidak_sah", "suara_total"}}};
    options.form_kind = *kinds_->Find("ppwp");
    options.clock = [this] { return now_; };
    reviews_ = std::make_unique<ReviewStore>(db_.get(), submissions_.get(),
                                             tally_.get(), options);
    OcrQueue::Options queue;
    queue.clock = [this] { return now_; };
    queue_ = std::make_unique<OcrQueue>(
        db_.get(), submissions_.get(), queue,
        [this](const v1::Submission& s, rocksdb::WriteBatch* b) {
          return reviews_->AddTasks(s, b);
        },
        [this](const v1::Submission& s) {
          EXPECT_TRUE(reviews_->SettleIfDone(s.name()).ok());
        });
  }

  // Uploads `photo` for `tps` by "saksi" and has it read as `reading`.
  std::string Read(const std::string& photo, const v1::Reading& reading,
                   const std::string& tps = kTps) {
    NewPhoto upload;
    upload.tps_code = tps;
    upload.uploader = "saksi";
    upload.bytes = photo;
    upload.image_format = "jpeg";
    absl::StatusOr<SubmissionStore::Created> created =
        submissions_->Create(upload, {});
    EXPECT_TRUE(created.ok()) << created.status();
    now_ += absl::Seconds(1);
    absl::StatusOr<v1::OcrJob> job = queue_->Lease("w", absl::Minutes(1));
    EXPECT_TRUE(job.ok()) << job.status();
    EXPECT_TRUE(queue_->Complete(job->name(), job->lease_id(), reading).ok());
    return created->submission.name();
  }

  static v1::Reading ReadingOf(int page, const std::vector<Field>& fields) {
    v1::Reading reading;
    reading.set_form("C.HASIL-PPWP");
    reading.set_page(page);
    reading.set_error(v1::Reading::ERROR_NONE);
    for (const Field& field : fields) {
      v1::FieldReading* f = reading.add_fields();
      f->set_name(field.name);
      f->set_value(field.value);
      f->set_status(field.accepted ? v1::FieldReading::STATUS_ACCEPTED
                                   : v1::FieldReading::STATUS_REVIEW);
      f->set_crop_png("crop-of-" + field.name);
      for (int box = 0; box < 3; ++box) {
        f->add_box_png(absl::StrCat("box", box, "-of-", field.name));
      }
    }
    return reading;
  }

  static v1::Reading Page2(bool all_accepted = true) {
    return ReadingOf(2, {{"suara_paslon_1", 123, true},
                         {"suara_paslon_2", 274, all_accepted},
                         {"suara_paslon_3", 32, true}});
  }

  static v1::Reading Page3(bool sah_accepted) {
    return ReadingOf(3, {{"suara_sah", 429, sah_accepted},
                         {"suara_tidak_sah", 3, true},
                         {"suara_total", 432, true}});
  }

  static v1::ReviewEntry Value(const v1::ReviewTask& task, int64_t value) {
    v1::ReviewEntry entry;
    entry.set_task(task.name());
    entry.set_verdict(v1::ReviewEntry::VERDICT_VALUE);
    (*entry.mutable_values())[task.field()] = value;
    return entry;
  }

  // `volunteer` claims the next task and enters `value` for it.
  v1::ReviewTask ClaimAndEnter(const std::string& volunteer, int64_t value) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim(volunteer);
    EXPECT_TRUE(task.ok()) << volunteer << ": " << task.status();
    if (!task.ok()) return {};
    absl::StatusOr<v1::ReviewTask> entered =
        reviews_->Enter(volunteer, task->lease_id(), Value(*task, value));
    EXPECT_TRUE(entered.ok()) << entered.status();
    return entered.ok() ? *entered : v1::ReviewTask();
  }

  absl::StatusOr<v1::TpsResult> Result() {
    return tally_->GetResult(*RegionCode::Parse(kTps), "ppwp");
  }

  v1::Submission Get(const std::string& name) {
    return *submissions_->Get(name);
  }

  testing::TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1707868800);
  std::unique_ptr<Database> db_;
  std::unique_ptr<FormKinds> kinds_;
  std::unique_ptr<TallyStore> tally_;
  std::unique_ptr<FileBlobStore> blobs_;
  std::unique_ptr<SubmissionStore> submissions_;
  std::unique_ptr<ReviewStore> reviews_;
  std::unique_ptr<OcrQueue> queue_;
};

TEST_F(ReviewTest, AcceptedPagesSettleAtOnceAndPublishTheTps) {
  const std::string p2 = Read("photo-p2", Page2());
  EXPECT_EQ(Get(p2).state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(Get(p2).settled_by().at("suara_paslon_1"), "machine");
  // One page is not a result yet.
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  Read("photo-p3", ReadingOf(3, {{"suara_sah", 429, true},
                                 {"suara_tidak_sah", 3, true},
                                 {"suara_total", 432, true}}));
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->values().at("suara_paslon_2"), 274);
  EXPECT_EQ(result->values().at("suara_total"), 432);
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_MACHINE);
  EXPECT_EQ(result->provenance().submission_ids_size(), 2);
  EXPECT_THAT(result->flags(), IsEmpty());  // 123 + 274 + 32 = 429
}

TEST_F(ReviewTest, TwoEqualBlindEntriesVerifyAField) {
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_READ);
  // The uploader never gets their own photo.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("saksi").status()));

  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->kind(), v1::ReviewTask::KIND_FIELD);
  EXPECT_EQ(task->field(), "suara_sah");
  EXPECT_EQ(task->image_png(), "crop-of-suara_sah");
  EXPECT_EQ(task->tps_code(), kTps);
  // Blind: the task carries no value, and nobody else gets it meanwhile.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("budi").status()));
  ASSERT_TRUE(reviews_->Enter("ani", task->lease_id(), Value(*task, 429)).ok());
  // Ani entered it: not hers again.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("ani").status()));
  v1::ReviewTask second = ClaimAndEnter("budi", 429);
  EXPECT_EQ(second.state(), v1::ReviewTask::STATE_VERIFIED);

  const v1::Submission settled = Get(p3);
  EXPECT_EQ(settled.state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(settled.settled_values().at("suara_sah"), 429);
  EXPECT_EQ(settled.settled_by().at("suara_sah"), "people");
  EXPECT_EQ(settled.settled_by().at("suara_total"), "machine");
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_PEOPLE);
  EXPECT_EQ(result->provenance().field_sources().at("suara_sah"),
            v1::Provenance::SOURCE_PEOPLE);
  EXPECT_EQ(reviews_->Stats("ani")->agreed(), 1);
}

TEST_F(ReviewTest, ADifferenceCallsForAThirdEntry) {
  Read("photo-p3", Page3(false));
  EXPECT_EQ(ClaimAndEnter("ani", 429).state(), v1::ReviewTask::STATE_OPEN);
  EXPECT_EQ(ClaimAndEnter("budi", 428).state(), v1::ReviewTask::STATE_OPEN);
  EXPECT_EQ(ClaimAndEnter("cici", 429).state(), v1::ReviewTask::STATE_VERIFIED);
  EXPECT_EQ(reviews_->Stats("budi")->disagreed(), 1);
  EXPECT_EQ(reviews_->Stats("cici")->agreed(), 1);
}

TEST_F(ReviewTest, ThreeDifferentEntriesGoToAModerator) {
  Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  ClaimAndEnter("budi", 428);
  v1::ReviewTask disputed = ClaimAndEnter("cici", 420);
  EXPECT_EQ(disputed.state(), v1::ReviewTask::STATE_DISPUTED);
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("dedi").status()));
  absl::StatusOr<Page<v1::ReviewTask>> listed =
      reviews_->List("disputed", 10, "");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].entry_count(), 3);

  EXPECT_TRUE(absl::IsInvalidArgument(
      reviews_->Resolve("mod", disputed.name(), Value(disputed, 429), "")
          .status()));
  absl::StatusOr<v1::ReviewTask> resolved = reviews_->Resolve(
      "mod", disputed.name(), Value(disputed, 429), "the 9 is clear on zoom");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state(), v1::ReviewTask::STATE_RESOLVED);
  EXPECT_EQ(Get(p3).settled_by().at("suara_sah"), "moderator");
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_MODERATOR);
  EXPECT_THAT(result->provenance().note(), HasSubstr("clear on zoom"));
}

TEST_F(ReviewTest, EntriesThatDoNotFitAreRefusedAndLoseNothing) {
  Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  for (int64_t bad : {int64_t{1000}, int64_t{-1}}) {
    EXPECT_TRUE(absl::IsInvalidArgument(
        reviews_->Enter("ani", task->lease_id(), Value(*task, bad)).status()))
        << bad;
  }
  v1::ReviewEntry wrong_field = Value(*task, 5);
  wrong_field.mutable_values()->clear();
  (*wrong_field.mutable_values())["suara_total"] = 5;
  EXPECT_TRUE(absl::IsInvalidArgument(
      reviews_->Enter("ani", task->lease_id(), wrong_field).status()));
  v1::ReviewEntry verdict_with_number = Value(*task, 5);
  verdict_with_number.set_verdict(v1::ReviewEntry::VERDICT_UNREADABLE);
  EXPECT_TRUE(absl::IsInvalidArgument(
      reviews_->Enter("ani", task->lease_id(), verdict_with_number).status()));
  // Someone else's lease, or none.
  EXPECT_TRUE(absl::IsFailedPrecondition(
      reviews_->Enter("budi", task->lease_id(), Value(*task, 429)).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      reviews_->Enter("ani", "", Value(*task, 429)).status()));
  // None of that counted: the task still takes two entries.
  ASSERT_TRUE(reviews_->Enter("ani", task->lease_id(), Value(*task, 429)).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      reviews_->Enter("ani", task->lease_id(), Value(*task, 429)).status()));
  EXPECT_EQ(ClaimAndEnter("budi", 429).state(), v1::ReviewTask::STATE_VERIFIED);
}

TEST_F(ReviewTest, AStaleLeaseIsRefusedOnceTheTaskMovedOn) {
  Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> slow = reviews_->Claim("ani");
  ASSERT_TRUE(slow.ok());
  now_ += absl::Minutes(3);  // the lease ran out
  absl::StatusOr<v1::ReviewTask> taken = reviews_->Claim("budi");
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->name(), slow->name());
  EXPECT_TRUE(absl::IsFailedPrecondition(
      reviews_->Enter("ani", slow->lease_id(), Value(*slow, 429)).status()));
  EXPECT_TRUE(
      reviews_->Enter("budi", taken->lease_id(), Value(*taken, 429)).ok());
}

TEST_F(ReviewTest, ASkippedTaskComesBack) {
  Read("photo-p3", Page3(false));
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(reviews_->Skip("ani", task->name(), task->lease_id()).ok());
  absl::StatusOr<v1::ReviewTask> other = reviews_->Claim("budi");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->name(), task->name());
}

TEST_F(ReviewTest, AnUnreadablePhotoIsTypedWholeByPeople) {
  v1::Reading unreadable;
  unreadable.set_error(v1::Reading::ERROR_UNREADABLE);
  const std::string name = Read("blurred-photo", unreadable);
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->kind(), v1::ReviewTask::KIND_PAGE);
  EXPECT_EQ(task->photo(), "blurred-photo");
  // A moderator fetching it gets the photo too (lists leave it out).
  absl::StatusOr<v1::ReviewTask> fetched = reviews_->Get(task->name());
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->photo(), "blurred-photo");
  EXPECT_TRUE(absl::IsNotFound(reviews_->Get("reviewTasks/nothing").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(reviews_->Get("tasks/x").status()));
  v1::ReviewEntry entry;
  entry.set_task(task->name());
  entry.set_verdict(v1::ReviewEntry::VERDICT_VALUE);
  entry.set_page(3);
  (*entry.mutable_values())["suara_sah"] = 429;
  // A page entry must have every field of the page.
  EXPECT_TRUE(absl::IsInvalidArgument(
      reviews_->Enter("ani", task->lease_id(), entry).status()));
  (*entry.mutable_values())["suara_tidak_sah"] = 3;
  (*entry.mutable_values())["suara_total"] = 432;
  ASSERT_TRUE(reviews_->Enter("ani", task->lease_id(), entry).ok());
  absl::StatusOr<v1::ReviewTask> again = reviews_->Claim("budi");
  ASSERT_TRUE(again.ok());
  entry.set_task(again->name());
  ASSERT_TRUE(reviews_->Enter("budi", again->lease_id(), entry).ok());
  const v1::Submission settled = Get(name);
  EXPECT_EQ(settled.state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(settled.settled_page(), 3);
  EXPECT_EQ(settled.settled_values().at("suara_total"), 432);
}

TEST_F(ReviewTest, PeopleAgreeingItIsNoFormEndTheSubmission) {
  const std::string name =
      Read("selfie", ReadingOf(2, {{"suara_paslon_1", 1, false},
                                   {"suara_paslon_2", 2, false},
                                   {"suara_paslon_3", 3, true}}));
  for (const std::string volunteer : {"ani", "budi"}) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim(volunteer);
    ASSERT_TRUE(task.ok());
    v1::ReviewEntry entry;
    entry.set_task(task->name());
    entry.set_verdict(v1::ReviewEntry::VERDICT_NOT_A_FORM);
    ASSERT_TRUE(reviews_->Enter(volunteer, task->lease_id(), entry).ok());
  }
  const v1::Submission failed = Get(name);
  EXPECT_EQ(failed.state(), v1::Submission::STATE_FAILED);
  EXPECT_THAT(failed.remarks(), ElementsAre(HasSubstr("not a C.Hasil")));
  // Its other task is closed with it.
  EXPECT_TRUE(absl::IsNotFound(reviews_->Claim("cici").status()));
}

TEST_F(ReviewTest, PhotosOfOneTpsThatDisagreeFlagIt) {
  Read("photo-p2-a", Page2());
  Read("photo-p3", ReadingOf(3, {{"suara_sah", 429, true},
                                 {"suara_tidak_sah", 3, true},
                                 {"suara_total", 432, true}}));
  Read("photo-p2-b", ReadingOf(2, {{"suara_paslon_1", 124, true},
                                   {"suara_paslon_2", 274, true},
                                   {"suara_paslon_3", 32, true}}));
  absl::StatusOr<v1::TpsResult> result = Result();
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result->flags(), ::testing::Contains(kConflictingPhotosFlag));
  // The first photo's values stand; both photos are kept.
  EXPECT_EQ(result->values().at("suara_paslon_1"), 123);
  EXPECT_EQ(result->provenance().submission_ids_size(), 3);
}

TEST_F(ReviewTest, AVolunteerTypingFasterThanAPersonIsSlowedDown) {
  for (int i = 0; i < 61; ++i) {
    Read(absl::StrCat("photo-", i), Page3(false),
         i % 2 == 0 ? "3101011001001" : "3101011001002");
  }
  for (int i = 0; i < 60; ++i) ClaimAndEnter("bot", 429);
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("bot");
  ASSERT_TRUE(task.ok());
  absl::Status limited =
      reviews_->Enter("bot", task->lease_id(), Value(*task, 429)).status();
  EXPECT_TRUE(absl::IsResourceExhausted(limited)) << limited;
  now_ += absl::Minutes(1);
  EXPECT_TRUE(reviews_->Enter("bot", task->lease_id(), Value(*task, 429)).ok());
}

TEST_F(ReviewTest, VerifiedDigitBoxesAreExportedForTraining) {
  Read("photo-p3", Page3(false));
  ClaimAndEnter("ani", 429);
  ClaimAndEnter("budi", 429);
  Read("photo-p3b", ReadingOf(3, {{"suara_sah", 7, false},
                                  {"suara_tidak_sah", 0, false},
                                  {"suara_total", 7, true}}));
  // The second photo's fields: 7 and 0.
  while (true) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("cici");
    if (!task.ok()) break;
    const int64_t value = task->field() == "suara_sah" ? 7 : 0;
    ASSERT_TRUE(
        reviews_->Enter("cici", task->lease_id(), Value(*task, value)).ok());
    absl::StatusOr<v1::ReviewTask> again = reviews_->Claim("dedi");
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(
        reviews_->Enter("dedi", again->lease_id(), Value(*again, value)).ok());
  }
  const std::string out = dir_.Sub("crops");
  absl::StatusOr<int> written =
      ReviewStore::ExportTrainingCrops(db_.get(), out);
  ASSERT_TRUE(written.ok()) << written.status();
  // 429: three boxes; 7: its last box only (the leading ones may be X,
  // blank or 0); 0: nothing (it may be written X X X).
  EXPECT_EQ(*written, 4);
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    if (entry.is_regular_file()) {
      found.push_back(entry.path().parent_path().filename().string() + ":" +
                      testing::ReadFile(entry.path().string()));
    }
  }
  std::sort(found.begin(), found.end());
  EXPECT_THAT(found, ElementsAre("2:box1-of-suara_sah", "4:box0-of-suara_sah",
                                 "7:box2-of-suara_sah", "9:box2-of-suara_sah"));
}

TEST_F(ReviewTest, RecoverSettlesWhatACrashLeftUnsettled) {
  // A crash right after the readings were written, before settling: the
  // hook that settles is absent here.
  queue_ = std::make_unique<OcrQueue>(
      db_.get(), submissions_.get(), OcrQueue::Options(),
      [this](const v1::Submission& s, rocksdb::WriteBatch* b) {
        return reviews_->AddTasks(s, b);
      });
  const std::string p2 = Read("photo-p2", Page2());
  const std::string p3 = Read("photo-p3", Page3(true));
  EXPECT_EQ(Get(p2).state(), v1::Submission::STATE_READ);
  EXPECT_TRUE(absl::IsNotFound(Result().status()));
  absl::StatusOr<int> recovered = reviews_->Recover();
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(*recovered, 2);
  EXPECT_EQ(Get(p3).state(), v1::Submission::STATE_SETTLED);
  ASSERT_TRUE(Result().ok());
  // Again: nothing to do, nothing changes.
  const uint64_t journal = Result()->journal_sequence();
  EXPECT_EQ(*reviews_->Recover(), 0);
  EXPECT_EQ(Result()->journal_sequence(), journal);
}

}  // namespace
}  // namespace c1tally
