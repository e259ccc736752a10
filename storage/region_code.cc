#include "storage/region_code.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace c1tally {
namespace {

// Widths of the levels below the nation, in order.
constexpr size_t kWidths[] = {2, 4, 6, 10, 13};

v1::RegionLevel LevelOfWidth(size_t width) {
  switch (width) {
    case 0:
      return v1::REGION_LEVEL_NATIONAL;
    case 2:
      return v1::REGION_LEVEL_PROVINCE;
    case 4:
      return v1::REGION_LEVEL_KABUPATEN;
    case 6:
      return v1::REGION_LEVEL_KECAMATAN;
    case 10:
      return v1::REGION_LEVEL_KELURAHAN;
    case 13:
      return v1::REGION_LEVEL_TPS;
    default:
      return v1::REGION_LEVEL_UNSPECIFIED;
  }
}

}  // namespace

absl::StatusOr<RegionCode> RegionCode::Parse(absl::string_view text) {
  if (text.empty() || text == "0") return RegionCode();
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    // KPU ran out of two-digit overseas city codes and went on with
    // letters: 99AA .. 99BF (San Francisco, Sana'a, ...).
    const bool overseas_letter =
        i >= 2 && i < 4 && text.substr(0, 2) == "99" && absl::ascii_isupper(c);
    if (!absl::ascii_isdigit(c) && !overseas_letter) {
      return absl::InvalidArgumentError(
          absl::StrCat("region code \"", absl::CHexEscape(text.substr(0, 20)),
                       "\" has a character that is not a digit"));
    }
  }
  if (LevelOfWidth(text.size()) == v1::REGION_LEVEL_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("region code \"", text, "\" has ", text.size(),
                     " digits; codes have 2 (province), 4 (kabupaten/kota), 6 "
                     "(kecamatan), 10 (kelurahan/desa) or 13 (TPS)"));
  }
  if (text.substr(0, 2) == "00") {
    return absl::InvalidArgumentError(
        absl::StrCat("region code \"", text, "\" has province 00"));
  }
  if (text.size() == kTpsWidth && text.substr(10) == "000") {
    return absl::InvalidArgumentError(
        absl::StrCat("TPS code \"", text, "\" has TPS number 000"));
  }
  return RegionCode(std::string(text));
}

absl::StatusOr<RegionCode> RegionCode::ParseAt(absl::string_view text,
                                               v1::RegionLevel level) {
  absl::StatusOr<RegionCode> code = Parse(text);
  if (!code.ok()) return code.status();
  if (code->level() != level) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is a ", LevelName(code->level()), " code, not a ",
        LevelName(level), " code (", WidthOf(level), " digits)"));
  }
  return code;
}

v1::RegionLevel RegionCode::level() const { return LevelOfWidth(code_.size()); }

size_t RegionCode::WidthOf(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_PROVINCE:
      return 2;
    case v1::REGION_LEVEL_KABUPATEN:
      return 4;
    case v1::REGION_LEVEL_KECAMATAN:
      return 6;
    case v1::REGION_LEVEL_KELURAHAN:
      return 10;
    case v1::REGION_LEVEL_TPS:
      return 13;
    default:
      return 0;
  }
}

absl::string_view RegionCode::LevelName(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_NATIONAL:
      return "nasional";
    case v1::REGION_LEVEL_PROVINCE:
      return "provinsi";
    case v1::REGION_LEVEL_KABUPATEN:
      return "kabupaten/kota";
    case v1::REGION_LEVEL_KECAMATAN:
      return "kecamatan";
    case v1::REGION_LEVEL_KELURAHAN:
      return "kelurahan/desa";
    case v1::REGION_LEVEL_TPS:
      return "TPS";
    default:
      return "unknown level";
  }
}

RegionCode RegionCode::parent() const {
  size_t parent_width = 0;
  for (size_t width : kWidths) {
    if (width >= code_.size()) break;
    parent_width = width;
  }
  return RegionCode(code_.substr(0, parent_width));
}

std::vector<RegionCode> RegionCode::ancestors() const {
  std::vector<RegionCode> result;
  for (RegionCode code = *this; !code.is_national();) {
    code = code.parent();
    result.push_back(code);
  }
  return result;
}

int RegionCode::tps_number() const {
  if (!is_tps()) return 0;
  int number = 0;
  absl::SimpleAtoi(absl::string_view(code_).substr(10), &number);
  return number;
}

bool RegionCode::contains(const RegionCode& other) const {
  return absl::StartsWith(other.code_, code_);
}

v1::TpsKind TpsKindOf(const RegionCode& tps, absl::string_view name) {
  absl::string_view upper = absl::StripAsciiWhitespace(name);
  if (absl::StartsWithIgnoreCase(upper, "POS")) return v1::TPS_KIND_POSTAL;
  if (absl::StartsWithIgnoreCase(upper, "KSK")) return v1::TPS_KIND_MOBILE_BOX;
  if (!tps.is_overseas() && tps.tps_number() >= 900) {
    return v1::TPS_KIND_SPECIAL_LOCATION;
  }
  return v1::TPS_KIND_REGULAR;
}

}  // namespace c1tally
