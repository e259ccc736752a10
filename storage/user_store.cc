#include "storage/user_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/listing_page.h"
#include "storage/secret_hash.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kTokenPrefix[] = "c1t_";
constexpr size_t kTokenRandomBytes = 32;
constexpr size_t kMaxNameLength = 64;
constexpr char kUsersListing[] = "users";

google::protobuf::Timestamp ToProto(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

absl::Time FromProto(const google::protobuf::Timestamp& time) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(time));
}

SecretHash SecretOf(const storage::StoredUser& stored) {
  SecretHash secret;
  secret.algorithm = stored.secret_algorithm();
  secret.iterations = stored.secret_iterations();
  secret.salt = stored.secret_salt();
  secret.hash = stored.secret_hash();
  return secret;
}

absl::Status ValidateRoles(const v1::User& user) {
  if (user.roles().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("user \"", user.name(), "\" needs at least one role"));
  }
  for (int role : user.roles()) {
    if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
      return absl::InvalidArgumentError(
          absl::StrCat("user \"", user.name(), "\": unknown role ", role));
    }
  }
  return absl::OkStatus();
}

const absl::Status& WrongLogin() {
  static const absl::Status* status =
      new absl::Status(absl::UnauthenticatedError(
          "wrong user name or password, or the user is disabled"));
  return *status;
}

}  // namespace

UserStore::UserStore(Database* db, std::function<absl::Time()> clock,
                     int iterations)
    : db_(db),
      clock_(std::move(clock)),
      iterations_(iterations > 0 ? iterations
                                 : SecretHash::kDefaultIterations) {}

absl::Status UserStore::ValidateName(absl::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxNameLength &&
            absl::ascii_isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    ok &= absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
          (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == '-';
  }
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "bad user name \"", name,
      "\": use 1-64 of a-z 0-9 . _ -, starting with a letter or digit"));
}

absl::StatusOr<storage::StoredUser> UserStore::ReadUser(
    absl::string_view name) const {
  std::string value;
  RETURN_IF_ERROR(db_->Get(Family::kUsers, name, &value,
                           absl::StrCat("user \"", name, "\"")));
  storage::StoredUser stored;
  if (!stored.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("user \"", name, "\" is corrupt"));
  }
  return stored;
}

absl::Status UserStore::WriteUser(const storage::StoredUser& stored) {
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(Family::kUsers), stored.user().name(),
            stored.SerializeAsString());
  return db_->Write(&batch);
}

absl::StatusOr<v1::User> UserStore::CreateUser(const v1::User& user,
                                               absl::string_view password) {
  RETURN_IF_ERROR(ValidateName(user.name()));
  RETURN_IF_ERROR(ValidateRoles(user));
  if (password.size() < kMinPasswordLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the password must have at least ", kMinPasswordLength, " characters"));
  }
  ASSIGN_OR_RETURN(SecretHash secret, HashSecret(password, iterations_));
  storage::StoredUser stored;
  *stored.mutable_user() = user;
  *stored.mutable_user()->mutable_create_time() = ToProto(clock_());
  stored.set_secret_algorithm(secret.algorithm);
  stored.set_secret_iterations(secret.iterations);
  stored.set_secret_salt(secret.salt);
  stored.set_secret_hash(secret.hash);

  absl::MutexLock lock(&write_mu_);
  absl::StatusOr<storage::StoredUser> existing = ReadUser(user.name());
  if (existing.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("user \"", user.name(), "\" already exists"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  RETURN_IF_ERROR(WriteUser(stored));
  return stored.user();
}

absl::StatusOr<v1::User> UserStore::GetUser(absl::string_view name) const {
  ASSIGN_OR_RETURN(storage::StoredUser stored, ReadUser(name));
  return stored.user();
}

absl::StatusOr<Page<v1::User>> UserStore::ListUsers(
    int page_size, const std::string& page_token) const {
  ASSIGN_OR_RETURN(const std::string last,
                   DecodePageToken(kUsersListing, page_token));
  const int limit = ClampPageSize(page_size);
  Page<v1::User> page;
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kUsers);
  for (it->Seek(last); it->Valid(); it->Next()) {
    if (!last.empty() && View(it->key()) == last) continue;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_page_token =
          EncodePageToken(kUsersListing, page.items.back().name());
      break;
    }
    storage::StoredUser stored;
    if (!stored.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("user \"", View(it->key()), "\" is corrupt"));
    }
    page.items.push_back(stored.user());
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing users");
  return page;
}

absl::StatusOr<v1::User> UserStore::DisableUser(absl::string_view name) {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(storage::StoredUser stored, ReadUser(name));
  if (!stored.user().disabled()) {
    stored.mutable_user()->set_disabled(true);
    RETURN_IF_ERROR(WriteUser(stored));
  }
  return stored.user();
}

absl::StatusOr<IssuedToken> UserStore::IssueToken(absl::string_view name,
                                                  absl::Duration ttl) {
  ASSIGN_OR_RETURN(storage::StoredUser stored, ReadUser(name));
  if (stored.user().disabled()) {
    return absl::FailedPreconditionError(
        absl::StrCat("user \"", name, "\" is disabled"));
  }
  if (ttl <= absl::ZeroDuration()) ttl = kDefaultTokenTtl;
  ttl = std::min(ttl, kMaxTokenTtl);
  ASSIGN_OR_RETURN(std::string random, RandomBytes(kTokenRandomBytes));
  IssuedToken issued;
  issued.token = absl::StrCat(kTokenPrefix, ToHex(random));
  const absl::Time now = clock_();
  issued.expire_time = now + ttl;
  storage::StoredToken token;
  token.set_user(std::string(name));
  *token.mutable_create_time() = ToProto(now);
  *token.mutable_expire_time() = ToProto(issued.expire_time);
  rocksdb::WriteBatch batch;
  batch.Put(db_->handle(Family::kTokens), Sha256(issued.token),
            token.SerializeAsString());
  RETURN_IF_ERROR(db_->Write(&batch));
  return issued;
}

absl::StatusOr<IssuedToken> UserStore::CreateTokenUser(const v1::User& user,
                                                       absl::Duration ttl) {
  ASSIGN_OR_RETURN(std::string password, RandomBytes(kTokenRandomBytes));
  ASSIGN_OR_RETURN(v1::User created, CreateUser(user, ToHex(password)));
  return IssueToken(user.name(), ttl);
}

absl::StatusOr<IssuedToken> UserStore::Login(absl::string_view name,
                                             absl::string_view password,
                                             absl::Duration ttl) {
  absl::StatusOr<storage::StoredUser> stored = ReadUser(name);
  if (!stored.ok()) {
    if (!absl::IsNotFound(stored.status())) return stored.status();
    // Hash anyway, so that an unknown name takes as long as a known one.
    static const SecretHash* dummy = [] {
      absl::StatusOr<SecretHash> hash = HashSecret("dummy-password");
      return new SecretHash(hash.ok() ? *hash : SecretHash());
    }();
    SecretHash same_cost = *dummy;
    same_cost.iterations = iterations_;
    VerifySecret(password, same_cost);
    return WrongLogin();
  }
  if (!VerifySecret(password, SecretOf(*stored)) || stored->user().disabled()) {
    return WrongLogin();
  }
  return IssueToken(name, ttl);
}

absl::StatusOr<v1::User> UserStore::Authenticate(
    absl::string_view token) const {
  std::string value;
  absl::Status read = db_->Get(Family::kTokens, Sha256(token), &value, "token");
  if (absl::IsNotFound(read)) {
    return absl::UnauthenticatedError("unknown or revoked token");
  }
  if (!read.ok()) return read;
  storage::StoredToken stored;
  if (!stored.ParseFromString(value)) {
    return absl::DataLossError("a stored token is corrupt");
  }
  if (clock_() >= FromProto(stored.expire_time())) {
    return absl::UnauthenticatedError(
        "the token has expired; log in again (c1ctl login)");
  }
  absl::StatusOr<storage::StoredUser> user = ReadUser(stored.user());
  if (absl::IsNotFound(user.status()) ||
      (user.ok() && user->user().disabled())) {
    return absl::UnauthenticatedError(
        absl::StrCat("user \"", stored.user(), "\" is disabled or removed"));
  }
  if (!user.ok()) return user.status();
  return user->user();
}

}  // namespace c1tally
