#include "services/server/server.h"

#include <chrono>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "ocr/form_spec.h"
#include "services/audit/audit_service.h"
#include "services/auth/auth_service.h"
#include "services/auth/authorizer.h"
#include "services/gateway/gateway.h"
#include "services/gateway/http_server.h"
#include "services/ingest/ingest_service.h"
#include "services/ocr/ocr_job_service.h"
#include "services/review/review_service.h"
#include "services/server/demo_data.h"
#include "services/tally/tally_service.h"
#include "storage/file_blob_store.h"
#include "storage/photo_recovery.h"
#include "storage/rocksdb_blob_store.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

bool Wants(const Server::Options& options, absl::string_view name) {
  return std::find(options.services.begin(), options.services.end(), name) !=
         options.services.end();
}

absl::StatusOr<std::unique_ptr<BlobStore>> OpenPhotoStore(
    const Server::Options& options, Database* db) {
  if (options.photo_store == "rocksdb") {
    return std::make_unique<RocksDbBlobStore>(db);
  }
  if (options.photo_store != "files") {
    return absl::InvalidArgumentError(absl::StrCat("unknown photo store \"",
                                                   options.photo_store,
                                                   "\"; use files or rocksdb"));
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<FileBlobStore> files,
      FileBlobStore::Open(options.photo_dir.empty()
                              ? absl::StrCat(options.data_dir, "/photos")
                              : options.photo_dir));
  return std::unique_ptr<BlobStore>(std::move(files));
}

// The fields of each page of the form, from the OCR's form specs, for
// whole-page review tasks.
absl::StatusOr<std::map<int, std::vector<std::string>>> PageFields(
    const std::string& forms_dir) {
  ASSIGN_OR_RETURN(std::vector<ocr::FormSpec> specs,
                   ocr::LoadFormSpecs(forms_dir.empty() ? ocr::DefaultFormsDir()
                                                        : forms_dir));
  std::map<int, std::vector<std::string>> fields;
  for (const ocr::FormSpec& spec : specs) {
    for (const ocr::DigitField& field : spec.fields) {
      fields[spec.page].push_back(field.name);
    }
  }
  return fields;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const Options& options) {
  for (const std::string& name : options.services) {
    if (name != kTally && name != kHttp && name != kAudit && name != kIngest) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown or not yet built service \"", name,
          "\"; this build serves: ", kTally, ", ", kAudit, ", ", kIngest, ", ",
          kHttp, " (", kOcr, " workers run beside it, in c1tallyd)"));
    }
  }
  if (Wants(options, kHttp) && !Wants(options, kTally)) {
    return absl::InvalidArgumentError(
        "the http service reads through the tally service; add \"tally\"");
  }
  auto server = std::unique_ptr<Server>(new Server());
  Database::Options db_options;
  db_options.sync_writes = options.sync_writes;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(options.data_dir, db_options));
  server->db_ = std::move(db);
  ASSIGN_OR_RETURN(FormKinds kinds, FormKinds::Builtin());
  server->kinds_ = std::make_unique<FormKinds>(std::move(kinds));
  ASSIGN_OR_RETURN(std::unique_ptr<TallyStore> store,
                   TallyStore::Open(server->db_.get(), server->kinds_.get()));
  server->store_ = std::move(store);

  if (options.demo) {
    RETURN_IF_ERROR(LoadDemoData(server->db_.get(), server->store_.get(),
                                 options.demo_scale));
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.grpc_address,
                           grpc::InsecureServerCredentials(),
                           &server->grpc_port_);
  // Batches of up to 10,000 results are a few MB.
  builder.SetMaxReceiveMessageSize(64 << 20);
  server->user_store_ = std::make_unique<UserStore>(server->db_.get());
  server->authorizer_ = std::make_unique<Authorizer>(server->user_store_.get());
  server->tally_service_ = std::make_unique<TallyServiceImpl>(
      server->store_.get(), server->authorizer_.get());
  builder.RegisterService(server->tally_service_.get());
  if (Wants(options, kAudit)) {
    server->sirekap_store_ = std::make_unique<SirekapStore>(server->db_.get());
    server->audit_service_ = std::make_unique<AuditServiceImpl>(
        server->db_.get(), server->sirekap_store_.get(), server->kinds_.get(),
        server->authorizer_.get());
    builder.RegisterService(server->audit_service_.get());
  }
  server->auth_service_ = std::make_unique<AuthServiceImpl>(
      server->user_store_.get(), server->authorizer_.get());
  builder.RegisterService(server->auth_service_.get());
  if (Wants(options, kIngest)) {
    RETURN_IF_ERROR(server->AddPipeline(options, &builder));
  }
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || server->grpc_port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve gRPC on ", options.grpc_address,
                     " (address in use or malformed?)"));
  }

  if (Wants(options, kHttp)) {
    RETURN_IF_ERROR(server->StartHttp(options));
  }
  return server;
}

absl::Status Server::StartHttp(const Options& options) {
  // The gateway is a client of this process's own services, so that the
  // web goes through the same checks as every other caller.
  grpc::ChannelArguments arguments;
  std::shared_ptr<grpc::Channel> channel =
      grpc_server_->InProcessChannel(arguments);
  in_process_tally_ = v1::TallyService::NewStub(channel);
  in_process_auth_ = v1::AuthService::NewStub(channel);
  Gateway::Backends backends;
  backends.tally = in_process_tally_.get();
  backends.auth = in_process_auth_.get();
  if (audit_service_ != nullptr) {
    in_process_audit_ = v1::AuditService::NewStub(channel);
    backends.audit = in_process_audit_.get();
  }
  if (ingest_service_ != nullptr) {
    in_process_ingest_ = v1::IngestService::NewStub(channel);
    in_process_review_ = v1::ReviewService::NewStub(channel);
    backends.ingest = in_process_ingest_.get();
    backends.review = in_process_review_.get();
  }
  Gateway::Options gateway_options = options.gateway;
  if (ingest_service_ != nullptr) {
    absl::StatusOr<std::map<int, std::vector<std::string>>> page_fields =
        PageFields(options.forms_dir);
    if (!page_fields.ok()) return page_fields.status();
    gateway_options.page_fields = *std::move(page_fields);
  }
  gateway_ = std::make_unique<Gateway>(backends, gateway_options);
  Gateway* gateway = gateway_.get();
  HttpServer::Options http;
  http.threads = options.http_threads;
  http.body_limit = Gateway::BodyLimit;
  ASSIGN_OR_RETURN(std::unique_ptr<HttpServer> started,
                   HttpServer::Start(options.http_address, http,
                                     [gateway](const HttpRequest& request) {
                                       return gateway->Handle(request);
                                     }));
  http_server_ = std::move(started);
  gateway_->Start();
  return absl::OkStatus();
}

absl::Status Server::AddPipeline(const Options& options,
                                 grpc::ServerBuilder* builder) {
  ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> photos,
                   OpenPhotoStore(options, db_.get()));
  blob_store_ = std::move(photos);
  submission_store_ =
      std::make_unique<SubmissionStore>(db_.get(), blob_store_.get());
  // Every change of a photo's state after its upload goes through one
  // lifecycle: a reading lands with its review tasks, and a photo settles
  // with its TPS's result, each in one write.
  ASSIGN_OR_RETURN(const v1::FormKind* ppwp, kinds_->Find("ppwp"));
  absl::StatusOr<std::map<int, std::vector<std::string>>> page_fields =
      PageFields(options.forms_dir);
  if (!page_fields.ok()) return page_fields.status();
  ReviewStore::Options review;
  review.page_fields = *std::move(page_fields);
  review.review_every_field = options.review_every_field;
  review.race_forms = &store_->forms();
  review_store_ =
      std::make_unique<ReviewStore>(db_.get(), submission_store_.get(), review);
  OcrQueue::Options queue;
  queue.max_attempts = options.ocr_max_attempts;
  ocr_queue_ =
      std::make_unique<OcrQueue>(db_.get(), submission_store_.get(), queue);
  tps_publisher_ = std::make_unique<TpsPublisher>(
      submission_store_.get(), review_store_.get(), store_.get(), ppwp);
  photo_lifecycle_ = std::make_unique<PhotoLifecycle>(
      db_.get(), submission_store_.get(), ocr_queue_.get(), review_store_.get(),
      tps_publisher_.get());
  // A crash (or a failed settling) between a reading or the last entry and
  // its settling leaves a photo read but unsettled; settle it now.
  if (absl::StatusOr<int> recovered =
          RecoverPhotos(*submission_store_, photo_lifecycle_.get());
      !recovered.ok()) {
    return recovered.status();
  }
  IngestServiceImpl::Options ingest;
  ingest.quota = options.upload_quota;
  ingest.max_concurrent_uploads = options.max_concurrent_uploads;
  ingest.race_forms = &store_->forms();
  ingest.lifecycle = photo_lifecycle_.get();
  ingest_service_ = std::make_unique<IngestServiceImpl>(
      submission_store_.get(), authorizer_.get(), ingest);
  builder->RegisterService(ingest_service_.get());
  ocr_job_service_ = std::make_unique<OcrJobServiceImpl>(photo_lifecycle_.get(),
                                                         authorizer_.get());
  builder->RegisterService(ocr_job_service_.get());
  review_service_ = std::make_unique<ReviewServiceImpl>(
      review_store_.get(), photo_lifecycle_.get(), authorizer_.get());
  builder->RegisterService(review_service_.get());
  return absl::OkStatus();
}

int Server::http_port() const {
  return http_server_ == nullptr ? 0 : http_server_->port();
}

void Server::Shutdown() {
  if (http_server_ != nullptr) http_server_->Stop();
  if (gateway_ != nullptr) gateway_->Stop();
  if (grpc_server_ != nullptr) {
    grpc_server_->Shutdown(std::chrono::system_clock::now() +
                           std::chrono::seconds(5));
    grpc_server_->Wait();
    grpc_server_.reset();
  }
  http_server_.reset();
  gateway_.reset();
  in_process_audit_.reset();
  in_process_tally_.reset();
  in_process_auth_.reset();
  in_process_ingest_.reset();
  in_process_review_.reset();
  audit_service_.reset();
  ingest_service_.reset();
  ocr_job_service_.reset();
  review_service_.reset();
  photo_lifecycle_.reset();
  tps_publisher_.reset();
  ocr_queue_.reset();
  review_store_.reset();
  submission_store_.reset();
  blob_store_.reset();
  auth_service_.reset();
  authorizer_.reset();
  user_store_.reset();
  sirekap_store_.reset();
  tally_service_.reset();
  store_.reset();
  db_.reset();
}

Server::~Server() { Shutdown(); }

}  // namespace c1tally
