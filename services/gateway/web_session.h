// WebSession: how a browser holds a login. The token from AuthService's
// CreateToken lives only in an HttpOnly, SameSite=Strict cookie (never in a
// URL, a page or a log); scripts get a CSRF token derived from it, and every
// state-changing request must send that back in the X-CSRF-Token header. A
// page on another site can neither read the CSRF token nor make the browser
// send the cookie with its request, so it cannot act for a signed-in
// volunteer.
#ifndef C1TALLY_SERVICES_GATEWAY_WEB_SESSION_H_
#define C1TALLY_SERVICES_GATEWAY_WEB_SESSION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/gateway/http_server.h"

namespace c1tally {

inline constexpr char kSessionCookie[] = "c1t_session";
inline constexpr char kCsrfHeader[] = "x-csrf-token";

// The session token of `request` (from its Cookie header), or "".
std::string SessionToken(const HttpRequest& request);

// The CSRF token that belongs to a session token: a hash of it, so that it
// needs no storage and dies with the session.
std::string CsrfTokenFor(const std::string& session_token);

// OK when `request` may change state for its session: its Origin (when the
// browser sent one) is this host, and it carries the session's CSRF token.
// PERMISSION_DENIED otherwise; UNAUTHENTICATED without a session.
absl::Status CheckCsrf(const HttpRequest& request);
// Only the Origin part: for signing in, before there is a session.
absl::Status CheckOrigin(const HttpRequest& request);

// Set-Cookie values that start a session of `ttl` and end it. `secure`
// adds the Secure attribute (set it when served over HTTPS).
std::string SessionCookie(const std::string& token, absl::Duration ttl,
                          bool secure);
std::string ExpiredSessionCookie(bool secure);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_WEB_SESSION_H_
