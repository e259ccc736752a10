// SHA-256 digests (OpenSSL's implementation).
#ifndef C1TALLY_STORAGE_SHA256_H_
#define C1TALLY_STORAGE_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace c1tally {

// The 32-byte digest of `data`.
std::string Sha256(absl::string_view data);

// Lower-case hex of `bytes`.
std::string ToHex(absl::string_view bytes);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SHA256_H_
