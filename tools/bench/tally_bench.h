// The tally benchmark (`c1ctl bench tally`): builds the national synthetic
// tree, commits one verified PPWP result (and with all_races one of each
// legislative race) for every TPS through the gRPC API
// of a real server on loopback, then times random region and TPS reads. In
// the same run it times a plain RocksDB WriteBatch loop writing as many keys,
// so that the figures can be read as ratios on a noisy machine.
//
// Flags: --bench_scale (1.0 = national), --bench_batch (results per RPC),
// --bench_clients (concurrent committing clients), --bench_reads,
// --bench_dir (work directory; a fresh temporary one by default),
// --bench_verify (run the full verification afterwards), --bench_races
// (ppwp, or all: then synthetic reference data of the legislative races is
// imported too and every race is committed after ppwp, each race's time
// reported with its ratio to ppwp's).
#ifndef C1TALLY_TOOLS_BENCH_TALLY_BENCH_H_
#define C1TALLY_TOOLS_BENCH_TALLY_BENCH_H_

#include <string>

#include "absl/status/status.h"

namespace c1tally {

struct TallyBenchOptions {
  double scale = 1.0;   // tree size relative to the national one (823k TPS)
  int batch = 1000;     // results per BatchUpdateTpsResults call
  int clients = 2;      // concurrent committing clients
  int reads = 20000;    // random reads of each kind
  std::string dir;      // work directory; "" for a temporary one, removed after
  bool verify = false;  // run the full verification afterwards
  bool all_races = false;  // the four legislative races after ppwp
};

// Prints progress on stderr and the key=value line last on stdout.
absl::Status RunTallyBench(const TallyBenchOptions& bench);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_TALLY_BENCH_H_
