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
ABSL_FLAG(std::string, services, "tally,audit,http",
          "comma-separated services to run: tally, audit, http");
ABSL_FLAG(bool, demo, false,
          "load the demo region tree and sample results into an empty --data");
ABSL_FLAG(double, demo_scale, 0.02,
          "size of the demo tree relative to the national one");
ABSL_FLAG(bool, sync_writes, true,
          "fsync the write-ahead log before acknowledging a write");
ABSL_FLAG(int, http_threads, 2, "HTTP event-loop threads");

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
