// PublicResultsFixture: a real server (FixtureServer: the fixture tree,
// every service, real gRPC and RocksDB) and a PublicResults of the test's
// own over stubs to it, so the gateway's parts (JsonApi, PublicPages,
// RegionSnapshot) are tested on their own, called directly rather than
// through the server's HTTP port. Header-only; one server per suite.
#ifndef C1TALLY_TESTS_PUBLIC_RESULTS_FIXTURE_H_
#define C1TALLY_TESTS_PUBLIC_RESULTS_FIXTURE_H_

#include <map>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "services/gateway/http_server.h"
#include "services/gateway/public_results.h"
#include "storage/sample_results.h"
#include "tests/fixture_server.h"

namespace c1tally::testing {

class PublicResultsFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<FixtureServer>> fixture =
        FixtureServer::Start();
    ASSERT_TRUE(fixture.ok()) << fixture.status();
    fixture_ = fixture->release();
    tally_ = v1::TallyService::NewStub(fixture_->channel()).release();
    ingest_ = v1::IngestService::NewStub(fixture_->channel()).release();
    audit_ = v1::AuditService::NewStub(fixture_->channel()).release();
    results_ = new PublicResults(tally_, ingest_, audit_);
  }

  static void TearDownTestSuite() {
    delete results_;
    delete audit_;
    delete ingest_;
    delete tally_;
    delete fixture_;
  }

  // Stores a presidential result for `tps` through the tally service.
  static void SetPpwp(const std::string& tps, int p1, int p2, int p3) {
    SetResult(PpwpResult(tps, p1, p2, p3, /*invalid=*/1));
  }

  // Stores `result` through the tally service.
  static void SetResult(const v1::TpsResult& result) {
    v1::UpdateTpsResultRequest request;
    *request.mutable_result() = result;
    v1::UpdateTpsResultResponse response;
    grpc::ClientContext context;
    const grpc::Status status =
        tally_->UpdateTpsResult(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // A GET of `path` with `query`.
  static HttpRequest Get(const std::string& path,
                         std::map<std::string, std::string> query = {}) {
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    request.query = std::move(query);
    request.remote_ip = "127.0.0.1";
    return request;
  }

  // The value of header `name` in `response`, "" when absent.
  static std::string Header(const HttpResponse& response,
                            const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }

  static FixtureServer* fixture_;
  static v1::TallyService::Stub* tally_;
  static v1::IngestService::Stub* ingest_;
  static v1::AuditService::Stub* audit_;
  static PublicResults* results_;
};

inline FixtureServer* PublicResultsFixture::fixture_ = nullptr;
inline v1::TallyService::Stub* PublicResultsFixture::tally_ = nullptr;
inline v1::IngestService::Stub* PublicResultsFixture::ingest_ = nullptr;
inline v1::AuditService::Stub* PublicResultsFixture::audit_ = nullptr;
inline PublicResults* PublicResultsFixture::results_ = nullptr;

}  // namespace c1tally::testing

#endif  // C1TALLY_TESTS_PUBLIC_RESULTS_FIXTURE_H_
