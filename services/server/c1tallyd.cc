// c1tallyd: the c1tally server. Runs any set of services in one process.
#include <signal.h>

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_split.h"
#include "services/server/server.h"

ABSL_FLAG(std::string, data, "./data", "data directory (RocksDB)");
ABSL_FLAG(std::string, grpc, "127.0.0.1:50051", "gRPC listen address");
ABSL_FLAG(std::string, http, "127.0.0.1:8080", "HTTP listen address");
ABSL_FLAG(std::string, services, "tally,audit,ingest,http",
          "comma-separated services to run: tally, audit, ingest, http");
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

  c1tally::Server::Options options;
  options.data_dir = absl::GetFlag(FLAGS_data);
  options.grpc_address = absl::GetFlag(FLAGS_grpc);
  options.http_address = absl::GetFlag(FLAGS_http);
  options.services = absl::StrSplit(absl::GetFlag(FLAGS_services), ',',
                                    absl::SkipWhitespace());
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

  absl::StatusOr<std::unique_ptr<c1tally::Server>> server =
      c1tally::Server::Start(options);
  if (!server.ok()) {
    std::cerr << "c1tallyd: " << server.status().message() << "\n";
    return 1;
  }
  std::cout << "c1tallyd: gRPC on port " << (*server)->grpc_port();
  if ((*server)->http_port() != 0) {
    std::cout << ", HTTP on port " << (*server)->http_port();
  }
  std::cout << "; data in " << options.data_dir << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cout << "c1tallyd: stopping (signal " << received << ")" << std::endl;
  (*server)->Shutdown();
  std::cout << "c1tallyd: stopped" << std::endl;
  return 0;
}
