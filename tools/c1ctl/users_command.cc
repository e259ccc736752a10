// c1ctl users create|list|disable|token: user administration against the
// data directory (with c1tallyd stopped: RocksDB admits one process), or,
// with an admin's --token, through the AuthService of the server at
// --server. Passwords are read from the
// C1TALLY_PASSWORD environment variable or the first line of stdin, never
// from a flag, which every user of the machine could see in `ps`.
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "storage/user_store.h"
#include "tools/c1ctl/command.h"
#include "tools/c1ctl/user_admin.h"

ABSL_FLAG(std::string, roles, "uploader",
          "users create: comma-separated roles (volunteer, moderator, admin, "
          "auditor, uploader)");
ABSL_DECLARE_FLAG(std::string, token);

ABSL_FLAG(absl::Duration, token_ttl, absl::Hours(24),
          "lifetime of a token from `users token` or `login` (at most 720h)");

namespace c1tally::c1ctl {

namespace {

// Turns off the terminal's echo while alive, when stdin is a terminal.
class NoEcho {
 public:
  NoEcho()
      : active_(isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~NoEcho() {
    if (!active_) return;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
    std::cerr << "\n";
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_;
};

}  // namespace

absl::StatusOr<std::string> ReadPassword() {
  if (const char* env = std::getenv("C1TALLY_PASSWORD"); env != nullptr) {
    return std::string(env);
  }
  std::cerr << "password: " << std::flush;
  std::string line;
  {
    NoEcho quiet;
    if (!std::getline(std::cin, line)) {
      return absl::InvalidArgumentError(
          "no password: set C1TALLY_PASSWORD or give it on stdin");
    }
  }
  return line;
}

namespace {

absl::StatusOr<v1::Role> ParseRole(absl::string_view name) {
  v1::Role role;
  if (v1::Role_Parse(absl::StrCat("ROLE_", absl::AsciiStrToUpper(name)),
                     &role) &&
      role != v1::ROLE_UNSPECIFIED) {
    return role;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown role \"", name,
      "\"; roles: volunteer, moderator, admin, auditor, uploader, ocr_worker"));
}

std::string RoleNames(const v1::User& user) {
  std::vector<std::string> names;
  for (int role : user.roles()) {
    names.push_back(absl::AsciiStrToLower(
        v1::Role_Name(static_cast<v1::Role>(role)).substr(5)));
  }
  return absl::StrJoin(names, ",");
}

void PrintUser(const v1::User& user) {
  std::cout << user.name() << " roles=" << RoleNames(user)
            << (user.disabled() ? " disabled" : "") << "\n";
}

int Create(UserAdmin* admin, const std::string& name) {
  v1::User user;
  user.set_name(name);
  for (absl::string_view role_name :
       absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipEmpty())) {
    absl::StatusOr<v1::Role> role = ParseRole(role_name);
    if (!role.ok()) return Fail(role.status());
    user.add_roles(*role);
  }
  absl::StatusOr<std::string> password = ReadPassword();
  if (!password.ok()) return Fail(password.status());
  absl::StatusOr<v1::User> created = admin->Create(user, *password);
  if (!created.ok()) return Fail(created.status());
  PrintUser(*created);
  return 0;
}

int List(UserAdmin* admin) {
  absl::StatusOr<std::vector<v1::User>> users = admin->List();
  if (!users.ok()) return Fail(users.status());
  for (const v1::User& user : *users) PrintUser(user);
  return 0;
}

int Disable(UserAdmin* admin, const std::string& name) {
  absl::StatusOr<v1::User> user = admin->Disable(name);
  if (!user.ok()) return Fail(user.status());
  PrintUser(*user);
  return 0;
}

int Token(UserStore* users, const std::string& name) {
  absl::StatusOr<IssuedToken> issued =
      users->IssueToken(name, absl::GetFlag(FLAGS_token_ttl));
  if (!issued.ok()) return Fail(issued.status());
  std::cout << issued->token << "\n";
  std::cerr << "expires " << absl::FormatTime(issued->expire_time) << "\n";
  return 0;
}

// With --token (an admin's), through the server at --server; otherwise in
// --data. (Only the flag counts, not C1TALLY_TOKEN, so that an uploader's
// environment never sends user administration to a server by surprise.)
int RunRemote(const std::vector<std::string>& args) {
  if (args[0] == "token") {
    return Fail(absl::InvalidArgumentError(
        "a running server gives tokens through `c1ctl login`"));
  }
  std::unique_ptr<UserAdmin> admin =
      RemoteUserAdmin(ServerChannel(), absl::GetFlag(FLAGS_token));
  if (args[0] == "create") return Create(admin.get(), args[1]);
  if (args[0] == "disable") return Disable(admin.get(), args[1]);
  return List(admin.get());
}

constexpr char kUsage[] =
    "c1ctl: usage: c1ctl users create NAME [--roles=uploader,...] | users "
    "list | users disable NAME | users token NAME [--token_ttl=24h]  "
    "(--data DIR, or --token ADMIN_TOKEN --server HOST:PORT; password "
    "from C1TALLY_PASSWORD or stdin)\n";

}  // namespace

int RunUsers(const std::vector<std::string>& args) {
  const std::string& verb = args[0];
  const bool named = args.size() == 2;
  const bool known =
      (verb == "list" && args.size() == 1) ||
      ((verb == "create" || verb == "disable" || verb == "token") && named);
  if (!known) {
    std::cerr << kUsage;
    return 2;
  }
  if (!absl::GetFlag(FLAGS_token).empty()) {
    return RunRemote(args);
  }
  absl::StatusOr<std::unique_ptr<Database>> db =
      OpenDataDir(/*read_only=*/verb == "list");
  if (!db.ok()) return Fail(db.status());
  UserStore users(db->get());
  if (verb == "token") return Token(&users, args[1]);
  std::unique_ptr<UserAdmin> admin = LocalUserAdmin(&users);
  if (verb == "create") return Create(admin.get(), args[1]);
  if (verb == "disable") return Disable(admin.get(), args[1]);
  return List(admin.get());
}

}  // namespace c1tally::c1ctl
