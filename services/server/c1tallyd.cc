// c1tallyd: the c1tally server. Runs any set of services in one process.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "services/auth/token_channel.h"
#include "services/ocr/ocr_worker.h"
#include "services/server/server.h"
#include "storage/status_macros.h"

ABSL_FLAG(std::string, data, "./data", "data directory (RocksDB)");
ABSL_FLAG(std::string, grpc, "127.0.0.1:50051", "gRPC listen address");
ABSL_FLAG(std::string, http, "127.0.0.1:8080", "HTTP listen address");
ABSL_FLAG(std::string, services, "tally,audit,ingest,http",
          "comma-separated services to run: tally, audit, ingest, http, "
          "ocr (OCR workers; alone, no data directory is opened)");
ABSL_FLAG(bool, demo, false,
          "load the demo region tree and sample results into an empty --data");
ABSL_FLAG(double, demo_scale, 0.02,
          "size of the demo tree relative to the national one");
ABSL_FLAG(bool, sync_writes, true,
          "fsync the write-ahead log before acknowledging a write");
ABSL_FLAG(int, http_threads, 2, "HTTP event-loop threads");
ABSL_FLAG(int, upload_photos_per_hour, 120,
          "ingest: photos one uploader may upload per hour (0: no limit)");
ABSL_FLAG(int64_t, upload_bytes_per_day, int64_t{2} << 30,
          "ingest: bytes one uploader may upload per 24 hours (0: no limit)");
ABSL_FLAG(int, max_concurrent_uploads, 32,
          "ingest: uploads in progress at once, each up to 25 MB in memory; "
          "more are refused with UNAVAILABLE (0: no bound)");
ABSL_FLAG(std::string, photo_store, "files",
          "ingest: where photos go: files (fsynced, under --photo_dir) or "
          "rocksdb (blob files of the database)");
ABSL_FLAG(std::string, photo_dir, "",
          "ingest: folder of the photo files (default: DATA/photos)");
ABSL_FLAG(int, ocr_max_attempts, 3,
          "ingest: leases per OCR job before its photo ends as failed");
ABSL_FLAG(bool, review_every_field, false,
          "review: send every field to blind double entry, even those the "
          "machine read with confidence (a pilot that measures the machine)");
ABSL_FLAG(double, http_requests_per_ip, 20,
          "http: requests per second one client IP may make outside the "
          "snapshot of the upper levels (burst 3x; 0: no limit)");
ABSL_FLAG(double, http_requests_per_user, 5,
          "http: requests per second one signed-in volunteer or uploader may "
          "make (burst 6x)");
ABSL_FLAG(std::string, http_trusted_proxy, "",
          "http: the IP of a reverse proxy in front, whose X-Forwarded-For "
          "names the client");
ABSL_FLAG(bool, http_secure_cookies, false,
          "http: mark session cookies Secure (when served over HTTPS)");
ABSL_FLAG(absl::Duration, http_snapshot_interval, absl::Seconds(1),
          "http: how often the pages of the upper levels are rebuilt when "
          "results changed");
ABSL_FLAG(std::string, queue, "",
          "ocr: the gRPC address of the server whose OCR queue to work on "
          "(default: this process's --grpc)");
ABSL_FLAG(int, ocr_workers, 1, "ocr: workers (threads) in this process");
ABSL_FLAG(absl::Duration, ocr_lease, absl::Minutes(1),
          "ocr: how long a worker holds a job; the job of a worker that died "
          "is leased again after this");
ABSL_FLAG(std::string, token, "",
          "ocr: the workers' token (a user with the ocr_worker role); "
          "default $C1TALLY_TOKEN, which keeps it out of the process list, "
          "or, for workers beside this process's server, its own");
ABSL_FLAG(std::string, forms_dir, "", "ocr: form specs (default: built in)");
ABSL_FLAG(std::string, model, "",
          "ocr: digit models folder (its CURRENT model, followed as it "
          "changes) or one model's descriptor (default: the committed "
          "models)");

namespace {

c1tally::Server::Options ServerOptions(std::vector<std::string> services) {
  c1tally::Server::Options options;
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.grpc_address = absl::GetFlag(FLAGS_grpc);
  options.http_address = absl::GetFlag(FLAGS_http);
  options.services = std::move(services);
  options.demo = absl::GetFlag(FLAGS_demo);
  options.demo_scale = absl::GetFlag(FLAGS_demo_scale);
  options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  options.http_threads = absl::GetFlag(FLAGS_http_threads);
  options.upload_quota.photos_per_hour =
      absl::GetFlag(FLAGS_upload_photos_per_hour);
  options.upload_quota.bytes_per_day =
      absl::GetFlag(FLAGS_upload_bytes_per_day);
  options.photo_store = absl::GetFlag(FLAGS_photo_store);
  options.max_concurrent_uploads = absl::GetFlag(FLAGS_max_concurrent_uploads);
  options.photo_dir = absl::GetFlag(FLAGS_photo_dir);
  options.ocr_max_attempts = absl::GetFlag(FLAGS_ocr_max_attempts);
  options.forms_dir = absl::GetFlag(FLAGS_forms_dir);
  options.review_every_field = absl::GetFlag(FLAGS_review_every_field);
  const double per_ip = absl::GetFlag(FLAGS_http_requests_per_ip);
  options.gateway.per_ip = {per_ip, 3 * per_ip};
  const double per_user = absl::GetFlag(FLAGS_http_requests_per_user);
  options.gateway.volunteer.per_user = {per_user, 6 * per_user};
  options.gateway.trusted_proxy = absl::GetFlag(FLAGS_http_trusted_proxy);
  options.gateway.volunteer.secure_cookies =
      absl::GetFlag(FLAGS_http_secure_cookies);
  options.gateway.snapshot_interval =
      absl::GetFlag(FLAGS_http_snapshot_interval);
  return options;
}

// A token for workers beside the server in this process: the user
// "ocr-local" (created with the ocr_worker role the first time).
absl::StatusOr<std::string> LocalWorkerToken(c1tally::Server* server) {
  constexpr char kName[] = "ocr-local";
  c1tally::UserStore* users = server->user_store();
  if (absl::IsNotFound(users->GetUser(kName).status())) {
    c1tally::v1::User user;
    user.set_name(kName);
    user.add_roles(c1tally::v1::ROLE_OCR_WORKER);
    ASSIGN_OR_RETURN(c1tally::IssuedToken created,
                     users->CreateTokenUser(user, absl::Hours(24 * 30)));
    return created.token;
  }
  ASSIGN_OR_RETURN(c1tally::IssuedToken issued,
                   users->IssueToken(kName, absl::Hours(24 * 30)));
  return issued.token;
}

// `server` is this process's, or null when the workers run alone.
absl::StatusOr<std::unique_ptr<c1tally::OcrWorkers>> StartWorkers(
    const std::string& queue, c1tally::Server* server) {
  std::string token = absl::GetFlag(FLAGS_token);
  if (token.empty() && std::getenv("C1TALLY_TOKEN") != nullptr) {
    token = std::getenv("C1TALLY_TOKEN");
  }
  if (token.empty() && server != nullptr &&
      absl::GetFlag(FLAGS_queue).empty()) {
    ASSIGN_OR_RETURN(std::string local, LocalWorkerToken(server));
    token = std::move(local);
  }
  if (token.empty()) {
    return absl::InvalidArgumentError(
        "OCR workers need a token of a user with the ocr_worker role "
        "(C1TALLY_TOKEN or --token)");
  }
  c1tally::ocr::PageReader::Options reader_options;
  if (!absl::GetFlag(FLAGS_forms_dir).empty()) {
    reader_options.forms_dir = absl::GetFlag(FLAGS_forms_dir);
  }
  if (!absl::GetFlag(FLAGS_model).empty()) {
    reader_options.model_path = absl::GetFlag(FLAGS_model);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<c1tally::ocr::PageReader> reader,
                   c1tally::ocr::PageReader::Create(reader_options));
  c1tally::OcrWorker::Options options;
  options.worker_id = absl::StrCat("pid", getpid());
  options.lease = absl::GetFlag(FLAGS_ocr_lease);
  return std::make_unique<c1tally::OcrWorkers>(
      c1tally::CreateTokenChannel(queue, token), std::move(reader),
      std::max(1, absl::GetFlag(FLAGS_ocr_workers)), options);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "c1tallyd --data DIR --grpc HOST:PORT --http HOST:PORT "
      "[--services=LIST] [--demo]");
  absl::ParseCommandLine(argc, argv);

  // Block the stop signals in every thread; main() waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::vector<std::string> services = absl::StrSplit(
      absl::GetFlag(FLAGS_services), ',', absl::SkipWhitespace());
  const auto ocr =
      std::find(services.begin(), services.end(), c1tally::Server::kOcr);
  const bool run_workers = ocr != services.end();
  if (run_workers) services.erase(ocr);

  std::unique_ptr<c1tally::Server> server;
  if (!services.empty()) {
    absl::StatusOr<std::unique_ptr<c1tally::Server>> started =
        c1tally::Server::Start(ServerOptions(services));
    if (!started.ok()) {
      std::cerr << "c1tallyd: " << started.status().message() << "\n";
      return 1;
    }
    server = *std::move(started);
    std::cout << "c1tallyd: gRPC on port " << server->grpc_port();
    if (server->http_port() != 0) {
      std::cout << ", HTTP on port " << server->http_port();
    }
    std::cout << "; data in " << absl::GetFlag(FLAGS_data) << std::endl;
  }
  std::unique_ptr<c1tally::OcrWorkers> workers;
  if (run_workers) {
    const std::string queue =
        !absl::GetFlag(FLAGS_queue).empty() ? absl::GetFlag(FLAGS_queue)
        : server != nullptr ? absl::StrCat("127.0.0.1:", server->grpc_port())
                            : absl::GetFlag(FLAGS_grpc);
    absl::StatusOr<std::unique_ptr<c1tally::OcrWorkers>> started =
        StartWorkers(queue, server.get());
    if (!started.ok()) {
      std::cerr << "c1tallyd: " << started.status().message() << "\n";
      return 1;
    }
    workers = *std::move(started);
    std::cout << "c1tallyd: " << absl::GetFlag(FLAGS_ocr_workers)
              << " OCR worker(s) on the queue at " << queue << std::endl;
  }

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cout << "c1tallyd: stopping (signal " << received << ")" << std::endl;
  if (workers != nullptr) workers->Stop();
  if (server != nullptr) server->Shutdown();
  std::cout << "c1tallyd: stopped" << std::endl;
  return 0;
}
