// c1ctl bench NAME: benchmarks. Each prints its figures last, on one line,
// as key=value pairs.
#include <iostream>

#include "tools/bench/audit_bench.h"
#include "tools/bench/http_bench.h"
#include "tools/bench/ingest_bench.h"
#include "tools/bench/ocr_bench.h"
#include "tools/bench/pipeline_bench.h"
#include "tools/bench/tally_bench.h"
#include "tools/c1ctl/command.h"

namespace c1tally::c1ctl {

int RunBench(const std::vector<std::string>& args) {
  if (args[0] == "tally" && args.size() == 1) return Fail(RunTallyBench());
  if (args[0] == "ocr" && args.size() == 1) return Fail(RunOcrBench());
  if (args[0] == "audit" && args.size() == 1) return Fail(RunAuditBench());
  if (args[0] == "ingest" && args.size() == 1) return Fail(RunIngestBench());
  if (args[0] == "pipeline" && args.size() == 1) {
    return Fail(RunPipelineBench());
  }
  if (args[0] == "http" && args.size() == 1) return Fail(RunHttpBench());
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
