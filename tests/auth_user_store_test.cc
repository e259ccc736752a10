// UserStore and secret hashing against a real RocksDB directory.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/secret_hash.h"
#include "storage/user_store.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Few iterations: the tests check behaviour, not the work factor.
constexpr int kFastIterations = 1000;

class UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    users_ = std::make_unique<UserStore>(
        db_.get(), [this] { return now_; }, kFastIterations);
  }

  // The uploader most tests use, with password "correct horse".
  void CreateSiti() {
    ASSERT_TRUE(
        users_->CreateUser(Make("siti", v1::ROLE_UPLOADER), "correct horse")
            .ok());
  }

  v1::User Make(const std::string& name, v1::Role role) {
    v1::User user;
    user.set_name(name);
    user.add_roles(role);
    return user;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  absl::Time now_ = absl::FromUnixSeconds(1707868800);  // 2024-02-14
  std::unique_ptr<UserStore> users_;
};

TEST_F(UserStoreTest, CreateLoginAuthenticate) {
  CreateSiti();
  absl::StatusOr<IssuedToken> token =
      users_->Login("siti", "correct horse", absl::ZeroDuration());
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_THAT(token->token, StartsWith("c1t_"));
  EXPECT_EQ(token->expire_time, now_ + UserStore::kDefaultTokenTtl);
  absl::StatusOr<v1::User> user = users_->Authenticate(token->token);
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->name(), "siti");
  EXPECT_EQ(user->roles(0), v1::ROLE_UPLOADER);
}

TEST_F(UserStoreTest, WrongPasswordAndUnknownUserLookAlike) {
  CreateSiti();
  absl::Status wrong =
      users_->Login("siti", "wrong horse", absl::ZeroDuration()).status();
  absl::Status unknown =
      users_->Login("budi", "correct horse", absl::ZeroDuration()).status();
  EXPECT_TRUE(absl::IsUnauthenticated(wrong));
  EXPECT_EQ(wrong, unknown);
}

TEST_F(UserStoreTest, SecretsAreStoredHashedAndSalted) {
  ASSERT_TRUE(
      users_->CreateUser(Make("a", v1::ROLE_VOLUNTEER), "same password").ok());
  ASSERT_TRUE(
      users_->CreateUser(Make("b", v1::ROLE_VOLUNTEER), "same password").ok());
  absl::StatusOr<IssuedToken> token = users_->IssueToken("a", absl::Hours(1));
  ASSERT_TRUE(token.ok());
  // Nothing in the database holds the password or the token in clear.
  std::vector<std::string> salts;
  for (Family family : {Family::kUsers, Family::kTokens}) {
    auto it = db_->NewIterator(family);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string record = it->key().ToString() + it->value().ToString();
      EXPECT_EQ(record.find("same password"), std::string::npos);
      EXPECT_EQ(record.find(token->token), std::string::npos);
      if (family == Family::kUsers) {
        storage::StoredUser stored;
        ASSERT_TRUE(stored.ParseFromString(it->value().ToString()));
        EXPECT_EQ(stored.secret_algorithm(), "pbkdf2-sha256");
        EXPECT_EQ(stored.secret_hash().size(), 32u);
        salts.push_back(stored.secret_salt());
      }
    }
  }
  ASSERT_EQ(salts.size(), 2u);
  EXPECT_NE(salts[0], salts[1]);
}

TEST_F(UserStoreTest, TokenExpires) {
  CreateSiti();
  absl::StatusOr<IssuedToken> token =
      users_->IssueToken("siti", absl::Minutes(10));
  ASSERT_TRUE(token.ok());
  now_ += absl::Minutes(9);
  EXPECT_TRUE(users_->Authenticate(token->token).ok());
  now_ += absl::Minutes(1);
  absl::Status expired = users_->Authenticate(token->token).status();
  EXPECT_TRUE(absl::IsUnauthenticated(expired));
  EXPECT_THAT(expired.message(), HasSubstr("expired"));
}

TEST_F(UserStoreTest, TokenLifetimeIsCapped) {
  CreateSiti();
  absl::StatusOr<IssuedToken> token =
      users_->IssueToken("siti", absl::Hours(24 * 365));
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->expire_time, now_ + UserStore::kMaxTokenTtl);
}

TEST_F(UserStoreTest, DisablingStopsTokensAndLogins) {
  CreateSiti();
  absl::StatusOr<IssuedToken> token =
      users_->IssueToken("siti", absl::Hours(1));
  ASSERT_TRUE(token.ok());
  absl::StatusOr<v1::User> disabled = users_->DisableUser("siti");
  ASSERT_TRUE(disabled.ok());
  EXPECT_TRUE(disabled->disabled());
  EXPECT_TRUE(
      absl::IsUnauthenticated(users_->Authenticate(token->token).status()));
  EXPECT_TRUE(absl::IsUnauthenticated(
      users_->Login("siti", "correct horse", absl::ZeroDuration()).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      users_->IssueToken("siti", absl::Hours(1)).status()));
}

TEST_F(UserStoreTest, UnknownTokenIsUnauthenticated) {
  EXPECT_TRUE(
      absl::IsUnauthenticated(users_->Authenticate("c1t_0000").status()));
}

TEST_F(UserStoreTest, BadUsersAreRefused) {
  EXPECT_TRUE(absl::IsInvalidArgument(
      users_->CreateUser(Make("Siti!", v1::ROLE_UPLOADER), "correct horse")
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      users_->CreateUser(Make("siti", v1::ROLE_UPLOADER), "short").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      users_->CreateUser(Make("siti", v1::ROLE_UNSPECIFIED), "correct horse")
          .status()));
  v1::User no_role;
  no_role.set_name("siti");
  EXPECT_TRUE(absl::IsInvalidArgument(
      users_->CreateUser(no_role, "correct horse").status()));
  CreateSiti();
  EXPECT_TRUE(absl::IsAlreadyExists(
      users_->CreateUser(Make("siti", v1::ROLE_ADMIN), "another one")
          .status()));
}

TEST_F(UserStoreTest, ListPagesInNameOrder) {
  for (const char* name : {"c", "a", "d", "b"}) {
    ASSERT_TRUE(
        users_->CreateUser(Make(name, v1::ROLE_VOLUNTEER), "password1").ok());
  }
  std::vector<std::string> names;
  std::string token;
  do {
    absl::StatusOr<Page<v1::User>> page = users_->ListUsers(3, token);
    ASSERT_TRUE(page.ok());
    for (const v1::User& user : page->items) names.push_back(user.name());
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_F(UserStoreTest, UsersSurviveReopening) {
  CreateSiti();
  absl::StatusOr<IssuedToken> token =
      users_->IssueToken("siti", absl::Hours(1));
  ASSERT_TRUE(token.ok());
  users_.reset();
  db_.reset();
  Database::Options options;
  options.create_if_missing = false;
  absl::StatusOr<std::unique_ptr<Database>> reopened =
      Database::Open(dir_.Sub("db"), options);
  ASSERT_TRUE(reopened.ok());
  UserStore users(reopened->get(), [this] { return now_; });
  EXPECT_TRUE(users.Authenticate(token->token).ok());
}

TEST(SecretHashTest, VerifiesOnlyTheRightSecret) {
  absl::StatusOr<SecretHash> hash = HashSecret("rahasia", 1000);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifySecret("rahasia", *hash));
  EXPECT_FALSE(VerifySecret("rahasiA", *hash));
  SecretHash other_algorithm = *hash;
  other_algorithm.algorithm = "md5";
  EXPECT_FALSE(VerifySecret("rahasia", other_algorithm));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace c1tally
