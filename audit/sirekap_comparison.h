// Comparison of the verified results with Sirekap's latest records, TPS by
// TPS and field by field, below one region, rolled up per child region.
//
// For each TPS either source has (Sirekap records without any number do
// not count), every field compared (audit/sirekap_compared_fields.h: the
// form kind's, for a legislative race expanded with the ballot of the
// TPS's dapil) is one of: equal, differs, only ours, only Sirekap. A TPS's
// size is the sum over the vote fields both sources have (the pairs; the
// candidates and party-only votes, not the party totals made of them) of
// |sirekap - ours|: how many votes would move if one source were replaced
// by the other. TPS are ranked by size, then
// by how many fields disagree, then by code; child regions by the sum of
// their TPS sizes, then by code.
//
// Both sources are read in code order and merged, one pass each. Only a
// compact ranking is kept (code, size, fields that disagree: a national
// comparison stays in tens of megabytes); DescribeTpsDiscrepancy() reads
// the two sides of one TPS again for the ones a caller shows.
#ifndef C1TALLY_AUDIT_SIREKAP_COMPARISON_H_
#define C1TALLY_AUDIT_SIREKAP_COMPARISON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/sirekap_store.h"
#include "c1tally/v1/audit.pb.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"
#include "storage/region_code.h"

namespace c1tally {

struct SirekapComparison {
  // A TPS with at least one field that disagrees.
  struct Ranked {
    std::string tps_code;
    int64_t size = 0;
    int fields = 0;
  };
  // Every TPS with a discrepancy, ranked (see above).
  std::vector<Ranked> tps;
  // The region itself.
  v1::RegionDiscrepancy total;
  // Its direct children (TPS, below a kelurahan) with any TPS in either
  // source, ranked.
  std::vector<v1::RegionDiscrepancy> children;
  // TPS that either source has.
  int64_t tps_seen = 0;
};

// Compares the results of `kind` below `region` (a TPS compares itself)
// with Sirekap's race for that form kind. INVALID_ARGUMENT when no Sirekap
// race has the form kind. Reads `snapshot` when given.
absl::StatusOr<SirekapComparison> CompareWithSirekap(
    Database* db, const SirekapStore& store, const v1::FormKind& kind,
    const RegionCode& region, const rocksdb::Snapshot* snapshot = nullptr);

// One TPS's discrepancy in full: the fields that disagree, its size,
// Sirekap's image links and times, our submissions. No fields when the two
// sources agree or neither has the TPS. Errors as CompareWithSirekap().
absl::StatusOr<v1::TpsDiscrepancy> DescribeTpsDiscrepancy(
    Database* db, const SirekapStore& store, const v1::FormKind& kind,
    const RegionCode& tps, const rocksdb::Snapshot* snapshot = nullptr);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_COMPARISON_H_
