#include "services/gateway/web_session.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

std::string Header(const HttpRequest& request, const std::string& name) {
  auto it = request.headers.find(name);
  return it == request.headers.end() ? "" : it->second;
}

// Compares without stopping at the first difference, so that timing does
// not tell how much of a guess was right.
bool SameSecret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace

std::string SessionToken(const HttpRequest& request) {
  for (absl::string_view part :
       absl::StrSplit(Header(request, "cookie"), ';', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(
        absl::StripAsciiWhitespace(part), absl::MaxSplits('=', 1));
    if (kv.first == kSessionCookie) return std::string(kv.second);
  }
  return "";
}

std::string CsrfTokenFor(const std::string& session_token) {
  return ToHex(Sha256(absl::StrCat("c1tally-csrf:", session_token)))
      .substr(0, 32);
}

absl::Status CheckOrigin(const HttpRequest& request) {
  const std::string origin = Header(request, "origin");
  if (origin.empty()) return absl::OkStatus();
  const std::string host = Header(request, "host");
  absl::string_view origin_host = origin;
  if (!absl::ConsumePrefix(&origin_host, "https://")) {
    absl::ConsumePrefix(&origin_host, "http://");
  }
  if (host.empty() || origin_host != host) {
    return absl::PermissionDeniedError(
        absl::StrCat("request from another site (", origin, ") refused"));
  }
  return absl::OkStatus();
}

absl::Status CheckCsrf(const HttpRequest& request) {
  const std::string token = SessionToken(request);
  if (token.empty()) {
    return absl::UnauthenticatedError("silakan masuk dulu (sign in first)");
  }
  RETURN_IF_ERROR(CheckOrigin(request));
  if (!SameSecret(Header(request, kCsrfHeader), CsrfTokenFor(token))) {
    return absl::PermissionDeniedError(
        "missing or wrong CSRF token; reload the page");
  }
  return absl::OkStatus();
}

std::string SessionCookie(const std::string& token, absl::Duration ttl,
                          bool secure) {
  return absl::StrCat(kSessionCookie, "=", token,
                      "; Path=/; HttpOnly; SameSite=Strict; Max-Age=",
                      absl::ToInt64Seconds(ttl), secure ? "; Secure" : "");
}

std::string ExpiredSessionCookie(bool secure) {
  return absl::StrCat(kSessionCookie,
                      "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                      secure ? "; Secure" : "");
}

}  // namespace c1tally
