// FixtureServer: a real c1tallyd Server for the service suites: a fresh
// database (in its own TempDir) holding the fixture tree, every service,
// gRPC and HTTP on free loopback ports, and a gRPC channel to it that
// presents an admin's token on every call (the writes need one).
// Header-only, so that any suite that links the server can use it.
#ifndef C1TALLY_TESTS_FIXTURE_SERVER_H_
#define C1TALLY_TESTS_FIXTURE_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "services/auth/token_channel.h"
#include "services/server/server.h"
#include "tests/test_support.h"

namespace c1tally::testing {

class FixtureServer {
 public:
  // Imports the fixture tree and reference data (ImportFixtureTree,
  // ImportFixtureReference) and starts the server.
  static absl::StatusOr<std::unique_ptr<FixtureServer>> Start() {
    auto fixture = std::unique_ptr<FixtureServer>(new FixtureServer());
    {
      std::unique_ptr<Database> db = OpenDatabase(fixture->data_dir());
      ImportFixtureTree(db.get(), fixture->dir_);
      ImportFixtureReference(db.get());
    }
    Server::Options options;
    options.data_dir = fixture->data_dir();
    options.grpc_address = "127.0.0.1:0";
    options.http_address = "127.0.0.1:0";
    absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
    if (!server.ok()) return server.status();
    fixture->server_ = *std::move(server);
    v1::User admin;
    admin.set_name("fixture-admin");
    admin.add_roles(v1::ROLE_ADMIN);
    absl::StatusOr<IssuedToken> token =
        fixture->server_->user_store()->CreateTokenUser(admin, absl::Hours(1));
    if (!token.ok()) return token.status();
    fixture->channel_ = CreateTokenChannel(
        absl::StrCat("127.0.0.1:", fixture->server_->grpc_port()),
        token->token);
    return fixture;
  }

  Server* server() const { return server_.get(); }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // The database directory (for commands that open it read-only).
  std::string data_dir() const { return dir_.Sub("db"); }

 private:
  FixtureServer() = default;

  TempDir dir_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace c1tally::testing

#endif  // C1TALLY_TESTS_FIXTURE_SERVER_H_
