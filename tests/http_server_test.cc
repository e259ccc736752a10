// HttpServer on a loopback port with a handler of the test's own: what the
// handler sees (method, path, decoded query, lower-case headers, body, the
// peer), keep-alive across requests on one connection, the body limits
// (413 before the handler runs), HEAD, and the addresses it refuses.
#include "services/gateway/http_server.h"

#include <atomic>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// A server whose handler records the last request and answers with its path.
class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServer::Options options = {}) {
    absl::StatusOr<std::unique_ptr<HttpServer>> server = HttpServer::Start(
        "127.0.0.1:0", std::move(options), [this](const HttpRequest& request) {
          handled_.fetch_add(1);
          absl::MutexLock lock(&mu_);
          last_ = request;
          HttpResponse response;
          response.content_type = "text/plain; charset=utf-8";
          response.headers.emplace_back("X-Seen-Path", request.path);
          response.body = absl::StrCat("path=", request.path);
          return response;
        });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_GT(server_->port(), 0);
  }

  HttpRequest Last() {
    absl::MutexLock lock(&mu_);
    return last_;
  }

  std::atomic<int> handled_{0};
  absl::Mutex mu_;
  HttpRequest last_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, HandsTheRequestOverDecoded) {
  StartServer();
  testing::HttpCall call;
  call.method = "POST";
  call.target = "/a%20b/c?q=Banda+Aceh&code=11%2F01&empty=&flag&&x=%zz";
  call.headers = {{"X-Mixed-Case", "Value"}};
  call.body = "the body";
  absl::StatusOr<testing::HttpResult> result =
      testing::HttpFetch(server_->port(), call);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "path=/a%20b/c");
  EXPECT_EQ(result->headers["x-seen-path"], "/a%20b/c");
  EXPECT_EQ(result->headers["content-type"], "text/plain; charset=utf-8");

  const HttpRequest seen = Last();
  EXPECT_EQ(seen.method, "POST");
  // The path stays as sent: routes decode what they take from it.
  EXPECT_EQ(seen.path, "/a%20b/c");
  // "+" is a space, "%2F" a slash; a broken escape stays as it was.
  EXPECT_THAT(seen.query,
              UnorderedElementsAre(Pair("q", "Banda Aceh"),
                                   Pair("code", "11/01"), Pair("empty", ""),
                                   Pair("flag", ""), Pair("x", "%zz")));
  EXPECT_EQ(seen.headers.at("x-mixed-case"), "Value");
  EXPECT_EQ(seen.body, "the body");
  EXPECT_EQ(seen.remote_ip, "127.0.0.1");
}

TEST_F(HttpServerTest, KeepsTheConnectionForTheNextRequest) {
  StartServer();
  boost::asio::io_context context;
  boost::asio::ip::tcp::socket socket(context);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(server_->port())});
  beast::flat_buffer buffer;
  for (const std::string target : {"/first", "/second", "/third"}) {
    http::request<http::string_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(socket, request);
    http::response<http::string_body> response;
    beast::error_code error;
    http::read(socket, buffer, response, error);
    ASSERT_FALSE(error) << target << ": " << error.message();
    EXPECT_EQ(response.body(), absl::StrCat("path=", target));
    EXPECT_TRUE(response.keep_alive()) << target;
  }
  EXPECT_EQ(handled_.load(), 3);

  // A client that asks to close gets "Connection: close" and then EOF.
  http::request<http::string_body> last(http::verb::get, "/last", 11);
  last.set(http::field::host, "127.0.0.1");
  last.keep_alive(false);
  http::write(socket, last);
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_FALSE(response.keep_alive());
  beast::error_code error;
  http::read(socket, buffer, response, error);
  EXPECT_EQ(error, http::error::end_of_stream);
}

TEST_F(HttpServerTest, RefusesBodiesOverTheLimitBeforeTheHandler) {
  HttpServer::Options options;
  options.body_limit = [](const std::string& method, const std::string& path) {
    return method == "POST" && path == "/upload" ? size_t{1000} : size_t{10};
  };
  StartServer(std::move(options));
  testing::HttpCall small{"POST", "/upload", {}, std::string(1000, 'x')};
  absl::StatusOr<testing::HttpResult> ok =
      testing::HttpFetch(server_->port(), small);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(Last().body.size(), 1000u);

  testing::HttpCall big{"POST", "/upload?x=1", {}, std::string(1001, 'x')};
  absl::StatusOr<testing::HttpResult> refused =
      testing::HttpFetch(server_->port(), big);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 413);
  EXPECT_THAT(refused->body, HasSubstr("request too large"));
  EXPECT_EQ(refused->headers["connection"], "close");

  testing::HttpCall elsewhere{"POST", "/other", {}, std::string(11, 'x')};
  absl::StatusOr<testing::HttpResult> other =
      testing::HttpFetch(server_->port(), elsewhere);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->status, 413);

  // A head claiming a huge body is refused from the head alone, without
  // waiting for (or reading) the body.
  absl::StatusOr<testing::HttpResult> claimed =
      testing::HttpRaw(server_->port(),
                       "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: "
                       "99999999999\r\n\r\n");
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->status, 413);
  // A chunked body is counted as it arrives.
  absl::StatusOr<testing::HttpResult> chunked = testing::HttpRaw(
      server_->port(),
      "POST /other HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.ok()) << chunked.status();
  EXPECT_EQ(chunked->status, 413);
  EXPECT_EQ(handled_.load(), 1);
}

TEST_F(HttpServerTest, DefaultLimitIsOneMebibyte) {
  StartServer();
  testing::HttpCall at_limit{
      "PUT", "/x", {}, std::string(HttpServer::kMaxBodyBytes, 'a')};
  absl::StatusOr<testing::HttpResult> ok =
      testing::HttpFetch(server_->port(), at_limit);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->status, 200);
  at_limit.body.push_back('a');
  absl::StatusOr<testing::HttpResult> refused =
      testing::HttpFetch(server_->port(), at_limit);
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 413);
}

TEST_F(HttpServerTest, HeadIsGetWithoutTheBody) {
  StartServer();
  boost::asio::io_context context;
  boost::asio::ip::tcp::socket socket(context);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(server_->port())});
  http::request<http::string_body> request(http::verb::head, "/page", 11);
  request.set(http::field::host, "127.0.0.1");
  http::write(socket, request);
  // A response to HEAD has no body, but says how long the GET's would be.
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(true);
  http::read(socket, buffer, parser);
  EXPECT_EQ(parser.get().result_int(), 200);
  EXPECT_EQ(parser.get().body(), "");
  EXPECT_EQ(parser.get()[http::field::content_length],
            std::to_string(std::string("path=/page").size()));
  EXPECT_EQ(Last().method, "GET");
  EXPECT_EQ(Last().path, "/page");
}

TEST_F(HttpServerTest, StopIsIdempotentAndClosesTheDoor) {
  StartServer();
  const int port = server_->port();
  server_->Stop();
  server_->Stop();
  EXPECT_FALSE(testing::HttpGet(port, "/").ok());
}

TEST(SplitHostPortTest, SplitsAndRefuses) {
  absl::StatusOr<std::pair<std::string, int>> v4 =
      SplitHostPort("127.0.0.1:8080");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(*v4, std::make_pair(std::string("127.0.0.1"), 8080));
  absl::StatusOr<std::pair<std::string, int>> v6 = SplitHostPort("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(*v6, std::make_pair(std::string("::1"), 0));
  absl::StatusOr<std::pair<std::string, int>> any = SplitHostPort(":9000");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->first, "0.0.0.0");
  for (const char* bad : {"", "localhost", "127.0.0.1:", "127.0.0.1:http",
                          "127.0.0.1:65536", "127.0.0.1:-1"}) {
    absl::StatusOr<std::pair<std::string, int>> split = SplitHostPort(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(split.status())) << bad;
  }
}

TEST(HttpServerStartTest, RefusesAddressesItCannotListenOn) {
  auto handler = [](const HttpRequest&) { return HttpResponse(); };
  EXPECT_TRUE(absl::IsInvalidArgument(
      HttpServer::Start("nohost:80", {}, handler).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      HttpServer::Start("127.0.0.1", {}, handler).status()));
  absl::StatusOr<std::unique_ptr<HttpServer>> first =
      HttpServer::Start("127.0.0.1:0", {}, handler);
  ASSERT_TRUE(first.ok()) << first.status();
  // The port is taken (SO_REUSEADDR does not allow two listeners).
  absl::StatusOr<std::unique_ptr<HttpServer>> second = HttpServer::Start(
      absl::StrCat("127.0.0.1:", (*first)->port()), {}, handler);
  EXPECT_TRUE(absl::IsUnavailable(second.status())) << second.status();
}

}  // namespace
}  // namespace c1tally
