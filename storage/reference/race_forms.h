// RaceForms: the form kind a TPS's result must fit in a race. For ppwp (and
// any race without dapil) that is the built-in kind itself; for a
// legislative race it is the race's base kind expanded with the ballot of
// the dapil the TPS belongs to (ballot_form.h), so a candidate who is not on
// that ballot, or a party the race does not have there, is an unknown
// field.
//
// Expanded kinds are kept per race and dapil and rebuilt when the stored
// ballot changes (each lookup reads the ballot and compares its bytes);
// party names in the labels are read with the ballot they were built for.
// Thread-safe. `kinds` and `db` must outlive it.
#ifndef C1TALLY_STORAGE_REFERENCE_RACE_FORMS_H_
#define C1TALLY_STORAGE_REFERENCE_RACE_FORMS_H_

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/database.h"
#include "storage/form_kind.h"
#include "storage/reference/reference_store.h"
#include "storage/region_code.h"

namespace c1tally {

class RaceForms {
 public:
  RaceForms(const FormKinds* kinds, Database* db)
      : kinds_(kinds), reference_(db) {}

  struct Form {
    // The kind to validate against; shared, valid while held.
    std::shared_ptr<const v1::FormKind> kind;
    // The TPS's dapil in the race; "" for a race without dapil.
    std::string dapil;
  };
  // INVALID_ARGUMENT for an unknown form kind or a code that is not a TPS;
  // FAILED_PRECONDITION when the TPS belongs to no dapil of the race or its
  // dapil has no ballot yet (import the reference data first).
  absl::StatusOr<Form> For(const RegionCode& tps,
                           absl::string_view form_kind) const
      ABSL_LOCKS_EXCLUDED(mu_);

  const ReferenceStore& reference() const { return reference_; }

 private:
  struct Cached {
    std::string ballot_bytes;
    std::shared_ptr<const v1::FormKind> kind;
  };
  const FormKinds* const kinds_;
  ReferenceStore reference_;
  mutable absl::Mutex mu_;
  mutable std::map<std::pair<std::string, std::string>, Cached> cache_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_RACE_FORMS_H_
