// VolunteerApi: the JSON routes behind the sign-in, upload, review and
// moderation pages. Each forwards to the gRPC service with the browser's
// session token (see web_session.h), so the services' own rules (roles,
// blind entry, never one's own photo, rate limits) apply unchanged:
//
//   GET    /api/v1/session              who is signed in, roles, CSRF token
//   POST   /api/v1/session              {"user","password"}: sign in
//   DELETE /api/v1/session              sign out
//   POST   /api/v1/reviewTasks:claim    the next task (crop as base64 PNG)
//   POST   /api/v1/reviewTasks:skip     {"task","lease_id"}
//   POST   /api/v1/reviewEntries        {"lease_id","entry":ReviewEntry}
//   GET    /api/v1/reviewTasks?filter=disputed   moderators
//   GET    /api/v1/reviewTasks/{id}     moderators: one, with its photo
//   POST   /api/v1/reviewTasks:resolve  {"task","decision","reason"}
//   GET    /api/v1/volunteerStats       the caller's counts
//   POST   /api/v1/submissions?tps_code=CODE     body: the photo
//   GET    /api/v1/submissions          the caller's uploads
//   GET    /api/v1/submissions/{id}     one of them, with its reading
//
// Every state-changing request needs the CSRF header (signing in needs a
// same-site Origin instead); each signed-in user may make `per_user`
// requests. Bodies are proto3 JSON of the services' messages. Who is signed
// in comes from AuthService.GetCurrentUser, so this may run in another
// process than the services. The stubs must outlive the VolunteerApi;
// review and ingest may be null (their routes then answer 503).
// Thread-safe.
#ifndef C1TALLY_SERVICES_GATEWAY_VOLUNTEER_API_H_
#define C1TALLY_SERVICES_GATEWAY_VOLUNTEER_API_H_

#include <string>

#include "c1tally/v1/auth.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/review.grpc.pb.h"
#include "services/gateway/http_server.h"
#include "services/gateway/rate_limiter.h"

namespace c1tally {

class VolunteerApi {
 public:
  struct Backends {
    v1::AuthService::StubInterface* auth = nullptr;
    v1::ReviewService::StubInterface* review = nullptr;
    v1::IngestService::StubInterface* ingest = nullptr;
  };
  struct Options {
    // Cookies with the Secure attribute (when served over HTTPS).
    bool secure_cookies = false;
    // Lifetime of a web session.
    absl::Duration session_ttl = absl::Hours(12);
    RateLimiter::Limit per_user = {5, 30};
  };

  // The largest photo accepted, as the ingest service's.
  static constexpr size_t kMaxPhotoBytes = 25 << 20;

  VolunteerApi(Backends backends, Options options);

  // True for the paths above.
  static bool Serves(const std::string& path);
  // The body limit of a request to `path`: photos for uploads.
  static size_t BodyLimit(const std::string& method, const std::string& path);

  HttpResponse Handle(const HttpRequest& request);

 private:
  HttpResponse Session(const HttpRequest& request);
  HttpResponse SignIn(const HttpRequest& request);
  HttpResponse Review(const HttpRequest& request, const std::string& token);
  HttpResponse Submissions(const HttpRequest& request,
                           const std::string& token);

  Backends backends_;
  Options options_;
  RateLimiter per_user_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_VOLUNTEER_API_H_
