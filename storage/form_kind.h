// FormKinds: the result fields and arithmetic rules of each form kind (race),
// as data. The built-in kinds come from storage/form_kinds/*.json (the JSON
// mapping of v1::FormKind); a new race is a new file, not new code.
#ifndef C1TALLY_STORAGE_FORM_KIND_H_
#define C1TALLY_STORAGE_FORM_KIND_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/resources.pb.h"

namespace c1tally {

class FormKinds {
 public:
  // The kinds compiled into the binary.
  static absl::StatusOr<FormKinds> Builtin();

  // Kinds from JSON texts, each one v1::FormKind. Fails on a malformed text,
  // a duplicate kind or field, a min above max, or a rule naming an unknown
  // field.
  static absl::StatusOr<FormKinds> FromJson(
      const std::vector<std::string>& texts);

  // The kind called `name`; NOT_FOUND with the known names otherwise.
  absl::StatusOr<const v1::FormKind*> Find(absl::string_view name) const;

  const std::map<std::string, v1::FormKind>& all() const { return kinds_; }

  // Checks `result.values` against its kind: every name known, every value
  // in range, every required field present. INVALID_ARGUMENT with the reason.
  absl::Status Validate(const v1::TpsResult& result) const;

  // Names of the rules of the result's kind that `result` breaks. A rule
  // whose fields are not all present is not checked.
  std::vector<std::string> BrokenRules(const v1::TpsResult& result) const;

  // The same two checks against a given kind (a legislative race's kind
  // expanded with a dapil's ballot, say), whatever result.form_kind says.
  static absl::Status ValidateAgainst(const v1::FormKind& kind,
                                      const v1::TpsResult& result);
  static std::vector<std::string> BrokenRulesOf(const v1::FormKind& kind,
                                                const v1::TpsResult& result);
  // Checks a kind's own consistency (names unique, min <= max, rules name
  // known fields). INVALID_ARGUMENT with the reason.
  static absl::Status Check(const v1::FormKind& kind);

 private:
  std::map<std::string, v1::FormKind> kinds_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_FORM_KIND_H_
