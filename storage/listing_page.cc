#include "storage/listing_page.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace c1tally {
namespace {

// Ends the listing's name (no name holds it); the position after it may
// hold any byte.
constexpr char kSeparator = '\0';

}  // namespace

int ClampPageSize(int requested) {
  if (requested <= 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

std::string EncodePageToken(absl::string_view listing,
                            absl::string_view position) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(listing, std::string(1, kSeparator), position));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view listing,
                                            absl::string_view token) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed page token \"", token, "\""));
  }
  const std::string prefix = absl::StrCat(listing, std::string(1, kSeparator));
  if (!absl::StartsWith(raw, prefix)) {
    return absl::InvalidArgumentError(
        absl::StrCat("page token \"", token, "\" belongs to another listing"));
  }
  return raw.substr(prefix.size());
}

}  // namespace c1tally
