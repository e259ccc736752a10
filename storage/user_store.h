// UserStore: users with roles, their hashed passwords, and access tokens,
// in the kUsers and kTokens families.
//
// A token is "c1t_" + 64 hex digits (256 random bits), shown once when
// issued; only its SHA-256 is stored (key of kTokens), with the user and an
// expiry. Disabling a user stops every token of theirs at once, because
// Authenticate() reads the user on every call.
//
// Safe to use from many threads: writes that read first (create, disable)
// are serialized by a mutex; reads take no lock. The Database must outlive
// the store.
#ifndef C1TALLY_STORAGE_USER_STORE_H_
#define C1TALLY_STORAGE_USER_STORE_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c1tally/storage/records.pb.h"
#include "c1tally/v1/auth.pb.h"
#include "storage/database.h"
#include "storage/region_tree.h"

namespace c1tally {

// A freshly issued token: the secret the caller keeps, and when it expires.
struct IssuedToken {
  std::string token;
  absl::Time expire_time;
};

class UserStore {
 public:
  static constexpr absl::Duration kDefaultTokenTtl = absl::Hours(24);
  static constexpr absl::Duration kMaxTokenTtl = absl::Hours(24 * 30);
  static constexpr size_t kMinPasswordLength = 8;

  // `clock` gives the current time (tests pass a fake one); `iterations` is
  // the PBKDF2 work factor for new passwords.
  explicit UserStore(Database* db,
                     std::function<absl::Time()> clock = absl::Now,
                     int iterations = 0);

  // Creates `user` (name, roles) with `password`. INVALID_ARGUMENT for a
  // malformed name, no role, an unspecified role or a password shorter than
  // kMinPasswordLength; ALREADY_EXISTS when the name is taken.
  absl::StatusOr<v1::User> CreateUser(const v1::User& user,
                                      absl::string_view password)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // NOT_FOUND for an unknown name.
  absl::StatusOr<v1::User> GetUser(absl::string_view name) const;

  // Users in name order after `page_token` (the last name of the previous
  // page).
  absl::StatusOr<Page<v1::User>> ListUsers(int page_size,
                                           const std::string& page_token) const;

  // Marks the user disabled (idempotent). NOT_FOUND for an unknown name.
  absl::StatusOr<v1::User> DisableUser(absl::string_view name)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // Issues a token for an enabled user, valid for `ttl` (0: the default;
  // capped at kMaxTokenTtl). NOT_FOUND for an unknown user,
  // FAILED_PRECONDITION for a disabled one.
  absl::StatusOr<IssuedToken> IssueToken(absl::string_view name,
                                         absl::Duration ttl);

  // Creates `user` with a random password that nobody knows and issues a
  // token: for programs that act as one user by token alone (tests,
  // benchmarks, workers). CreateUser()'s and IssueToken()'s errors.
  absl::StatusOr<IssuedToken> CreateTokenUser(const v1::User& user,
                                              absl::Duration ttl);

  // Checks the password and issues a token. UNAUTHENTICATED with the same
  // message for an unknown user, a wrong password and a disabled user, so
  // that the answer tells a guesser nothing; the unknown user costs the
  // same hashing as a known one.
  absl::StatusOr<IssuedToken> Login(absl::string_view name,
                                    absl::string_view password,
                                    absl::Duration ttl);

  // The enabled user holding `token`. UNAUTHENTICATED for an unknown or
  // expired token or a disabled user.
  absl::StatusOr<v1::User> Authenticate(absl::string_view token) const;

  // INVALID_ARGUMENT unless `name` is 1-64 of [a-z0-9._-] starting with a
  // letter or digit.
  static absl::Status ValidateName(absl::string_view name);

 private:
  absl::StatusOr<storage::StoredUser> ReadUser(absl::string_view name) const;
  absl::Status WriteUser(const storage::StoredUser& stored);

  Database* db_;
  std::function<absl::Time()> clock_;
  int iterations_;
  absl::Mutex write_mu_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_USER_STORE_H_
