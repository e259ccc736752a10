#include "storage/secret_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "absl/status/status.h"

namespace c1tally {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

absl::StatusOr<std::string> Pbkdf2(absl::string_view secret,
                                   absl::string_view salt, int iterations) {
  std::string out(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    return absl::InternalError("PBKDF2 failed");
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> RandomBytes(size_t size) {
  std::string out(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()),
                 static_cast<int>(size)) != 1) {
    return absl::InternalError("the random number generator failed");
  }
  return out;
}

absl::StatusOr<SecretHash> HashSecret(absl::string_view secret,
                                      int iterations) {
  if (iterations < 1) {
    return absl::InvalidArgumentError("iterations must be positive");
  }
  SecretHash result;
  result.iterations = iterations;
  absl::StatusOr<std::string> salt = RandomBytes(kSaltBytes);
  if (!salt.ok()) return salt.status();
  result.salt = *std::move(salt);
  absl::StatusOr<std::string> hash = Pbkdf2(secret, result.salt, iterations);
  if (!hash.ok()) return hash.status();
  result.hash = *std::move(hash);
  return result;
}

bool VerifySecret(absl::string_view secret, const SecretHash& stored) {
  if (stored.algorithm != SecretHash::kAlgorithm || stored.iterations < 1 ||
      stored.hash.size() != kHashBytes) {
    return false;
  }
  absl::StatusOr<std::string> hash =
      Pbkdf2(secret, stored.salt, stored.iterations);
  return hash.ok() && ConstantTimeEquals(*hash, stored.hash);
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace c1tally
