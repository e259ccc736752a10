// How the pages write numbers, shares and times: as Bahasa Indonesia does
// (dots between thousands, a decimal comma, Jakarta time).
#ifndef C1TALLY_SERVICES_GATEWAY_DISPLAY_FORMAT_H_
#define C1TALLY_SERVICES_GATEWAY_DISPLAY_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace c1tally {

// Thousands separated by dots, as written in Indonesia: 1234567 -> 1.234.567.
std::string FormatCount(int64_t value);
// A share with two decimals and a decimal comma: 0.48234 -> "48,23%".
std::string FormatPercent(double share);
// "27 Nov 2026 04:55 WIB" (Jakarta time, UTC+7); "–" for an unset time.
std::string FormatTime(const google::protobuf::Timestamp& time);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_DISPLAY_FORMAT_H_
