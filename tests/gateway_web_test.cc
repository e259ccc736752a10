// The web gateway over a real server on loopback: public pages and their
// escaping, sessions and CSRF, the volunteers' JSON routes with bad input,
// upload limits, which photos are public, per-IP limits, and the units it
// is built from (escaping and number formats, rate limiter, CSRF checks).
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/gateway/display_format.h"
#include "services/gateway/html_page.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/web_session.h"
#include "services/server/server.h"
#include "tests/ingest_test_support.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;
using testing::HttpCall;
using testing::HttpResult;
using ::testing::Not;

TEST(HtmlTest, EscapesAndFormatsTheIndonesianWay) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1234567), "1.234.567");
  EXPECT_EQ(FormatCount(-1000), "-1.000");
  EXPECT_EQ(FormatPercent(0.48234), "48,23%");
  EXPECT_EQ(FormatPercent(0.0705), "7,05%");
  EXPECT_EQ(FormatPercent(1.0), "100,00%");
  HtmlPage html("message.tpl", "<b>title</b>");
  html.AddScript("x.js");
  html.SetQuery("\"><script>");
  html.body()->SetValue("MESSAGE", "<p>body</p>");
  absl::StatusOr<std::string> page = html.Render();
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(*page, HasSubstr("<title>&lt;b&gt;title&lt;/b&gt; · c1tally"));
  EXPECT_THAT(*page, HasSubstr("value=\"&quot;&gt;&lt;script&gt;\""));
  EXPECT_THAT(*page, HasSubstr("<main>\n<h1></h1><p>&lt;p&gt;body&lt;/p&gt;"));
  EXPECT_THAT(*page, HasSubstr("src=\"/static/x.js\""));
}

TEST(RateLimiterTest, BurstThenRefillPerKey) {
  absl::Time now = absl::FromUnixSeconds(1000);
  RateLimiter limiter({.per_second = 2, .burst = 3}, /*max_keys=*/2,
                      [&] { return now; });
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("a")) << i;
  EXPECT_FALSE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));  // keys are apart
  now += absl::Milliseconds(500);   // one token back
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_FALSE(limiter.Allow("a"));
  // A third key while two are active: refused (fails closed)...
  EXPECT_FALSE(limiter.Allow("c"));
  // ...until the others are full again and forgotten.
  now += absl::Seconds(10);
  EXPECT_TRUE(limiter.Allow("c"));

  RateLimiter unlimited({.per_second = 0, .burst = 0});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(unlimited.Allow("x"));
}

TEST(WebSessionTest, CsrfNeedsTheSessionsTokenAndThisOrigin) {
  HttpRequest request;
  request.headers["host"] = "tally.example:8080";
  EXPECT_TRUE(absl::IsUnauthenticated(CheckCsrf(request)));
  request.headers["cookie"] = "a=b; c1t_session=secret-token; z=1";
  EXPECT_EQ(SessionToken(request), "secret-token");
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCsrf(request)));
  request.headers[kCsrfHeader] = CsrfTokenFor("another-token");
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCsrf(request)));
  request.headers[kCsrfHeader] = CsrfTokenFor("secret-token");
  EXPECT_TRUE(CheckCsrf(request).ok());
  request.headers["origin"] = "http://tally.example:8080";
  EXPECT_TRUE(CheckCsrf(request).ok());
  request.headers["origin"] = "https://evil.example";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCsrf(request)));
  // The CSRF token is a digest of the session token, never the session
  // token itself: a page script sees it, and it must not let the script
  // act as the session.
  request.headers.erase("origin");
  request.headers[kCsrfHeader] = "secret-token";
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCsrf(request)));
  const std::string csrf = CsrfTokenFor("secret-token");
  EXPECT_THAT(csrf, ::testing::MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(csrf, CsrfTokenFor("secret-token"));
  EXPECT_NE(csrf, CsrfTokenFor("secret-tokeN"));
  EXPECT_THAT(csrf, Not(HasSubstr("secret")));
  EXPECT_THAT(SessionCookie("t", absl::Hours(1), true),
              HasSubstr("HttpOnly; SameSite=Strict; Max-Age=3600; Secure"));
}

class GatewayWebTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(Gateway::Options gateway) {
    Server::Options options;
    options.data_dir = testing::FixtureDataDir(dir_);
    options.grpc_address = "127.0.0.1:0";
    options.http_address = "127.0.0.1:0";
    options.gateway = gateway;
    options.gateway.snapshot_interval = absl::Milliseconds(50);
    absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  using Headers = std::vector<std::pair<std::string, std::string>>;

  HttpResult Fetch(const std::string& method, const std::string& target,
                   const Headers& headers = {}, const std::string& body = "") {
    HttpCall call;
    call.method = method;
    call.target = target;
    call.headers = headers;
    call.body = body;
    absl::StatusOr<HttpResult> result =
        testing::HttpFetch(server_->http_port(), call);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : HttpResult{};
  }
  HttpResult Get(const std::string& target) { return Fetch("GET", target); }

  // A request head claiming a body of `length` bytes, sent without it.
  HttpResult HeadOnly(const std::string& target, const Headers& headers,
                      size_t length) {
    std::string raw =
        absl::StrCat("POST ", target, " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (const auto& [name, value] : headers) {
      absl::StrAppend(&raw, name, ": ", value, "\r\n");
    }
    absl::StrAppend(&raw, "Content-Length: ", length, "\r\n\r\n");
    absl::StatusOr<HttpResult> result =
        testing::HttpRaw(server_->http_port(), raw);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : HttpResult{};
  }

  // Signs `name` in (created with `roles`); returns the cookie header and
  // the CSRF token.
  std::pair<std::string, std::string> SignIn(
      const std::string& name, const std::vector<v1::Role>& roles) {
    testing::UserToken(server_.get(), name, roles);
    HttpResult signed_in =
        Fetch("POST", "/api/v1/session", {},
              absl::StrCat(R"({"user":")", name, R"(","password":"password-)",
                           name, "\"}"));
    EXPECT_EQ(signed_in.status, 200) << signed_in.body;
    const std::string cookie = signed_in.headers["set-cookie"];
    EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
    const std::string session = cookie.substr(0, cookie.find(';'));
    return {
        session,
        nlohmann::json::parse(signed_in.body)["csrf_token"].get<std::string>()};
  }

  testing::TempDir dir_;
  std::unique_ptr<Server> server_;
};

TEST_F(GatewayWebTest, PublicPagesShowResultsAndEscapeWhatTheyShow) {
  v1::TpsResult result;
  result.set_tps_code("3101011001003");
  result.set_form_kind("ppwp");
  for (const auto& [field, value] :
       std::map<std::string, int64_t>{{"suara_paslon_1", 1234},
                                      {"suara_paslon_2", 120},
                                      {"suara_paslon_3", 30}}) {
    (*result.mutable_values())[field] = value;
  }
  // Out of range for the form (1234 > 999) is refused by the store; keep
  // the sums valid and put markup where an operator's text goes.
  (*result.mutable_values())["suara_paslon_1"] = 100;
  (*result.mutable_values())["suara_sah"] = 250;
  (*result.mutable_values())["suara_tidak_sah"] = 2;
  (*result.mutable_values())["suara_total"] = 252;
  result.mutable_provenance()->set_source(v1::Provenance::SOURCE_MODERATOR);
  result.mutable_provenance()->set_note("<script>alert('x')</script>");
  ASSERT_TRUE(server_->store()->SetResults({result}).ok());

  HttpResult tps = Get("/tps/3101011001003");
  ASSERT_EQ(tps.status, 200);
  EXPECT_EQ(tps.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_THAT(tps.headers["content-security-policy"],
              HasSubstr("script-src 'self'"));
  EXPECT_THAT(tps.body, HasSubstr("TPS 003"));
  EXPECT_THAT(tps.body, HasSubstr(">120<"));
  EXPECT_THAT(tps.body, HasSubstr("moderator"));
  EXPECT_THAT(tps.body,
              HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
  EXPECT_THAT(tps.body, Not(HasSubstr("<script>alert")));

  // Upper levels come from the snapshot; within a few refreshes the nation
  // counts the TPS.
  HttpResult national;
  for (int i = 0; i < 100; ++i) {
    national = Get("/");
    if (national.body.find("1 dari 12") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(national.status, 200);
  EXPECT_THAT(national.body, HasSubstr("1 dari 12"));
  EXPECT_THAT(national.body, HasSubstr("<table class=\"sortable\""));
  EXPECT_THAT(national.headers["cache-control"], HasSubstr("max-age=5"));
  HttpResult again = Fetch("GET", "/", {{"If-None-Match", national.etag}});
  EXPECT_EQ(again.status, 304);
  // Deep pages may be cached longer.
  HttpResult kelurahan = Get("/wilayah/3101011001");
  EXPECT_EQ(kelurahan.status, 200);
  EXPECT_THAT(kelurahan.headers["cache-control"], HasSubstr("max-age=60"));
  EXPECT_THAT(kelurahan.body, HasSubstr("/tps/3101011001003"));

  // Unknown or malformed places: clear pages, not crashes.
  EXPECT_EQ(Get("/tps/3101011001099").status, 404);
  HttpResult malformed = Get("/tps/31010110");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_THAT(malformed.body, HasSubstr("8 digits"));
  EXPECT_EQ(Get("/wilayah/77").status, 404);

  // Search: a code goes to its page; markup in a query comes back escaped.
  HttpResult found = Get("/cari?q=3101011001003");
  EXPECT_EQ(found.status, 302);
  EXPECT_EQ(found.headers["location"], "/tps/3101011001003");
  HttpResult markup = Get("/cari?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
  EXPECT_EQ(markup.status, 200);
  EXPECT_THAT(markup.body, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(markup.body, HasSubstr("&lt;img src=x"));
  nlohmann::json short_query =
      nlohmann::json::parse(Get("/api/v1/search?q=ab").body);
  EXPECT_THAT(short_query["error"]["message"].get<std::string>(),
              HasSubstr("3"));
}

TEST_F(GatewayWebTest, VolunteerRoutesNeedASessionAndTheCsrfToken) {
  // No session.
  EXPECT_EQ(Fetch("POST", "/api/v1/reviewTasks:claim").status, 401);
  // Wrong password; sign-in from another site.
  testing::UserToken(server_.get(), "relawan", {v1::ROLE_VOLUNTEER});
  EXPECT_EQ(Fetch("POST", "/api/v1/session", {},
                  R"({"user":"relawan","password":"nope"})")
                .status,
            401);
  EXPECT_EQ(
      Fetch("POST", "/api/v1/session", {{"Origin", "https://evil.example"}},
            R"({"user":"relawan","password":"password-relawan"})")
          .status,
      403);

  auto [cookie, csrf] = SignIn("relawan2", {v1::ROLE_VOLUNTEER});
  HttpResult who = Fetch("GET", "/api/v1/session", {{"Cookie", cookie}});
  EXPECT_EQ(who.status, 200);
  EXPECT_THAT(who.body, HasSubstr("ROLE_VOLUNTEER"));
  EXPECT_THAT(who.body, Not(HasSubstr(cookie.substr(cookie.find('=') + 1))));
  // A session without the CSRF header cannot act.
  EXPECT_EQ(
      Fetch("POST", "/api/v1/reviewTasks:claim", {{"Cookie", cookie}}).status,
      403);
  // With it: nothing to review yet.
  HttpResult claim = Fetch("POST", "/api/v1/reviewTasks:claim",
                           {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(claim.status, 404) << claim.body;
  // Letters where a number goes: a clear 400 that says why.
  HttpResult letters =
      Fetch("POST", "/api/v1/reviewEntries",
            {{"Cookie", cookie}, {"X-CSRF-Token", csrf}},
            R"({"lease_id":"x","entry":{"task":"reviewTasks/1",)"
            R"("verdict":"VERDICT_VALUE","values":{"suara_sah":"4O7"}}})");
  EXPECT_EQ(letters.status, 400);
  EXPECT_THAT(letters.body, HasSubstr("numbers must be digits"));
  // A volunteer is not a moderator.
  EXPECT_EQ(
      Fetch("GET", "/api/v1/reviewTasks?filter=disputed", {{"Cookie", cookie}})
          .status,
      403);
  // Signing out ends the cookie.
  HttpResult out = Fetch("DELETE", "/api/v1/session",
                         {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(out.status, 200);
  EXPECT_THAT(out.headers["set-cookie"], HasSubstr("Max-Age=0"));
}

TEST_F(GatewayWebTest, UploadsAreCheckedAndOnlyReadPhotosArePublic) {
  auto [cookie, csrf] = SignIn("warga", {v1::ROLE_UPLOADER});
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Cookie", cookie}, {"X-CSRF-Token", csrf}};
  // Not a photo; a wrong TPS code; a TPS not in the tree.
  HttpResult text = Fetch("POST", "/api/v1/submissions?tps_code=3101011001003",
                          headers, "this is not a photo");
  EXPECT_EQ(text.status, 400) << text.body;
  const std::string photo = testing::RealPhoto("ppwp-page2-a.jpg");
  C1TALLY_NEED(!photo.empty(), "../shared/data");
  EXPECT_EQ(
      Fetch("POST", "/api/v1/submissions?tps_code=31010110", headers, photo)
          .status,
      400);
  EXPECT_EQ(Fetch("POST", "/api/v1/submissions?tps_code=3101011001099", headers,
                  photo)
                .status,
            404);
  // Above 25 MB: refused from the header, before the body is read; other
  // routes take at most 1 MB.
  EXPECT_EQ(
      HeadOnly("/api/v1/submissions?tps_code=3101011001003", headers, 30000000)
          .status,
      413);
  EXPECT_EQ(HeadOnly("/api/v1/reviewEntries", headers, 2 << 20).status, 413);

  HttpResult uploaded = Fetch(
      "POST", "/api/v1/submissions?tps_code=3101011001003", headers, photo);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  nlohmann::json submission = nlohmann::json::parse(uploaded.body);
  EXPECT_EQ(submission["state"], "STATE_RECEIVED");
  const std::string id =
      submission["name"].get<std::string>().substr(sizeof("submissions/") - 1);
  HttpResult mine = Fetch("GET", absl::StrCat("/api/v1/submissions/", id),
                          {{"Cookie", cookie}});
  EXPECT_EQ(mine.status, 200);
  // Not read yet (no OCR worker here): not public, and the TPS page does
  // not list it.
  EXPECT_EQ(Get(absl::StrCat("/foto/", id)).status, 404);
  EXPECT_THAT(Get("/tps/3101011001003").body, Not(HasSubstr(id)));
  EXPECT_EQ(Get("/foto/not-an-id").status, 404);
}

TEST_F(GatewayWebTest, PerIpLimitSparesTheSnapshot) {
  server_.reset();
  Gateway::Options options;
  options.per_ip = {.per_second = 0.01, .burst = 3};
  Start(options);
  // Time for the snapshot of the nation to be built.
  absl::SleepFor(absl::Milliseconds(500));
  int limited = 0;
  for (int i = 0; i < 6; ++i) {
    if (Get("/tps/3101011001003").status == 429) ++limited;
  }
  EXPECT_GE(limited, 2);
  // The nation's page is a lookup, and stays open to everyone.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Get("/").status, 200);
}

}  // namespace
}  // namespace c1tally
