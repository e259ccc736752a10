#include "services/gateway/http_server.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <optional>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace c1tally {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Idle keep-alive connections are closed after this long.
constexpr auto kIdleTimeout = std::chrono::seconds(30);

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    int hi = 0, lo = 0;
    auto hex = [](char c, int* value) {
      if (c >= '0' && c <= '9') return *value = c - '0', true;
      if (c >= 'a' && c <= 'f') return *value = c - 'a' + 10, true;
      if (c >= 'A' && c <= 'F') return *value = c - 'A' + 10, true;
      return false;
    };
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1], &hi) &&
        hex(text[i + 2], &lo)) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

HttpRequest ToRequest(const http::request<http::string_body>& raw) {
  HttpRequest request;
  request.method = std::string(raw.method_string());
  const beast::string_view raw_target = raw.target();
  std::string_view target(raw_target.data(), raw_target.size());
  size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) {
    for (absl::string_view pair :
         absl::StrSplit(absl::string_view(target.data() + question + 1,
                                          target.size() - question - 1),
                        '&', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(pair, absl::MaxSplits('=', 1));
      request.query[PercentDecode(
          std::string_view(kv.first.data(), kv.first.size()))] =
          PercentDecode(std::string_view(kv.second.data(), kv.second.size()));
    }
  }
  for (const auto& field : raw) {
    request.headers[absl::AsciiStrToLower(absl::string_view(
        field.name_string().data(), field.name_string().size()))] =
        std::string(field.value().data(), field.value().size());
  }
  request.body = raw.body();
  return request;
}

// The path of a request target: up to the query string.
std::string PathOf(const http::request<http::string_body>& raw) {
  const beast::string_view target = raw.target();
  return std::string(target.substr(0, target.find('?')));
}

// Appends "name: value\r\n", without any CR or LF of theirs (a header
// cannot end early).
void AppendField(absl::string_view name, absl::string_view value,
                 std::string* out) {
  for (absl::string_view part : {name, absl::string_view(": "), value}) {
    if (part.find_first_of("\r\n") == absl::string_view::npos) {
      out->append(part.data(), part.size());
      continue;
    }
    for (char c : part) {
      if (c != '\r' && c != '\n') out->push_back(c);
    }
  }
  out->append("\r\n");
}

// The status line and header of `response` (whose body has `body_size`
// bytes), as Beast wrote them before: Server and Content-Type first, a
// handler's header of the same name (any case) replacing an earlier one,
// Connection as HTTP/`version` needs it for `keep_alive`, Content-Length
// always (also for HEAD and 304).
void SerializeHeader(const HttpResponse& response, size_t body_size,
                     bool keep_alive, unsigned version, std::string* out) {
  const auto status = static_cast<http::status>(response.status);
  const beast::string_view reason = http::obsolete_reason(status);
  absl::StrAppend(out, "HTTP/", version / 10, ".", version % 10, " ",
                  response.status, " ",
                  absl::string_view(reason.data(), reason.size()), "\r\n");
  absl::InlinedVector<std::pair<absl::string_view, absl::string_view>, 12>
      fields = {{"Server", "c1tallyd"},
                {"Content-Type", response.content_type}};
  for (const auto& [name, value] : response.headers) {
    // The framing is ours.
    if (absl::EqualsIgnoreCase(name, "Content-Length") ||
        absl::EqualsIgnoreCase(name, "Transfer-Encoding") ||
        absl::EqualsIgnoreCase(name, "Connection")) {
      continue;
    }
    auto same = std::find_if(fields.begin(), fields.end(), [&](const auto& f) {
      return absl::EqualsIgnoreCase(f.first, name);
    });
    if (same != fields.end()) fields.erase(same);
    fields.emplace_back(name, value);
  }
  for (const auto& [name, value] : fields) AppendField(name, value, out);
  if (version >= 11 && !keep_alive) AppendField("Connection", "close", out);
  if (version < 11 && keep_alive) AppendField("Connection", "keep-alive", out);
  absl::StrAppend(out, "Content-Length: ", body_size, "\r\n\r\n");
}

// One connection: read a request, answer it, repeat while kept alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServer::Handler* handler,
          const HttpServer::BodyLimit* body_limit)
      : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit) {
    beast::error_code error;
    // A response goes out in one write; nothing to wait for.
    stream_.socket().set_option(tcp::no_delay(true), error);
    tcp::endpoint peer = stream_.socket().remote_endpoint(error);
    if (!error) remote_ip_ = peer.address().to_string();
  }

  void Start() {
    asio::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  // The header first, so that the body's limit can depend on the route.
  void Read() {
    head_only_ = false;
    parser_.emplace();
    parser_->header_limit(16 << 10);
    // Beast checks a Content-Length against the limit as soon as the
    // header is in, before the route is known; OnHeader sets the route's.
    // (Not boost::none: Beast compares a length with it as less than any.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(kIdleTimeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code error, size_t) {
    if (error == http::error::end_of_stream) return Close();
    if (error) return Close();
    const http::request<http::string_body>& raw = parser_->get();
    const size_t limit =
        *body_limit_
            ? (*body_limit_)(std::string(raw.method_string()), PathOf(raw))
            : HttpServer::kMaxBodyBytes;
    if (parser_->content_length().value_or(0) > limit) {
      return OnRead(http::error::body_limit, 0);
    }
    // Most requests (GET) end with their header: answer at once.
    if (parser_->is_done()) return OnRead({}, 0);
    // For a body of unknown length (chunked), the parser counts.
    parser_->body_limit(limit);
    // A large upload may take longer than an idle connection may wait.
    stream_.expires_after(std::chrono::minutes(5));
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code error, size_t) {
    if (error == http::error::body_limit) {
      HttpResponse too_large;
      too_large.status = 413;
      too_large.body =
          R"({"error":{"code":413,"message":"request too large"}})";
      return Write(std::move(too_large), /*keep_alive=*/false, 11);
    }
    if (error) return Close();
    http::request<http::string_body> raw = parser_->release();
    HttpRequest request = ToRequest(raw);
    request.remote_ip = remote_ip_;
    head_only_ = raw.method() == http::verb::head;
    if (head_only_) request.method = "GET";
    Write((*handler_)(request), raw.keep_alive(), raw.version());
  }

  // Sends `response`: a header of our own and the body, in one gathered
  // write without copying the body.
  void Write(HttpResponse response, bool keep_alive, unsigned version) {
    body_ = std::move(response.body);
    header_.clear();
    SerializeHeader(response, body_.size(), keep_alive, version, &header_);
    const std::array<asio::const_buffer, 2> buffers = {
        asio::buffer(header_),
        head_only_ ? asio::const_buffer() : asio::buffer(body_)};
    asio::async_write(stream_, buffers,
                      [self = shared_from_this(), keep_alive](
                          beast::error_code error, size_t) {
                        if (error || !keep_alive) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  // The response being written; reused from one request to the next.
  std::string header_;
  std::string body_;
  const HttpServer::Handler* handler_;
  const HttpServer::BodyLimit* body_limit_;
  std::string remote_ip_;
  bool head_only_ = false;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(int threads) : context(threads), acceptor(context) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(context),
                          [this](beast::error_code error, tcp::socket socket) {
                            if (!acceptor.is_open()) return;
                            if (!error) {
                              std::make_shared<Session>(std::move(socket),
                                                        &handler, &body_limit)
                                  ->Start();
                            }
                            Accept();
                          });
  }

  asio::io_context context;
  tcp::acceptor acceptor;
  Handler handler;
  BodyLimit body_limit;
  std::vector<std::thread> threads;
  bool stopped = false;
};

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(
    const std::string& host_port) {
  size_t colon = host_port.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(host_port).substr(colon + 1),
                        &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", host_port, "\" is not HOST:PORT (e.g. 127.0.0.1:8080)"));
  }
  std::string host = host_port.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  return std::make_pair(host, port);
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const std::string& host_port, Options options, Handler handler) {
  absl::StatusOr<std::pair<std::string, int>> address =
      SplitHostPort(host_port);
  if (!address.ok()) return address.status();
  const int threads = std::max(1, options.threads);
  auto impl = std::make_unique<Impl>(threads);
  impl->handler = std::move(handler);
  impl->body_limit = std::move(options.body_limit);
  beast::error_code error;
  asio::ip::address ip = asio::ip::make_address(address->first, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "HTTP address \"", address->first, "\": ", error.message()));
  }
  tcp::endpoint endpoint(ip, static_cast<unsigned short>(address->second));
  impl->acceptor.open(endpoint.protocol(), error);
  if (!error)
    impl->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) impl->acceptor.bind(endpoint, error);
  if (!error)
    impl->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", host_port, ": ", error.message()));
  }
  const int port = impl->acceptor.local_endpoint().port();
  impl->Accept();
  for (int i = 0; i < threads; ++i) {
    Impl* raw = impl.get();
    impl->threads.emplace_back([raw] { raw->context.run(); });
  }
  auto server = std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
  server->port_ = port;
  return server;
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

void HttpServer::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->stopped = true;
  impl_->context.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  // With the threads gone nothing else touches the acceptor. (A close
  // posted to the loop before stop() may never run, and the port would
  // then take connections nobody answers until the server is destroyed.)
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

HttpServer::~HttpServer() { Stop(); }

}  // namespace c1tally
