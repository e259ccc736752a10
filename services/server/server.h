// Server: one c1tallyd process. Opens the data directory, builds the
// services named in Options::services and serves them over gRPC (with the
// standard health service and reflection) and HTTP.
//
// Used by c1tallyd's main, by tests and by benchmarks, so that all of them
// run exactly the same wiring. Shutdown() is graceful: in-flight RPCs finish
// (up to a deadline), then the database is closed.
#ifndef C1TALLY_SERVICES_SERVER_SERVER_H_
#define C1TALLY_SERVICES_SERVER_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/sirekap_store.h"
#include "c1tally/v1/audit.grpc.pb.h"
#include "c1tally/v1/auth.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/review.grpc.pb.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "services/gateway/gateway.h"
#include "storage/database.h"
#include "storage/form_kind.h"
#include "storage/ocr_queue.h"
#include "storage/photo_lifecycle.h"
#include "storage/review_store.h"
#include "storage/submission_store.h"
#include "storage/tally_store.h"
#include "storage/tps_publisher.h"
#include "storage/user_store.h"

namespace c1tally {

class AuditServiceImpl;
class AuthServiceImpl;
class Authorizer;
class BlobStore;
class HttpServer;
class IngestServiceImpl;
class OcrJobServiceImpl;
class ReviewServiceImpl;
class TallyServiceImpl;

class Server {
 public:
  // Service names accepted in Options::services.
  static constexpr char kTally[] = "tally";
  static constexpr char kHttp[] = "http";
  static constexpr char kAudit[] = "audit";
  // Photo uploads (IngestService), the OCR queue workers lease from
  // (OcrJobService) and the review of what they could not read
  // (ReviewService). The AuthService (log in, manage users) is served
  // whatever the list says.
  static constexpr char kIngest[] = "ingest";
  // OCR workers (c1tallyd's own, not the Server's): they lease from an
  // OcrJobService, this process's or another's.
  static constexpr char kOcr[] = "ocr";

  struct Options {
    std::string data_dir;
    // "HOST:PORT"; port 0 picks a free one.
    std::string grpc_address = "127.0.0.1:50051";
    std::string http_address = "127.0.0.1:8080";
    std::vector<std::string> services = {kTally, kAudit, kIngest, kHttp};
    bool sync_writes = true;
    int http_threads = 2;
    // Load the demo tree and sample results when the database is empty.
    bool demo = false;
    // Size of the demo tree relative to the national one.
    double demo_scale = 0.02;
    // Per-uploader limits of the ingest service.
    UploadQuota upload_quota = {120, int64_t{2} << 30};
    // Uploads in progress at once (each up to 25 MB in memory).
    int max_concurrent_uploads = 32;
    // Where photos go: "files" (fsynced files under photo_dir) or "rocksdb"
    // (blob files of the database).
    std::string photo_store = "files";
    // Default: data_dir + "/photos".
    std::string photo_dir;
    // Every field to blind double entry, even the machine's confident ones
    // (ReviewStore::Options::review_every_field).
    bool review_every_field = false;
    // Leases per OCR job before it ends as failed.
    int ocr_max_attempts = 3;
    // The OCR's form specs (the fields of each page); default: built in.
    std::string forms_dir;
    // The HTTP gateway's snapshot, rate limits and cookies.
    Gateway::Options gateway;
  };

  static absl::StatusOr<std::unique_ptr<Server>> Start(const Options& options);
  ~Server();

  // Stops serving (in-flight RPCs get up to 5 s) and closes the database.
  // Idempotent.
  void Shutdown();

  int grpc_port() const { return grpc_port_; }
  int http_port() const;
  TallyStore* store() { return store_.get(); }
  // Null unless the audit service runs.
  SirekapStore* sirekap_store() { return sirekap_store_.get(); }
  UserStore* user_store() { return user_store_.get(); }
  // Null unless the ingest service runs.
  SubmissionStore* submission_store() { return submission_store_.get(); }
  IngestServiceImpl* ingest_service() { return ingest_service_.get(); }
  // Null unless the ingest service runs.
  OcrQueue* ocr_queue() { return ocr_queue_.get(); }
  // Null unless the ingest service runs.
  ReviewStore* review_store() { return review_store_.get(); }
  // Null unless the ingest service runs.
  PhotoLifecycle* photo_lifecycle() { return photo_lifecycle_.get(); }

 private:
  Server() = default;

  // The ingest service, the OCR queue and the review service, over one
  // photo store, registered with `builder`.
  absl::Status AddPipeline(const Options& options,
                           grpc::ServerBuilder* builder);
  // The HTTP gateway over in-process channels to the services started.
  absl::Status StartHttp(const Options& options);

  std::unique_ptr<Database> db_;
  std::unique_ptr<FormKinds> kinds_;
  std::unique_ptr<TallyStore> store_;
  std::unique_ptr<TallyServiceImpl> tally_service_;
  std::unique_ptr<SirekapStore> sirekap_store_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<UserStore> user_store_;
  std::unique_ptr<Authorizer> authorizer_;
  std::unique_ptr<AuthServiceImpl> auth_service_;
  std::unique_ptr<BlobStore> blob_store_;
  std::unique_ptr<SubmissionStore> submission_store_;
  std::unique_ptr<ReviewStore> review_store_;
  std::unique_ptr<OcrQueue> ocr_queue_;
  std::unique_ptr<TpsPublisher> tps_publisher_;
  std::unique_ptr<PhotoLifecycle> photo_lifecycle_;
  std::unique_ptr<OcrJobServiceImpl> ocr_job_service_;
  std::unique_ptr<ReviewServiceImpl> review_service_;
  std::unique_ptr<IngestServiceImpl> ingest_service_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<v1::TallyService::StubInterface> in_process_tally_;
  std::unique_ptr<v1::AuthService::StubInterface> in_process_auth_;
  std::unique_ptr<v1::AuditService::StubInterface> in_process_audit_;
  std::unique_ptr<v1::IngestService::StubInterface> in_process_ingest_;
  std::unique_ptr<v1::ReviewService::StubInterface> in_process_review_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> http_server_;
  int grpc_port_ = 0;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_SERVER_SERVER_H_
