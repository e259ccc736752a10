// c1ctl bench NAME: benchmarks. Each prints its figures last, on one line,
// as key=value pairs. The flags are defined here; the benches take their
// Options.
#include <algorithm>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "tools/bench/audit_bench.h"
#include "tools/bench/http_bench.h"
#include "tools/bench/ingest_bench.h"
#include "tools/bench/ocr_bench.h"
#include "tools/bench/pipeline_bench.h"
#include "tools/bench/tally_bench.h"
#include "tools/c1ctl/command.h"

// Shared by several benches.
ABSL_FLAG(std::string, bench_dir, "",
          "work directory (default: a fresh temporary one, removed after)");
ABSL_FLAG(double, bench_scale, 1.0,
          "tally, audit: tree size relative to the national one (823k TPS)");
ABSL_FLAG(int, bench_clients, 2, "tally, ingest: concurrent clients");
ABSL_FLAG(std::string, bench_photos, "../shared/data/forms/photos/2024",
          "ocr, ingest: folder of *.jpg photos");
// tally
ABSL_FLAG(int, bench_batch, 1000, "tally: results per BatchUpdateTpsResults");
ABSL_FLAG(int, bench_reads, 20000, "tally: random reads of each kind");
ABSL_FLAG(bool, bench_verify, false, "tally: run the full verification after");
ABSL_FLAG(std::string, bench_races, "ppwp",
          "tally: ppwp, or all (the four legislative races after ppwp, on "
          "synthetic reference data)");
// ocr
ABSL_FLAG(int, bench_rounds, 3, "ocr: times each photo is read (best kept)");
ABSL_FLAG(bool, bench_header, true,
          "ocr: include the Tesseract check of the printed header");
// ingest
ABSL_FLAG(int, bench_uploads, 200, "ingest: photos per measurement");
// pipeline (forms drawn with --templates and --mnist of `c1ctl forms`)
ABSL_FLAG(int, bench_pipeline_photos, 200, "pipeline: uploads per run");
ABSL_FLAG(int, bench_pipeline_tps, 60, "pipeline: TPS the photos cover");
ABSL_DECLARE_FLAG(std::string, templates);
ABSL_DECLARE_FLAG(std::string, mnist);
// http
ABSL_FLAG(int, bench_seconds, 5, "http: duration of each wrk measurement");
ABSL_FLAG(int, bench_connections, 32, "http: wrk's open connections");
ABSL_FLAG(int, bench_threads, 1, "http: wrk's threads");
ABSL_FLAG(int, bench_server_threads, 1,
          "http: c1tallyd's HTTP event-loop threads and nginx's worker "
          "processes (the same number for both)");
ABSL_FLAG(int, bench_http_rounds, 3,
          "http: rounds of measurements (each URL once per round, c1tallyd "
          "and nginx one after the other); the best of each counts");
ABSL_FLAG(double, bench_http_scale, 0.02,
          "http: size of the demo tree relative to the national one");

namespace c1tally::c1ctl {
namespace {

absl::Status Tally() {
  TallyBenchOptions bench;
  bench.scale = absl::GetFlag(FLAGS_bench_scale);
  bench.batch = absl::GetFlag(FLAGS_bench_batch);
  bench.clients = absl::GetFlag(FLAGS_bench_clients);
  bench.reads = absl::GetFlag(FLAGS_bench_reads);
  bench.dir = absl::GetFlag(FLAGS_bench_dir);
  bench.verify = absl::GetFlag(FLAGS_bench_verify);
  const std::string races = absl::GetFlag(FLAGS_bench_races);
  if (races != "ppwp" && races != "all") {
    return absl::InvalidArgumentError(
        absl::StrCat("--bench_races=", races, ": use ppwp or all"));
  }
  bench.all_races = races == "all";
  return RunTallyBench(bench);
}

absl::Status Ocr() {
  OcrBenchOptions bench;
  bench.photos = absl::GetFlag(FLAGS_bench_photos);
  bench.rounds = absl::GetFlag(FLAGS_bench_rounds);
  bench.header = absl::GetFlag(FLAGS_bench_header);
  return RunOcrBench(bench);
}

absl::Status Audit() {
  AuditBenchOptions bench;
  bench.scale = absl::GetFlag(FLAGS_bench_scale);
  bench.dir = absl::GetFlag(FLAGS_bench_dir);
  return RunAuditBench(bench);
}

absl::Status Ingest() {
  IngestBenchOptions bench;
  bench.photos = absl::GetFlag(FLAGS_bench_photos);
  bench.uploads = absl::GetFlag(FLAGS_bench_uploads);
  bench.clients = std::max(1, absl::GetFlag(FLAGS_bench_clients));
  bench.dir = absl::GetFlag(FLAGS_bench_dir);
  return RunIngestBench(bench);
}

absl::Status Pipeline() {
  PipelineBenchOptions bench;
  bench.photos = absl::GetFlag(FLAGS_bench_pipeline_photos);
  bench.tps = absl::GetFlag(FLAGS_bench_pipeline_tps);
  bench.templates = absl::GetFlag(FLAGS_templates);
  bench.mnist = absl::GetFlag(FLAGS_mnist);
  bench.dir = absl::GetFlag(FLAGS_bench_dir);
  return RunPipelineBench(bench);
}

absl::Status Http() {
  HttpBenchOptions bench;
  bench.seconds = absl::GetFlag(FLAGS_bench_seconds);
  bench.connections = absl::GetFlag(FLAGS_bench_connections);
  bench.threads = absl::GetFlag(FLAGS_bench_threads);
  bench.server_threads = absl::GetFlag(FLAGS_bench_server_threads);
  bench.rounds = absl::GetFlag(FLAGS_bench_http_rounds);
  bench.scale = absl::GetFlag(FLAGS_bench_http_scale);
  bench.dir = absl::GetFlag(FLAGS_bench_dir);
  return RunHttpBench(bench);
}

}  // namespace

int RunBench(const std::vector<std::string>& args) {
  if (args.size() == 1) {
    if (args[0] == "tally") return Fail(Tally());
    if (args[0] == "ocr") return Fail(Ocr());
    if (args[0] == "audit") return Fail(Audit());
    if (args[0] == "ingest") return Fail(Ingest());
    if (args[0] == "pipeline") return Fail(Pipeline());
    if (args[0] == "http") return Fail(Http());
  }
  std::cerr
      << "c1ctl: usage: c1ctl bench tally [--bench_scale=1.0] | bench "
         "ocr [--bench_photos=DIR] | bench audit [--bench_scale=1.0] | bench "
         "ingest [--bench_uploads=200] | bench pipeline "
         "[--bench_pipeline_photos=200] | bench http [--bench_seconds=5] "
         "[--bench_connections=32] [--bench_threads=1] "
         "[--bench_server_threads=1] [--bench_http_rounds=3]\n";
  return 2;
}

}  // namespace c1tally::c1ctl
