// OCR workers against a real server on loopback: the real 2024 photos are
// uploaded, leased, read by the real PageReader and stored as readings;
// a job whose first worker vanished is read once, by the next one.
#include "c1tally/v1/ocr.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/auth/token_channel.h"
#include "services/ingest/upload_client.h"
#include "services/ocr/ocr_worker.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

class OcrWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    page2_ = testing::RealPhoto("ppwp-page2-a.jpg");
    C1TALLY_NEED(!page2_.empty(), "../shared/data");
    page3_ = testing::RealPhoto("ppwp-page3-a.jpg");
    server_ = testing::StartIngestServer(testing::FixtureDataDir(dir_));
    ASSERT_NE(server_, nullptr);
    uploader_ = testing::UserToken(server_.get(), "saksi", {v1::ROLE_UPLOADER});
    worker_token_ =
        testing::UserToken(server_.get(), "ocr-1", {v1::ROLE_OCR_WORKER});
    ingest_ = v1::IngestService::NewStub(testing::ChannelTo(*server_));
    absl::StatusOr<std::unique_ptr<ocr::PageReader>> reader =
        ocr::PageReader::Create({});
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_ = *std::move(reader);
  }

  std::shared_ptr<grpc::Channel> WorkerChannel(const std::string& token) {
    return CreateTokenChannel(absl::StrCat("127.0.0.1:", server_->grpc_port()),
                              token);
  }

  std::string Upload(const std::string& tps, const std::string& bytes) {
    absl::StatusOr<v1::Submission> submission =
        UploadPhoto(ingest_.get(), uploader_, tps, bytes, "", 256 << 10);
    EXPECT_TRUE(submission.ok()) << submission.status();
    return submission.ok() ? submission->name() : "";
  }

  v1::Submission Get(const std::string& name) {
    absl::StatusOr<v1::Submission> got = server_->submission_store()->Get(name);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : v1::Submission();
  }

  // name -> value of the accepted fields.
  std::map<std::string, int64_t> Accepted(const v1::Reading& reading) {
    std::map<std::string, int64_t> values;
    for (const v1::FieldReading& field : reading.fields()) {
      if (field.status() == v1::FieldReading::STATUS_ACCEPTED) {
        values[field.name()] = field.value();
      }
    }
    return values;
  }

  testing::TempDir dir_;
  std::string page2_, page3_;
  std::unique_ptr<Server> server_;
  std::string uploader_, worker_token_;
  std::unique_ptr<v1::IngestService::Stub> ingest_;
  std::unique_ptr<ocr::PageReader> reader_;
};

TEST_F(OcrWorkerTest, WorkersReadEveryUploadedPhotoOnce) {
  const std::string a = Upload("3101011001001", page2_);
  const std::string b = Upload("3101011001001", page3_);
  // Not an image: refused at the door, so never queued.
  EXPECT_FALSE(UploadPhoto(ingest_.get(), uploader_, "3101011001002",
                           "not a photo at all", "", 256 << 10)
                   .ok());
  OcrWorker worker(WorkerChannel(worker_token_), reader_.get(), {});
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<bool> did = worker.RunOnce();
    ASSERT_TRUE(did.ok()) << did.status();
    EXPECT_TRUE(*did);
  }
  absl::StatusOr<bool> idle = worker.RunOnce();
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(*idle);
  EXPECT_EQ(worker.jobs_done(), 2);

  const v1::Submission read2 = Get(a);
  // Settled at once when the machine accepted every field, else waiting
  // for people.
  EXPECT_EQ(read2.state(), Accepted(read2.reading()).size() == 3
                               ? v1::Submission::STATE_SETTLED
                               : v1::Submission::STATE_READ);
  EXPECT_EQ(read2.reading().page(), 2);
  EXPECT_EQ(read2.reading().error(), v1::Reading::ERROR_NONE);
  EXPECT_FALSE(read2.reading().model_version().empty());
  // Whatever the machine accepted is right (truth.json of the photos).
  const std::map<std::string, int64_t> truth2 = {
      {"suara_paslon_1", 123}, {"suara_paslon_2", 274}, {"suara_paslon_3", 32}};
  for (const auto& [name, value] : Accepted(read2.reading())) {
    EXPECT_EQ(value, truth2.at(name)) << name;
  }
  ASSERT_EQ(read2.reading().fields_size(), 3);
  // Reviewers get a PNG crop of every field and box.
  EXPECT_EQ(read2.reading().fields(0).crop_png().substr(1, 3), "PNG");
  EXPECT_EQ(read2.reading().fields(0).box_png_size(), 3);
  // Lists leave the images out; the values stay.
  v1::ListSubmissionsRequest list;
  list.set_tps_code("3101011001001");
  v1::ListSubmissionsResponse listed;
  grpc::ClientContext context;
  AddBearerToken(uploader_, &context);
  ASSERT_TRUE(ingest_->ListSubmissions(&context, list, &listed).ok());
  ASSERT_EQ(listed.submissions_size(), 2);
  for (const v1::Submission& submission : listed.submissions()) {
    ASSERT_EQ(submission.reading().fields_size(), 3);
    EXPECT_TRUE(submission.reading().fields(0).crop_png().empty());
    EXPECT_EQ(submission.reading().fields(0).box_png_size(), 0);
  }
  const v1::Submission read3 = Get(b);
  EXPECT_EQ(read3.reading().page(), 3);
  const std::map<std::string, int64_t> truth3 = {
      {"suara_sah", 427}, {"suara_tidak_sah", 3}, {"suara_total", 430}};
  for (const auto& [name, value] : Accepted(read3.reading())) {
    EXPECT_EQ(value, truth3.at(name)) << name;
  }
}

TEST_F(OcrWorkerTest, AVanishedWorkersJobIsReadByTheNextOneOnly) {
  const std::string name = Upload("3101011001001", page2_);
  // A worker leases for the shortest lease and dies.
  auto stub = v1::OcrJobService::NewStub(WorkerChannel(worker_token_));
  v1::LeaseOcrJobRequest request;
  request.set_worker_id("doomed");
  request.mutable_lease_duration()->set_seconds(1);
  v1::OcrJob lost;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->LeaseOcrJob(&context, request, &lost).ok());
  }
  OcrWorker worker(WorkerChannel(worker_token_), reader_.get(), {});
  // Held: nothing for the live worker until the lease runs out.
  EXPECT_FALSE(*worker.RunOnce());
  absl::SleepFor(absl::Milliseconds(1100));
  absl::StatusOr<bool> did = worker.RunOnce();
  ASSERT_TRUE(did.ok()) << did.status();
  EXPECT_TRUE(*did);
  // The dead worker's late report is refused; the reading stays.
  v1::CompleteOcrJobRequest late;
  late.set_name(lost.name());
  late.set_lease_id(lost.lease_id());
  late.mutable_reading()->set_page(3);
  v1::CompleteOcrJobResponse response;
  grpc::ClientContext context;
  grpc::Status refused = stub->CompleteOcrJob(&context, late, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Get(name).reading().page(), 2);
}

TEST_F(OcrWorkerTest, OnlyOcrWorkersMayLease) {
  Upload("3101011001001", page2_);
  auto stub = v1::OcrJobService::NewStub(WorkerChannel(uploader_));
  v1::OcrJob job;
  grpc::ClientContext context;
  grpc::Status status =
      stub->LeaseOcrJob(&context, v1::LeaseOcrJobRequest(), &job);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto anonymous = v1::OcrJobService::NewStub(WorkerChannel(""));
  grpc::ClientContext context2;
  EXPECT_EQ(anonymous->LeaseOcrJob(&context2, v1::LeaseOcrJobRequest(), &job)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace c1tally
