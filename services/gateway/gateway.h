// Gateway: everything c1tallyd serves over HTTP, routed to its part:
//
//   /static/...                    stylesheet and scripts (web/)
//   /unggah /periksa /masuk        the upload, review (with the moderator
//                                  view) and sign-in pages (web/*.html)
//   PublicPages                    /, /wilayah/..., /tps/..., /cari, /foto/...
//   JsonApi                        /api/v1/regions/..., /api/v1/tps/...
//   AuditPages                     /audit, /api/v1/audit/...
//   VolunteerApi                   /api/v1/session, review, submissions
//   /healthz
//
// The nation's, provinces' and kabupaten's pages come from a RegionSnapshot.
// Every request outside the snapshot counts against a per-IP limit (the
// snapshot's pages are the cheap ones a crowd reads), sign-ins against a
// stricter one. It talks to the services only through their gRPC stubs, so
// it may run in a process of its own. Backends must outlive the Gateway;
// optional ones may be null. Stop() before the gRPC server stops.
#ifndef C1TALLY_SERVICES_GATEWAY_GATEWAY_H_
#define C1TALLY_SERVICES_GATEWAY_GATEWAY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "c1tally/v1/audit.grpc.pb.h"
#include "c1tally/v1/auth.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/review.grpc.pb.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "services/gateway/audit_pages.h"
#include "services/gateway/http_server.h"
#include "services/gateway/json_api.h"
#include "services/gateway/public_pages.h"
#include "services/gateway/public_results.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/region_snapshot.h"
#include "services/gateway/volunteer_api.h"

namespace c1tally {

class Gateway {
 public:
  struct Backends {
    v1::TallyService::StubInterface* tally = nullptr;  // required
    v1::AuthService::StubInterface* auth = nullptr;    // required
    v1::AuditService::StubInterface* audit = nullptr;
    v1::ReviewService::StubInterface* review = nullptr;
    v1::IngestService::StubInterface* ingest = nullptr;
  };
  struct Options {
    // How often the snapshot of the upper levels is refreshed.
    absl::Duration snapshot_interval = absl::Seconds(1);
    // Requests outside the snapshot per client IP; per_second 0 = no limit.
    RateLimiter::Limit per_ip = {20, 60};
    RateLimiter::Limit sign_in_per_ip = {0.2, 10};
    // Take the client's IP from X-Forwarded-For when the peer is this
    // address (a reverse proxy in front); "" trusts no one.
    std::string trusted_proxy;
    VolunteerApi::Options volunteer;
    // The fields of each page of the form, for whole-photo review tasks.
    std::map<int, std::vector<std::string>> page_fields;
  };

  Gateway(Backends backends, Options options);
  ~Gateway();

  // Starts the snapshot's refreshing.
  void Start();
  // Stops it. Idempotent.
  void Stop();

  // Thread-safe.
  HttpResponse Handle(const HttpRequest& request);
  static size_t BodyLimit(const std::string& method, const std::string& path);

 private:
  std::optional<HttpResponse> FromSnapshot(const HttpRequest& request) const;
  HttpResponse Route(const HttpRequest& request);
  std::string ClientIp(const HttpRequest& request) const;
  // The form's pages (field names) and field labels, for the review page.
  std::string FormJson() const;

  const Options options_;
  PublicResults results_;
  PublicPages pages_;
  JsonApi json_;
  std::unique_ptr<AuditPages> audit_;
  VolunteerApi volunteer_;
  RateLimiter per_ip_;
  RateLimiter sign_in_per_ip_;
  RegionSnapshot snapshot_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_GATEWAY_H_
