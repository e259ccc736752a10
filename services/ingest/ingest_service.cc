#include "services/ingest/ingest_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/ingest/photo_check.h"
#include "services/ingest/public_submission.h"
#include "services/ingest/upload_assembler.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

constexpr char kCreateSubmission[] =
    "/c1tally.v1.IngestService/CreateSubmission";
constexpr char kGetSubmission[] = "/c1tally.v1.IngestService/GetSubmission";
constexpr char kListSubmissions[] = "/c1tally.v1.IngestService/ListSubmissions";

// Moderators, admins and auditors see every submission; a plain uploader
// sees only their own.
bool SeesEverySubmission(const v1::User& user) {
  return Authorizer::HasRole(user, v1::ROLE_MODERATOR) ||
         Authorizer::HasRole(user, v1::ROLE_ADMIN) ||
         Authorizer::HasRole(user, v1::ROLE_AUDITOR);
}

absl::Status CheckOwner(const v1::User& caller,
                        const v1::Submission& submission) {
  if (SeesEverySubmission(caller) || submission.uploader() == caller.name()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(submission.name(),
                   " was uploaded by another user; uploaders see "
                   "only their own submissions"));
}

// A list is for an overview: the crops (tens of KB a photo) stay out.
void ClearImages(v1::Submission* submission) {
  if (!submission->has_reading()) return;
  for (v1::FieldReading& field :
       *submission->mutable_reading()->mutable_fields()) {
    field.clear_crop_png();
    field.clear_box_png();
  }
}

// Photos go out in pieces well below gRPC's 4 MiB message limit.
constexpr size_t kPhotoChunkBytes = 1 << 20;

}  // namespace

absl::Status IngestServiceImpl::CheckRace(absl::string_view tps,
                                          absl::string_view race) const {
  if (race == "ppwp") return absl::OkStatus();
  if (!IsLegislativeRace(race) || options_.race_forms == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "form_kind \"", race, "\": a photo is of ppwp",
        options_.race_forms == nullptr ? ""
                                       : ", pdpr, pdprdp, pdprdk or pdpd"));
  }
  ASSIGN_OR_RETURN(RegionCode code, RegionCode::Parse(tps));
  return options_.race_forms->For(code, race).status();
}

absl::StatusOr<NewPhoto> IngestServiceImpl::ReceivePhoto(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::CreateSubmissionRequest>* reader,
    const v1::User& uploader) {
  UploadAssembler assembler(options_.max_photo_bytes);
  v1::CreateSubmissionRequest chunk;
  bool first = true;
  while (reader->Read(&chunk)) {
    RETURN_IF_ERROR(assembler.Add(chunk));
    if (first) {
      first = false;
      RETURN_IF_ERROR(store_->CheckTps(assembler.tps_code()));
      RETURN_IF_ERROR(CheckRace(assembler.tps_code(), assembler.form_kind()));
    }
  }
  if (context->IsCancelled()) {
    return absl::CancelledError("the upload was cancelled; nothing stored");
  }
  absl::StatusOr<std::string> bytes = assembler.Finish();
  if (!bytes.ok()) return bytes.status();
  ASSIGN_OR_RETURN(CheckedPhoto checked, CheckPhoto(*bytes));
  NewPhoto photo;
  photo.tps_code = assembler.tps_code();
  photo.form_kind = assembler.form_kind();
  photo.uploader = uploader.name();
  photo.bytes = *std::move(bytes);
  photo.image_format = checked.format;
  photo.width = checked.width;
  photo.height = checked.height;
  return photo;
}

grpc::Status IngestServiceImpl::CreateSubmission(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::CreateSubmissionRequest>* reader,
    v1::Submission* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kCreateSubmission);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (absl::Status slot = slots_.Acquire(); !slot.ok()) {
    return ToGrpcStatus(slot);
  }
  UploadSlots::Held held(&slots_);
  absl::StatusOr<NewPhoto> photo = ReceivePhoto(context, reader, *caller);
  if (!photo.ok()) return ToGrpcStatus(photo.status());
  absl::StatusOr<SubmissionStore::Created> created =
      store_->Create(*photo, options_.quota);
  if (!created.ok()) return ToGrpcStatus(created.status());
  *response = std::move(created->submission);
  if (options_.lifecycle != nullptr && ReadByPeopleOnly(*response)) {
    // Stored either way; a failure here leaves it for the next Lease.
    absl::StatusOr<v1::Submission> handed =
        options_.lifecycle->HandToPeople(response->name());
    if (handed.ok()) *response = *std::move(handed);
  }
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::GetSubmission(
    grpc::ServerContext* context, const v1::GetSubmissionRequest* request,
    v1::Submission* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kGetSubmission);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::Submission> submission = store_->Get(request->name());
  if (!submission.ok()) return ToGrpcStatus(submission.status());
  if (absl::Status owner = CheckOwner(*caller, *submission); !owner.ok()) {
    return ToGrpcStatus(owner);
  }
  *response = *std::move(submission);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::ListSubmissions(
    grpc::ServerContext* context, const v1::ListSubmissionsRequest* request,
    v1::ListSubmissionsResponse* response) {
  absl::StatusOr<v1::User> caller =
      authorizer_->Authorize(*context, kListSubmissions);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  const std::string uploader =
      request->uploader().empty() ? caller->name() : request->uploader();
  if (uploader != caller->name() && !SeesEverySubmission(*caller)) {
    return ToGrpcStatus(absl::PermissionDeniedError(
        "uploaders list only their own submissions"));
  }
  absl::StatusOr<Page<v1::Submission>> page =
      request->tps_code().empty()
          ? store_->ListByUploader(uploader, request->page_size(),
                                   request->page_token())
          : store_->ListByTps(request->tps_code(), request->page_size(),
                              request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Submission& submission : page->items) {
    ClearImages(&submission);
    // A plain uploader listing a TPS sees only their own photos of it.
    if (CheckOwner(*caller, submission).ok()) {
      *response->add_submissions() = std::move(submission);
    }
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

absl::StatusOr<v1::Submission> IngestServiceImpl::PublicSubmission(
    const std::string& name) const {
  absl::StatusOr<v1::Submission> submission = store_->Get(name);
  // A malformed name is as unknown as a private photo: the public learns
  // nothing from the difference.
  if (absl::IsInvalidArgument(submission.status()) ||
      (submission.ok() && !IsPublicSubmission(*submission))) {
    return absl::NotFoundError(absl::StrCat("no public photo \"", name, "\""));
  }
  if (!submission.ok()) return submission.status();
  return PublicView(*std::move(submission));
}

grpc::Status IngestServiceImpl::ListPublicSubmissions(
    grpc::ServerContext*, const v1::ListPublicSubmissionsRequest* request,
    v1::ListPublicSubmissionsResponse* response) {
  absl::StatusOr<RegionCode> tps = RegionCode::Parse(request->tps_code());
  if (!tps.ok() || !tps->is_tps()) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "\"", request->tps_code(), "\" is not a 13-digit TPS code")));
  }
  absl::StatusOr<Page<v1::Submission>> page = store_->ListByTps(
      request->tps_code(), request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Submission& submission : page->items) {
    if (!IsPublicSubmission(submission)) continue;
    ClearImages(&submission);
    *response->add_submissions() = PublicView(std::move(submission));
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::GetPublicSubmission(
    grpc::ServerContext*, const v1::GetSubmissionRequest* request,
    v1::Submission* response) {
  absl::StatusOr<v1::Submission> submission = PublicSubmission(request->name());
  if (!submission.ok()) return ToGrpcStatus(submission.status());
  *response = *std::move(submission);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::GetSubmissionPhoto(
    grpc::ServerContext* context, const v1::GetSubmissionPhotoRequest* request,
    grpc::ServerWriter<v1::SubmissionPhotoChunk>* writer) {
  absl::StatusOr<v1::Submission> submission = PublicSubmission(request->name());
  if (!submission.ok()) return ToGrpcStatus(submission.status());
  absl::StatusOr<std::string> bytes = store_->ReadPhoto(*submission);
  if (!bytes.ok()) return ToGrpcStatus(bytes.status());
  size_t offset = 0;
  do {
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    }
    v1::SubmissionPhotoChunk chunk;
    if (offset == 0) {
      chunk.set_image_format(submission->image_format());
      chunk.set_size_bytes(static_cast<int64_t>(bytes->size()));
    }
    chunk.set_offset(static_cast<int64_t>(offset));
    const size_t length = std::min(kPhotoChunkBytes, bytes->size() - offset);
    chunk.set_data(bytes->substr(offset, length));
    offset += length;
    if (!writer->Write(chunk)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    }
  } while (offset < bytes->size());
  return grpc::Status::OK;
}

}  // namespace c1tally
