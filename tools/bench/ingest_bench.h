// The ingest benchmark (`c1ctl bench ingest`): how fast photos become
// durable. Times the two blob stores on the same photos (the real ones in
// --bench_photos, each made unique by a suffix after its end-of-image
// marker), every write fsynced: RocksDB with blob files
// (RocksDbBlobStore) against one fsynced file per photo (FileBlobStore),
// written one at a time and by --bench_clients writers at once; then whole
// uploads through a real server on loopback (chunks, checks, dedup index,
// quota scan).
//
// Flags: --bench_uploads (photos per measurement), --bench_clients,
// --bench_photos, --bench_dir.
#ifndef C1TALLY_TOOLS_BENCH_INGEST_BENCH_H_
#define C1TALLY_TOOLS_BENCH_INGEST_BENCH_H_

#include <string>

#include "absl/status/status.h"

namespace c1tally {

struct IngestBenchOptions {
  std::string photos = "../shared/data/forms/photos/2024";  // *.jpg folder
  int uploads = 200;  // photos per measurement
  int clients = 2;    // concurrent writers
  std::string dir;    // work directory; "" for a temporary one
};

// Prints progress on stderr and the key=value line last on stdout.
absl::Status RunIngestBench(const IngestBenchOptions& bench);

}  // namespace c1tally

#endif  // C1TALLY_TOOLS_BENCH_INGEST_BENCH_H_
