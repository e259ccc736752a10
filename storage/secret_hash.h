// Hashing of secrets: passwords (slow, salted) and random tokens.
//
// Passwords are low-entropy, so they are stored only as PBKDF2-HMAC-SHA256
// with a random salt and many iterations, which makes guessing from a
// stolen database expensive. Tokens are 256 random bits; a guess is
// hopeless however fast the hash, so they are stored as plain SHA-256 and
// checked on every RPC without a slow KDF.
#ifndef C1TALLY_STORAGE_SECRET_HASH_H_
#define C1TALLY_STORAGE_SECRET_HASH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c1tally {

// A salted password hash and how it was made.
struct SecretHash {
  static constexpr char kAlgorithm[] = "pbkdf2-sha256";
  // About 40 ms on one core of the development machine: slow for a guesser,
  // fast enough for a login.
  static constexpr int kDefaultIterations = 100000;

  std::string algorithm = kAlgorithm;
  int iterations = kDefaultIterations;
  std::string salt;  // 16 random bytes
  std::string hash;  // 32 bytes
};

// `size` bytes from OpenSSL's CSPRNG; INTERNAL if it fails.
absl::StatusOr<std::string> RandomBytes(size_t size);

// Hashes `secret` with a fresh random salt.
absl::StatusOr<SecretHash> HashSecret(
    absl::string_view secret, int iterations = SecretHash::kDefaultIterations);

// True when `secret` hashes to `stored` (same algorithm, iterations and
// salt); the final comparison takes the same time wherever the hashes
// differ. False for an unknown algorithm or a malformed record.
bool VerifySecret(absl::string_view secret, const SecretHash& stored);

// Constant-time equality of two byte strings of equal length (false when
// the lengths differ; lengths are not secret).
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SECRET_HASH_H_
