// Helpers shared by the auth and ingest suites: a server with the ingest
// service on loopback over a fixture region tree, users with tokens, and
// the real 2024 form photos.
#ifndef C1TALLY_TESTS_INGEST_TEST_SUPPORT_H_
#define C1TALLY_TESTS_INGEST_TEST_SUPPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "c1tally/v1/auth.pb.h"
#include "grpcpp/channel.h"
#include "services/server/server.h"
#include "tests/test_support.h"

namespace c1tally::testing {

// Starts tally, audit and ingest on "127.0.0.1:0" over `data_dir` with
// `quota`, photos in `photo_store` ("files" or "rocksdb"), at most
// `max_uploads` uploads at once. Fails the test (and returns null) when it
// cannot.
std::unique_ptr<Server> StartIngestServer(
    const std::string& data_dir, const UploadQuota& quota = {},
    const std::string& photo_store = "files", int max_uploads = 32);

// Regular files below `dir` (0 when it does not exist).
int CountFiles(const std::string& dir);

// A database in `dir`/db with the fixture tree; returns its path.
std::string FixtureDataDir(const TempDir& dir);

// Creates `name` with `roles` (password "password-<name>") in the server's
// user store and returns a fresh token.
std::string UserToken(Server* server, const std::string& name,
                      const std::vector<v1::Role>& roles);

std::shared_ptr<grpc::Channel> ChannelTo(const Server& server);

// The bytes of the real photo `name` (e.g. "ppwp-page2-a.jpg"); "" when the
// shared data is absent.
std::string RealPhoto(const std::string& name);

// A whole JPEG of about 600 KB (a random texture, 1200×900) that passes
// CheckPhoto, for cases that need a photo but not a form, so they run
// without the shared data too. The same bytes every call.
std::string AnyPhoto();

}  // namespace c1tally::testing

#endif  // C1TALLY_TESTS_INGEST_TEST_SUPPORT_H_
