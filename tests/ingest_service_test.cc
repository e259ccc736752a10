// The ingest service on a real server on loopback with a real RocksDB
// directory and the real 2024 form photos.
#include "services/ingest/ingest_service.h"

#include "c1tally/v1/ingest.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ingest/upload_client.h"
#include "storage/sha256.h"
#include "tests/ingest_test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kTps[] = "3101011001001";
constexpr char kOtherTps[] = "3101011001002";

// Every case runs with each photo store.
class IngestServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    photo_ = testing::AnyPhoto();
    data_dir_ = testing::FixtureDataDir(dir_);
    Start(UploadQuota{});
    token_ = testing::UserToken(server_.get(), "saksi", {v1::ROLE_UPLOADER});
  }

  void Start(const UploadQuota& quota, int max_uploads = 32) {
    server_.reset();
    server_ =
        testing::StartIngestServer(data_dir_, quota, GetParam(), max_uploads);
    ASSERT_NE(server_, nullptr);
    stub_ = v1::IngestService::NewStub(testing::ChannelTo(*server_));
  }

  absl::StatusOr<v1::Submission> Upload(const std::string& tps,
                                        const std::string& bytes,
                                        size_t chunk = 64 << 10) {
    return UploadPhoto(stub_.get(), token_, tps, bytes, "", chunk);
  }

  // Sends `chunks` as one stream and returns the server's answer.
  grpc::Status SendChunks(
      const std::vector<v1::CreateSubmissionRequest>& chunks,
      v1::Submission* submission) {
    grpc::ClientContext context;
    AddBearerToken(token_, &context);
    auto writer = stub_->CreateSubmission(&context, submission);
    for (const v1::CreateSubmissionRequest& chunk : chunks) {
      if (!writer->Write(chunk)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  std::vector<v1::CreateSubmissionRequest> Chunks(const std::string& tps,
                                                  const std::string& bytes,
                                                  size_t size) {
    std::vector<v1::CreateSubmissionRequest> chunks;
    for (size_t offset = 0; offset < bytes.size(); offset += size) {
      v1::CreateSubmissionRequest chunk;
      if (offset == 0) {
        chunk.set_tps_code(tps);
        chunk.set_size_bytes(static_cast<int64_t>(bytes.size()));
      }
      chunk.set_offset(static_cast<int64_t>(offset));
      chunk.set_data(bytes.substr(offset, size));
      chunks.push_back(chunk);
    }
    return chunks;
  }

  // Waits (at most 10 s, so a hang fails the test) until the server's
  // handlers hold `count` upload slots.
  bool AwaitUploadsInProgress(int count) {
    for (int i = 0; i < 1000; ++i) {
      if (server_->ingest_service()->uploads_in_progress() == count) {
        return true;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  std::vector<v1::Submission> ListTps(const std::string& tps) {
    v1::ListSubmissionsRequest request;
    request.set_tps_code(tps);
    v1::ListSubmissionsResponse response;
    grpc::ClientContext context;
    AddBearerToken(token_, &context);
    grpc::Status status = stub_->ListSubmissions(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.submissions().begin(), response.submissions().end()};
  }

  // Keys in `family`: nothing may be half-written after a refusal.
  int CountKeys(Family family) {
    auto it = server_->store()->database()->NewIterator(family);
    int count = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
    return count;
  }

  // Photos stored, in whichever store (temporary files included).
  int CountPhotos() {
    return CountKeys(Family::kBlobs) +
           testing::CountFiles(data_dir_ + "/photos");
  }

  void ExpectNothingStored() {
    for (Family family : {Family::kSubmissions, Family::kSubmissionsBySha,
                          Family::kSubmissionsByUploader, Family::kReceived}) {
      EXPECT_EQ(CountKeys(family), 0) << static_cast<int>(family);
    }
    EXPECT_EQ(CountPhotos(), 0);
  }

  testing::TempDir dir_;
  std::string data_dir_;
  std::string photo_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  std::string token_;
};

TEST_P(IngestServiceTest, UploadStoresAReceivedSubmission) {
  absl::StatusOr<v1::Submission> submission = Upload(kTps, photo_);
  ASSERT_TRUE(submission.ok()) << submission.status();
  const std::string sha = ToHex(Sha256(photo_));
  EXPECT_EQ(submission->name(), absl::StrCat("submissions/", kTps, "-", sha));
  EXPECT_EQ(submission->tps_code(), kTps);
  EXPECT_EQ(submission->uploader(), "saksi");
  EXPECT_EQ(submission->sha256(), sha);
  EXPECT_EQ(submission->size_bytes(), static_cast<int64_t>(photo_.size()));
  EXPECT_EQ(submission->state(), v1::Submission::STATE_RECEIVED);
  EXPECT_EQ(submission->image_format(), "jpeg");
  EXPECT_GT(submission->width(), 0);
  EXPECT_THAT(submission->flags(), IsEmpty());
  EXPECT_TRUE(submission->has_create_time());

  absl::StatusOr<std::string> stored =
      server_->submission_store()->ReadPhoto(*submission);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(*stored == photo_);
  // Waiting for OCR.
  EXPECT_EQ(CountKeys(Family::kReceived), 1);

  v1::GetSubmissionRequest request;
  request.set_name(submission->name());
  v1::Submission got;
  grpc::ClientContext context;
  AddBearerToken(token_, &context);
  ASSERT_TRUE(stub_->GetSubmission(&context, request, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), submission->SerializeAsString());
}

TEST_P(IngestServiceTest, SameBytesSameTpsReturnTheSameSubmission) {
  absl::StatusOr<v1::Submission> first = Upload(kTps, photo_);
  ASSERT_TRUE(first.ok()) << first.status();
  // Other chunking, same bytes.
  absl::StatusOr<v1::Submission> again = Upload(kTps, photo_, 100000);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(ListTps(kTps).size(), 1u);
  EXPECT_EQ(CountKeys(Family::kReceived), 1);
}

TEST_P(IngestServiceTest, SameBytesOtherTpsAreFlaggedAndKept) {
  ASSERT_TRUE(Upload(kTps, photo_).ok());
  absl::StatusOr<v1::Submission> other = Upload(kOtherTps, photo_);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->tps_code(), kOtherTps);
  EXPECT_THAT(other->flags(), ElementsAre("duplicate_other_tps"));
  EXPECT_THAT(other->remarks(0), HasSubstr(kTps));
  // The first one is flagged too: which TPS the photo shows is for people
  // to decide.
  std::vector<v1::Submission> first = ListTps(kTps);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_THAT(first[0].flags(), ElementsAre("duplicate_other_tps"));
  EXPECT_THAT(first[0].remarks(0), HasSubstr(kOtherTps));
  EXPECT_EQ(ListTps(kOtherTps).size(), 1u);
  // One copy of the bytes.
  EXPECT_EQ(CountPhotos(), 1);
  EXPECT_EQ(CountKeys(Family::kReceived), 2);
}

TEST_P(IngestServiceTest, WrongTpsCodesAreRefused) {
  absl::Status malformed = Upload("31010110010", photo_).status();
  EXPECT_TRUE(absl::IsInvalidArgument(malformed)) << malformed;
  absl::Status kelurahan = Upload("3101011001", photo_).status();
  EXPECT_TRUE(absl::IsInvalidArgument(kelurahan)) << kelurahan;
  EXPECT_THAT(kelurahan.message(), HasSubstr("TPS"));
  absl::Status unknown = Upload("3101011001099", photo_).status();
  EXPECT_TRUE(absl::IsNotFound(unknown)) << unknown;
  EXPECT_THAT(unknown.message(), HasSubstr("not in the region tree"));
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, ARaceTheTpsDoesNotVoteInIsRefused) {
  absl::Status unknown =
      UploadPhoto(stub_.get(), token_, kTps, photo_, "dpr").status();
  EXPECT_TRUE(absl::IsInvalidArgument(unknown)) << unknown;
  EXPECT_THAT(unknown.message(), HasSubstr("pdpr, pdprdp, pdprdk or pdpd"));
  // The fixture has no DPD candidates for DKI Jakarta yet.
  absl::Status no_dapil =
      UploadPhoto(stub_.get(), token_, kTps, photo_, "pdpd").status();
  EXPECT_TRUE(absl::IsFailedPrecondition(no_dapil)) << no_dapil;
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, ALegislativePhotoGoesToPeopleAtOnce) {
  absl::StatusOr<v1::Submission> uploaded =
      UploadPhoto(stub_.get(), token_, kTps, photo_, "pdpr");
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  EXPECT_EQ(uploaded->form_kind(), "pdpr");
  // No OCR worker reads it: it waits for people, out of the OCR queue.
  EXPECT_EQ(uploaded->state(), v1::Submission::STATE_READ);
  EXPECT_EQ(uploaded->reading().error(), v1::Reading::ERROR_WRONG_PAGE);
  EXPECT_EQ(CountKeys(Family::kReceived), 0);
  EXPECT_EQ(CountKeys(Family::kReviewOpen), 1);
  // A ppwp photo of the same bytes for another TPS still goes to OCR.
  absl::StatusOr<v1::Submission> ppwp = Upload(kOtherTps, photo_);
  ASSERT_TRUE(ppwp.ok()) << ppwp.status();
  EXPECT_EQ(ppwp->state(), v1::Submission::STATE_RECEIVED);
  EXPECT_EQ(ppwp->form_kind(), "ppwp");
}

TEST_P(IngestServiceTest, OversizeIsRefusedAfterTheFirstChunk) {
  v1::CreateSubmissionRequest chunk;
  chunk.set_tps_code(kTps);
  chunk.set_size_bytes((25 << 20) + 1);
  chunk.set_data(photo_.substr(0, 1000));
  v1::Submission submission;
  grpc::Status status = SendChunks({chunk}, &submission);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("too large"));
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, NonImagesAreRefused) {
  absl::Status pdf =
      Upload(kTps, "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< >>\nendobj\n")
          .status();
  EXPECT_TRUE(absl::IsInvalidArgument(pdf)) << pdf;
  EXPECT_THAT(pdf.message(), HasSubstr("PDF"));
  absl::Status text =
      Upload(kTps, "C.HASIL-PPWP TPS 001: 01=123 02=274 03=32\n").status();
  EXPECT_TRUE(absl::IsInvalidArgument(text)) << text;
  EXPECT_THAT(text.message(), HasSubstr("not an image"));
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, TruncatedJpegIsRefused) {
  absl::Status status =
      Upload(kTps, photo_.substr(0, photo_.size() / 2)).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("cut short"));
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, AbortedUploadLeavesNothing) {
  {
    grpc::ClientContext context;
    AddBearerToken(token_, &context);
    v1::Submission submission;
    auto writer = stub_->CreateSubmission(&context, &submission);
    std::vector<v1::CreateSubmissionRequest> chunks =
        Chunks(kTps, photo_, 64 << 10);
    ASSERT_GT(chunks.size(), 3u);
    for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(writer->Write(chunks[i]));
    context.TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  ExpectNothingStored();
  // The same photo can then be uploaded whole.
  EXPECT_TRUE(Upload(kTps, photo_).ok());
}

TEST_P(IngestServiceTest, HalfClosedUploadIsRefused) {
  std::vector<v1::CreateSubmissionRequest> chunks =
      Chunks(kTps, photo_, 64 << 10);
  chunks.resize(2);
  v1::Submission submission;
  grpc::Status status = SendChunks(chunks, &submission);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("ended after"));
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, UploadsBeyondTheBoundAreUnavailable) {
  Start(UploadQuota{}, 1);
  grpc::ClientContext context;
  AddBearerToken(token_, &context);
  v1::Submission first;
  auto writer = stub_->CreateSubmission(&context, &first);
  ASSERT_TRUE(writer->Write(Chunks(kTps, photo_, 64 << 10)[0]));
  // The server may dispatch the stream after the Write returns.
  ASSERT_TRUE(AwaitUploadsInProgress(1));
  // Now a second upload is turned away.
  absl::Status second = Upload(kOtherTps, photo_).status();
  EXPECT_TRUE(absl::IsUnavailable(second)) << second;
  EXPECT_THAT(second.message(), HasSubstr("retry"));
  context.TryCancel();
  writer->Finish();
  // The slot is free again once the handler has seen the cancellation.
  ASSERT_TRUE(AwaitUploadsInProgress(0));
  absl::Status retried = Upload(kOtherTps, photo_).status();
  EXPECT_TRUE(retried.ok()) << retried;
}

TEST_P(IngestServiceTest, DuplicateChunkIsIdempotent) {
  std::vector<v1::CreateSubmissionRequest> chunks =
      Chunks(kTps, photo_, 64 << 10);
  // Each chunk twice, as a client retrying every write would send them.
  std::vector<v1::CreateSubmissionRequest> doubled;
  for (const v1::CreateSubmissionRequest& chunk : chunks) {
    doubled.push_back(chunk);
    doubled.push_back(chunk);
  }
  v1::Submission submission;
  grpc::Status status = SendChunks(doubled, &submission);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(submission.sha256(), ToHex(Sha256(photo_)));
  EXPECT_EQ(submission.size_bytes(), static_cast<int64_t>(photo_.size()));
}

TEST_P(IngestServiceTest, WrongOffsetIsRefused) {
  std::vector<v1::CreateSubmissionRequest> chunks =
      Chunks(kTps, photo_, 64 << 10);
  chunks.erase(chunks.begin() + 1);  // a gap
  v1::Submission submission;
  grpc::Status status = SendChunks(chunks, &submission);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("offset"));
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, UnauthenticatedAndWrongRoleAreRefused) {
  absl::Status anonymous = UploadPhoto(stub_.get(), "", kTps, photo_).status();
  EXPECT_TRUE(absl::IsUnauthenticated(anonymous)) << anonymous;
  const std::string auditor =
      testing::UserToken(server_.get(), "auditor", {v1::ROLE_AUDITOR});
  absl::Status wrong_role =
      UploadPhoto(stub_.get(), auditor, kTps, photo_).status();
  EXPECT_TRUE(absl::IsPermissionDenied(wrong_role)) << wrong_role;
  ExpectNothingStored();
}

TEST_P(IngestServiceTest, UploadersSeeOnlyTheirOwn) {
  absl::StatusOr<v1::Submission> mine = Upload(kTps, photo_);
  ASSERT_TRUE(mine.ok());
  const std::string other =
      testing::UserToken(server_.get(), "saksi2", {v1::ROLE_UPLOADER});
  v1::GetSubmissionRequest request;
  request.set_name(mine->name());
  v1::Submission got;
  {
    grpc::ClientContext context;
    AddBearerToken(other, &context);
    EXPECT_EQ(stub_->GetSubmission(&context, request, &got).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  const std::string moderator =
      testing::UserToken(server_.get(), "moderator", {v1::ROLE_MODERATOR});
  grpc::ClientContext context;
  AddBearerToken(moderator, &context);
  EXPECT_TRUE(stub_->GetSubmission(&context, request, &got).ok());
}

TEST_P(IngestServiceTest, PhotosNotReadAsFormsAreNotPublic) {
  absl::StatusOr<v1::Submission> received = Upload(kTps, photo_);
  ASSERT_TRUE(received.ok());
  // No token needed, and none given: the public's calls.
  v1::ListPublicSubmissionsRequest list;
  list.set_tps_code(kTps);
  v1::ListPublicSubmissionsResponse listed;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListPublicSubmissions(&context, list, &listed).ok());
    EXPECT_EQ(listed.submissions_size(), 0);  // still RECEIVED
  }
  for (const char* code : {"3101011001", "31010110010x1", ""}) {
    list.set_tps_code(code);
    grpc::ClientContext context;
    EXPECT_EQ(
        stub_->ListPublicSubmissions(&context, list, &listed).error_code(),
        grpc::StatusCode::INVALID_ARGUMENT)
        << code;
  }
  // Waiting, unknown and malformed are all just "no public photo".
  for (const std::string& name :
       {received->name(), std::string("submissions/3101011001001-00"),
        std::string("not a name")}) {
    v1::GetSubmissionRequest get;
    get.set_name(name);
    v1::Submission got;
    {
      grpc::ClientContext context;
      EXPECT_EQ(stub_->GetPublicSubmission(&context, get, &got).error_code(),
                grpc::StatusCode::NOT_FOUND)
          << name;
    }
    v1::GetSubmissionPhotoRequest photo;
    photo.set_name(name);
    grpc::ClientContext context;
    auto reader = stub_->GetSubmissionPhoto(&context, photo);
    v1::SubmissionPhotoChunk chunk;
    EXPECT_FALSE(reader->Read(&chunk)) << name;
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND)
        << name;
  }
}

TEST_P(IngestServiceTest, ListPagesThroughAnUploadersSubmissions) {
  const std::vector<std::string> names = {
      "ppwp-page2-a.jpg", "ppwp-page3-a.jpg", "ppwp-page1-blank-a.jpg"};
  std::vector<std::string> uploaded;
  for (const std::string& name : names) {
    absl::StatusOr<v1::Submission> submission =
        Upload(kTps, testing::RealPhoto(name));
    ASSERT_TRUE(submission.ok()) << name << ": " << submission.status();
    uploaded.push_back(submission->name());
  }
  std::vector<std::string> listed;
  v1::ListSubmissionsRequest request;
  request.set_page_size(2);
  do {
    v1::ListSubmissionsResponse response;
    grpc::ClientContext context;
    AddBearerToken(token_, &context);
    ASSERT_TRUE(stub_->ListSubmissions(&context, request, &response).ok());
    for (const v1::Submission& s : response.submissions()) {
      listed.push_back(s.name());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(listed, uploaded);  // in upload order
}

TEST_P(IngestServiceTest, QuotaExceededIsResourceExhausted) {
  Start(UploadQuota{2, 0});
  ASSERT_TRUE(Upload(kTps, testing::RealPhoto("ppwp-page2-a.jpg")).ok());
  ASSERT_TRUE(Upload(kTps, testing::RealPhoto("ppwp-page3-a.jpg")).ok());
  // A repeat is not a new photo and costs nothing.
  ASSERT_TRUE(Upload(kTps, testing::RealPhoto("ppwp-page3-a.jpg")).ok());
  absl::Status third =
      Upload(kTps, testing::RealPhoto("ppwp-page1-blank-a.jpg")).status();
  EXPECT_TRUE(absl::IsResourceExhausted(third)) << third;
  EXPECT_THAT(third.message(), HasSubstr("2 photos per hour"));
  // Another uploader has a quota of their own.
  token_ = testing::UserToken(server_.get(), "saksi2", {v1::ROLE_UPLOADER});
  EXPECT_TRUE(Upload(kTps, testing::RealPhoto("ppwp-page1-blank-a.jpg")).ok());
}

TEST_P(IngestServiceTest, ByteQuotaExceededIsResourceExhausted) {
  Start(UploadQuota{0, static_cast<int64_t>(photo_.size()) + 10});
  ASSERT_TRUE(Upload(kTps, photo_).ok());
  absl::Status second =
      Upload(kTps, testing::RealPhoto("ppwp-page3-a.jpg")).status();
  EXPECT_TRUE(absl::IsResourceExhausted(second)) << second;
  EXPECT_THAT(second.message(), HasSubstr("bytes per day"));
}

TEST_P(IngestServiceTest, RestartKeepsSubmissionsAndPhotos) {
  absl::StatusOr<v1::Submission> first = Upload(kTps, photo_);
  ASSERT_TRUE(first.ok());
  absl::StatusOr<v1::Submission> flagged = Upload(kOtherTps, photo_);
  ASSERT_TRUE(flagged.ok());
  server_->Shutdown();
  Start(UploadQuota{});
  // The token, the submissions, their flags and the bytes are all there.
  std::vector<v1::Submission> listed = ListTps(kOtherTps);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].SerializeAsString(), flagged->SerializeAsString());
  EXPECT_THAT(ListTps(kTps)[0].flags(), ElementsAre("duplicate_other_tps"));
  absl::StatusOr<std::string> bytes =
      server_->submission_store()->ReadPhoto(*first);
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(*bytes == photo_);
  // Dedup still holds after the restart.
  absl::StatusOr<v1::Submission> again = Upload(kTps, photo_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->name(), first->name());
}

INSTANTIATE_TEST_SUITE_P(PhotoStores, IngestServiceTest,
                         ::testing::Values("files", "rocksdb"));

}  // namespace
}  // namespace c1tally
