// A synthetic region tree with the national shape, for demos, benchmarks
// and tests that must not depend on the real region lists.
//
// Codes look like KPU's: the 38 real province codes (11..96) and 99 for
// overseas; kabupaten 01.. and kota 71.. within a province; kecamatan 01..;
// kelurahan 1001.. and desa 2001..; TPS 001..N, with a few special-location
// TPS numbered 901.. and an occasional gap in the numbering. Abroad, as in
// KPU's list, each city (99CC) has one kecamatan (99CC01) and one
// kelurahan (99CC010001) whose TPS are TPS, KSK (mobile box) and POS
// (postal) stations. Names are invented; province names end in
// "(SINTETIS)" so that a demo cannot be mistaken for real data.
//
// The tree is deterministic for a seed (on any platform: it uses
// std::mt19937_64 and its own arithmetic, not std distributions).
#ifndef C1TALLY_STORAGE_SYNTHETIC_TREE_H_
#define C1TALLY_STORAGE_SYNTHETIC_TREE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "storage/database.h"
#include "storage/region_import.h"

namespace c1tally {

struct SyntheticTreeOptions {
  uint64_t seed = 1;
  // Domestic provinces (at most the 38 real codes). Province 99 comes on
  // top when `overseas` is set.
  int provinces = 38;
  // Totals of the whole tree, overseas included, at scale 1.
  int64_t kabupaten = 514;
  int64_t kecamatan = 7277;
  int64_t kelurahan = 83792;
  int64_t tps = 823236;
  // Multiplies the totals above (not `provinces`): 1.0 is national, 0.01 a
  // demo. Each total is raised as needed so that every region has at least
  // one child and every kelurahan at least one TPS.
  double scale = 1.0;
  // Adds province 99 with about a fifth of the kabupaten-level codes as
  // cities abroad (at most 99) and 0.4% of the TPS.
  bool overseas = true;
};

// Generates the tree and imports it into `db` through RegionImporter; the
// report counts exactly the (scaled) totals as added. Fails with
// FAILED_PRECONDITION if `db` already holds regions (a synthetic tree must
// not mix with real data), INVALID_ARGUMENT if the options cannot be met
// with valid codes (e.g. more than 99 kabupaten in a province), or with
// the importer's error. `db` must stay valid during the call only.
absl::StatusOr<ImportReport> GenerateSyntheticTree(
    Database* db, const SyntheticTreeOptions& options);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SYNTHETIC_TREE_H_
