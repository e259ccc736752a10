#include "services/gateway/display_format.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace c1tally {

std::string FormatCount(int64_t value) {
  const bool negative = value < 0;
  std::string digits = absl::StrCat(negative ? -static_cast<uint64_t>(value)
                                             : static_cast<uint64_t>(value));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('.');
    out.push_back(digits[i]);
  }
  return negative ? absl::StrCat("-", out) : out;
}

std::string FormatPercent(double share) {
  if (!std::isfinite(share)) return "–";
  const int64_t hundredths = std::llround(share * 10000.0);
  return absl::StrCat(FormatCount(hundredths / 100), ",",
                      hundredths % 100 < 10 ? "0" : "", hundredths % 100, "%");
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "–";
  static const absl::TimeZone* const kJakarta =
      new absl::TimeZone(absl::FixedTimeZone(7 * 3600));
  return absl::StrCat(
      absl::FormatTime("%d %b %Y %H:%M", absl::FromUnixSeconds(time.seconds()),
                       *kJakarta),
      " WIB");
}

}  // namespace c1tally
