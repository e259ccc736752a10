// RegionCode: a validated KPU 2024 region code.
//
// Widths by level: nation "" (0), province 2, kabupaten/kota 4, kecamatan 6,
// kelurahan/desa 10, TPS 13. Each code extends its parent's code, so the
// ancestors of a code are its prefixes of those widths. Overseas voting uses
// province 99 (country 99CC, city 99CCNN) with the same widths; there the
// third and fourth characters may also be capital letters (99AA..99BF), as
// in KPU's 2024 list.
#ifndef C1TALLY_STORAGE_REGION_CODE_H_
#define C1TALLY_STORAGE_REGION_CODE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/resources.pb.h"

namespace c1tally {

class RegionCode {
 public:
  // The nation.
  RegionCode() = default;

  // Parses `text`. "" and "0" are the nation. Fails with INVALID_ARGUMENT
  // (and a reason) on non-digits (but the overseas letters above), a width that
  // is no level's, province 00, or a TPS number 000.
  static absl::StatusOr<RegionCode> Parse(absl::string_view text);

  // Like Parse, and fails unless the code is of `level`.
  static absl::StatusOr<RegionCode> ParseAt(absl::string_view text,
                                            v1::RegionLevel level);

  const std::string& str() const { return code_; }
  v1::RegionLevel level() const;
  bool is_national() const { return code_.empty(); }
  bool is_tps() const { return code_.size() == kTpsWidth; }
  bool is_overseas() const { return code_.rfind("99", 0) == 0; }

  // The parent; the nation's parent is the nation.
  RegionCode parent() const;

  // Every ancestor from the direct parent up to and including the nation.
  std::vector<RegionCode> ancestors() const;

  // For a TPS: its number within the kelurahan (1..999); 0 otherwise.
  int tps_number() const;

  // True if `other` is this region or below it.
  bool contains(const RegionCode& other) const;

  friend bool operator==(const RegionCode& a, const RegionCode& b) {
    return a.code_ == b.code_;
  }
  friend bool operator<(const RegionCode& a, const RegionCode& b) {
    return a.code_ < b.code_;
  }

  static constexpr size_t kTpsWidth = 13;

  // Width of codes at `level` (nation 0, province 2, ..., TPS 13).
  static size_t WidthOf(v1::RegionLevel level);

  // Display name of a level in Bahasa Indonesia ("provinsi", ...).
  static absl::string_view LevelName(v1::RegionLevel level);

 private:
  explicit RegionCode(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

// The kind of a TPS from its code and (when known) KPU's display name:
// names starting "POS" or "KSK" are overseas postal and mobile-box TPS; a
// domestic TPS numbered 9xx is a special-location TPS.
v1::TpsKind TpsKindOf(const RegionCode& tps, absl::string_view name);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REGION_CODE_H_
