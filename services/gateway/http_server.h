// HttpServer: a small HTTP/1.1 server (Boost.Beast on Asio) that hands every
// request to one handler function. Keep-alive, a bounded request size and
// a pool of event-loop threads; no TLS (a reverse proxy terminates it).
#ifndef C1TALLY_SERVICES_GATEWAY_HTTP_SERVER_H_
#define C1TALLY_SERVICES_GATEWAY_HTTP_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace c1tally {

struct HttpRequest {
  std::string method;
  // Path without the query string, not yet percent-decoded.
  std::string path;
  // Query parameters, percent-decoded.
  std::map<std::string, std::string> query;
  // Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string body;
  // The peer's IP address as text ("127.0.0.1", "::1"): the client's, or a
  // reverse proxy's.
  std::string remote_ip;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class HttpServer {
 public:
  // Called on an event-loop thread for each request; must be thread-safe.
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Largest request body accepted by default; larger ones get 413.
  static constexpr size_t kMaxBodyBytes = 1 << 20;

  // The largest body accepted for a request, from its method and path
  // (without query): lets one route (photo uploads) take more than the
  // rest. Called on an event-loop thread; must be thread-safe.
  using BodyLimit =
      std::function<size_t(const std::string& method, const std::string& path)>;

  struct Options {
    int threads = 2;
    // Default: kMaxBodyBytes for every request.
    BodyLimit body_limit;
  };

  // Listens on `host_port` ("127.0.0.1:8080"; port 0 picks a free one) and
  // serves with `options.threads` event-loop threads until Stop().
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& host_port, Options options, Handler handler);

  // Stops accepting, closes connections and joins the threads. Idempotent.
  void Stop();
  ~HttpServer();

  // The port actually bound.
  int port() const { return port_; }

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// Splits "host:port" (IPv6 hosts in brackets). INVALID_ARGUMENT on a
// malformed address.
absl::StatusOr<std::pair<std::string, int>> SplitHostPort(
    const std::string& host_port);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_HTTP_SERVER_H_
