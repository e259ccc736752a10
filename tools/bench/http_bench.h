// The HTTP benchmark (`c1ctl bench http`): how many requests per second
// c1tallyd's web answers, against nginx serving the same bytes as static
// files, measured by wrk in one run on this machine.
//
// Starts a Server in-process with c1tallyd's wiring (tally, audit, ingest
// and http on loopback, a fresh data directory with the demo tree and
// results at --bench_http_scale, no per-IP limit: wrk is one client IP),
// waits until the national JSON is stable (the snapshot of the upper levels
// is built), fetches the national JSON (/api/v1/regions/0, from the
// snapshot) and a kelurahan page (/wilayah/CODE, rendered live), writes them
// as files that an nginx of its own (temporary prefix and config, a free
// loopback port, no daemon) serves, checks that every URL answers 200 with
// those bytes, and then runs wrk with the same settings against all four
// URLs, --bench_http_rounds times (c1tallyd and nginx one after the other
// in each round, so that other load on the machine touches both; the best
// rps of each URL counts).
//
// Each measurement also reports the server's CPU time per request
// (this process for c1tallyd, nginx's master and workers for nginx; wrk's
// own not counted), which other load on the machine moves less than rps.
//
// Prints one line per measurement on stdout and, last:
//   path_national_rps=R path_kelurahan_rps=R nginx_rps=R ratio=X
// (best of the rounds) where nginx_rps is nginx serving the national JSON
// file and ratio is path_national_rps / nginx_rps. A measurement with an HTTP
// error (wrk's "Non-2xx or 3xx responses") or a socket error fails the
// benchmark.
//
// Needs /usr/bin/wrk (Debian package wrk) and /usr/sbin/nginx (nginx-light);
// FAILED_PRECONDITION naming the package when one is missing.
//
// Flags: --bench_seconds, --bench_connections, --bench_threads (wrk's),
// --bench_server_threads (c1tallyd's HTTP threads and nginx's worker
// processes), --bench_http_rounds, --bench_http_scale, --bench_dir.
#ifndef C1TALLY_TOOLS_BENCH_HTTP_BENCH_H_
#define C1TALLY_TOOLS_BENCH_HTTP_BENCH_H_

#include <string>

#include "absl/status/status.h"

namespace c1tally {

struct HttpBenchOptions {
  int seconds = 5;       // duration of each wrk measurement
  int connections = 32;  // wrk's open connections
  int threads = 1;       // wrk's threads
  // c1tallyd's HTTP event-loop threads and nginx's worker processes (the
  // same number for both).
  int server_threads = 1;
  // Rounds of measurements (each URL once per round, c1tallyd and nginx one
  // after the other); the best of each counts.
  int rounds = 3;
  double scale = 0.02;  // the demo tree relative to the national one
  std::string dir;      // work directory; "" for a temporary one
};

// Prints progress on stderr and the measurements on stdout, the key=value
// line last.
absl::Status RunHttpBench(const HttpBenchOptions& bench);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_HTTP_BENCH_H_
