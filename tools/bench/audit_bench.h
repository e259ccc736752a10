// The audit benchmark (`c1ctl bench audit`): builds the national synthetic
// region tree, then imports one synthetic Sirekap per-TPS record for every
// TPS (audit/sirekap_synthetic.h: JSON as Sirekap publishes it, parsed,
// validated and stored with history in RocksDB, batches of 1,000, WAL
// fsynced per batch), and checks them all: every latest record read back
// from RocksDB and run through SirekapAudit. The check's counts are
// compared with what the generator made (incomplete and chart_sum_mismatch
// records), so a fast but wrong run cannot pass. Then, with verified
// results for every tenth TPS (set up untimed), it times the national
// comparison of the two sources (compare_s).
//
// Generating the JSON is not timed. The last line is
// `records=N import_s=S check_s=S ...`.
//
// Flags: --bench_scale (1.0 = national, shared with bench tally),
// --bench_dir (work directory; a fresh temporary one by default).
#ifndef C1TALLY_TOOLS_BENCH_AUDIT_BENCH_H_
#define C1TALLY_TOOLS_BENCH_AUDIT_BENCH_H_

#include <string>

#include "absl/status/status.h"

namespace c1tally {

struct AuditBenchOptions {
  double scale = 1.0;  // tree size relative to the national one
  std::string dir;     // work directory; "" for a temporary one, removed after
};

// Prints progress on stderr and the key=value line last on stdout.
absl::Status RunAuditBench(const AuditBenchOptions& bench);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_AUDIT_BENCH_H_
