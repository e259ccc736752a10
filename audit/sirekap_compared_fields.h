// SirekapComparedFields: which fields the comparison of one TPS's verified
// result with its Sirekap record looks at, in the order it reports them.
//
// For ppwp that is the form kind's fields. A legislative race's fields
// depend on the TPS's dapil (docs/LEGISLATIVE.md): the race's base kind
// expanded with the ballot of the dapil the result was counted in (or, for
// a TPS without a result, the dapil our map gives it), in ballot order;
// then, in name order, every other field our result has and every other
// ballot field (party or candidate) Sirekap has, so that a candidate
// Sirekap shows who is not on that ballot is reported, not dropped. Without
// reference data: the base kind's fields, then the rest.
//
// Ballots are read once per dapil. Not thread-safe; `db` must outlive it.
#ifndef C1TALLY_AUDIT_SIREKAP_COMPARED_FIELDS_H_
#define C1TALLY_AUDIT_SIREKAP_COMPARED_FIELDS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/sirekap_race.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"
#include "storage/reference/reference_store.h"

namespace c1tally {

class SirekapComparedFields {
 public:
  SirekapComparedFields(Database* db, const v1::FormKind& kind,
                        const SirekapRace& race)
      : reference_(db), kind_(kind), race_(race) {}

  // The fields to compare at `tps`, given our result (null: none) and
  // Sirekap's values under our names.
  absl::StatusOr<std::vector<std::string>> For(
      const std::string& tps, const v1::TpsResult* ours,
      const std::map<std::string, int64_t>& theirs);

 private:
  // The fields of `dapil`'s ballot form ("": the kind's own).
  absl::StatusOr<const std::vector<std::string>*> BallotFields(
      const std::string& dapil);

  ReferenceStore reference_;
  const v1::FormKind& kind_;
  const SirekapRace& race_;
  std::map<std::string, std::vector<std::string>> by_dapil_;
};

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_COMPARED_FIELDS_H_
