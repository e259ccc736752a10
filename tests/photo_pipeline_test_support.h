// PhotoPipelineTest: a fixture with the stores of a photo's way after its
// upload (submissions, OCR queue, review, publisher, lifecycle) over a real
// database with the fixture tree and a fake clock, reopened at will as a
// restart would. Readings come in as a worker reports them (lease, then
// read); simulated volunteers claim and enter through the lifecycle.
// Header-only, so that every pipeline suite can use it.
#ifndef C1TALLY_TESTS_PHOTO_PIPELINE_TEST_SUPPORT_H_
#define C1TALLY_TESTS_PHOTO_PIPELINE_TEST_SUPPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "storage/file_blob_store.h"
#include "storage/form_kind.h"
#include "storage/ocr_queue.h"
#include "storage/photo_lifecycle.h"
#include "storage/review_store.h"
#include "storage/submission_store.h"
#include "storage/tally_store.h"
#include "storage/tps_publisher.h"
#include "tests/test_support.h"

namespace c1tally::testing {

inline constexpr char kPipelineTps[] = "3101011001001";

// A field as the machine read it: accepted, or in review.
struct MachineField {
  std::string name;
  int64_t value;
  bool accepted;
};

class PhotoPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kinds_ = std::make_unique<FormKinds>(*FormKinds::Builtin());
    Open();
    ImportFixtureTree(db_.get(), dir_);
  }

  // Closes everything, as a stopped process does.
  void Close() {
    photos_.reset();
    publisher_.reset();
    queue_.reset();
    reviews_.reset();
    submissions_.reset();
    blobs_.reset();
    tally_.reset();
    db_.reset();
  }

  // (Re)opens everything over the same directory, as a restart does. The
  // TallyStore checks results against `tally_kinds` (null: the built-in
  // kinds), which must outlive the stores.
  void Open(const FormKinds* tally_kinds = nullptr) {
    Close();
    db_ = OpenDatabase(dir_.Sub("db"));
    tally_ = *TallyStore::Open(
        db_.get(), tally_kinds != nullptr ? tally_kinds : kinds_.get());
    blobs_ = *FileBlobStore::Open(dir_.Sub("photos"));
    submissions_ = std::make_unique<SubmissionStore>(db_.get(), blobs_.get(),
                                                     [this] { return now_; });
    ReviewStore::Options review;
    review.page_fields = {
        {2, {"suara_paslon_1", "suara_paslon_2", "suara_paslon_3"}},
        {3, {"suara_sah", "suara_tidak_sah", "suara_total"}}};
    review.clock = [this] { return now_; };
    review.race_forms = &tally_->forms();
    reviews_ =
        std::make_unique<ReviewStore>(db_.get(), submissions_.get(), review);
    OcrQueue::Options queue;
    queue.max_attempts = 3;
    queue.clock = [this] { return now_; };
    queue_ = std::make_unique<OcrQueue>(db_.get(), submissions_.get(), queue);
    publisher_ =
        std::make_unique<TpsPublisher>(submissions_.get(), reviews_.get(),
                                       tally_.get(), *kinds_->Find("ppwp"));
    photos_ = std::make_unique<PhotoLifecycle>(db_.get(), submissions_.get(),
                                               queue_.get(), reviews_.get(),
                                               publisher_.get());
  }

  // Uploads `photo` of a `form_kind` form for `tps` by "saksi"; returns
  // the submission's name.
  std::string Upload(const std::string& photo,
                     const std::string& tps = kPipelineTps,
                     const std::string& form_kind = "ppwp") {
    NewPhoto upload;
    upload.tps_code = tps;
    upload.form_kind = form_kind;
    upload.uploader = "saksi";
    upload.bytes = photo;
    upload.image_format = "jpeg";
    absl::StatusOr<SubmissionStore::Created> created =
        submissions_->Create(upload, {});
    EXPECT_TRUE(created.ok()) << created.status();
    now_ += absl::Seconds(1);
    return created.ok() ? created->submission.name() : "";
  }

  // Uploads `photo` for `tps` and has it leased and read as `reading`.
  std::string Read(const std::string& photo, const v1::Reading& reading,
                   const std::string& tps = kPipelineTps) {
    const std::string name = Upload(photo, tps);
    absl::StatusOr<v1::OcrJob> job = photos_->Lease("w", absl::Minutes(1));
    EXPECT_TRUE(job.ok()) << job.status();
    if (!job.ok()) return name;
    absl::StatusOr<v1::Submission> read =
        photos_->Read(job->name(), job->lease_id(), reading);
    EXPECT_TRUE(read.ok()) << read.status();
    return name;
  }

  static v1::Reading ReadingOf(int page,
                               const std::vector<MachineField>& fields) {
    v1::Reading reading;
    reading.set_form("C.HASIL-PPWP");
    reading.set_page(page);
    reading.set_error(v1::Reading::ERROR_NONE);
    for (const MachineField& field : fields) {
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

  // A photo of no form, read as a page 2 with two fields in doubt.
  static v1::Reading Selfie() {
    return ReadingOf(2, {{"suara_paslon_1", 1, false},
                         {"suara_paslon_2", 2, false},
                         {"suara_paslon_3", 3, true}});
  }

  // `volunteer` claims the next task and says `verdict` of its photo.
  void ClaimAndSay(const std::string& volunteer,
                   v1::ReviewEntry::Verdict verdict) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim(volunteer);
    ASSERT_TRUE(task.ok()) << volunteer << ": " << task.status();
    v1::ReviewEntry entry;
    entry.set_task(task->name());
    entry.set_verdict(verdict);
    absl::StatusOr<v1::ReviewTask> entered =
        photos_->Enter(volunteer, task->lease_id(), entry);
    ASSERT_TRUE(entered.ok()) << entered.status();
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
        photos_->Enter(volunteer, task->lease_id(), Value(*task, value));
    EXPECT_TRUE(entered.ok()) << entered.status();
    return entered.ok() ? *entered : v1::ReviewTask();
  }

  // The built-in kinds, but ppwp's `field` only up to `max`: a tally that
  // refuses what a photo says.
  std::unique_ptr<FormKinds> KindsCapping(const std::string& field,
                                          int64_t max) const {
    v1::FormKind ppwp = **kinds_->Find("ppwp");
    for (v1::FormKind::Field& f : *ppwp.mutable_fields()) {
      if (f.name() == field) f.set_max_value(max);
    }
    std::string json;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(ppwp, &json).ok());
    absl::StatusOr<FormKinds> kinds = FormKinds::FromJson({json});
    EXPECT_TRUE(kinds.ok()) << kinds.status();
    return std::make_unique<FormKinds>(*std::move(kinds));
  }

  absl::StatusOr<v1::TpsResult> Result(const std::string& tps = kPipelineTps) {
    return tally_->GetResult(*RegionCode::Parse(tps), "ppwp");
  }

  v1::Submission Get(const std::string& name) {
    return *submissions_->Get(name);
  }

  TempDir dir_;
  absl::Time now_ = absl::FromUnixSeconds(1707868800);  // 2024-02-14
  std::unique_ptr<FormKinds> kinds_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<TallyStore> tally_;
  std::unique_ptr<FileBlobStore> blobs_;
  std::unique_ptr<SubmissionStore> submissions_;
  std::unique_ptr<ReviewStore> reviews_;
  std::unique_ptr<OcrQueue> queue_;
  std::unique_ptr<TpsPublisher> publisher_;
  std::unique_ptr<PhotoLifecycle> photos_;
};

}  // namespace c1tally::testing

#endif  // C1TALLY_TESTS_PHOTO_PIPELINE_TEST_SUPPORT_H_
