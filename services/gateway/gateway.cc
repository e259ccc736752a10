#include "services/gateway/gateway.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "services/gateway/html_page.h"
#include "services/gateway/json_response.h"
#include "services/gateway/web_assets.h"

namespace c1tally {
namespace {

constexpr char kStaticPrefix[] = "/static/";

struct VolunteerPage {
  const char* path;
  const char* file;
  const char* title;
  const char* script;
};
constexpr VolunteerPage kVolunteerPages[] = {
    {"/unggah", "unggah.tpl", "Unggah foto formulir", "unggah.js"},
    {"/periksa", "periksa.tpl", "Periksa angka", "periksa.js"},
};

// The snapshot's key of a request: the region code and the format, when the
// request is for a region page without query parameters.
std::optional<std::pair<std::string, RegionSnapshot::Format>> SnapshotKey(
    const HttpRequest& request) {
  if (request.method != "GET" || !request.query.empty()) return std::nullopt;
  absl::string_view path = request.path;
  if (path == "/") return std::make_pair("", RegionSnapshot::Format::kHtml);
  if (absl::ConsumePrefix(&path, "/wilayah/")) {
    return std::make_pair(std::string(path), RegionSnapshot::Format::kHtml);
  }
  if (absl::ConsumePrefix(&path, JsonApi::kRegionsPrefix)) {
    absl::ConsumePrefix(&path, "/");
    if (path == "0") path = "";
    return std::make_pair(std::string(path), RegionSnapshot::Format::kJson);
  }
  return std::nullopt;
}

HttpResponse RenderRegion(const RegionView& view,
                          RegionSnapshot::Format format) {
  return format == RegionSnapshot::Format::kJson ? RegionJsonResponse(view)
                                                 : RegionHtmlResponse(view);
}

}  // namespace

Gateway::Gateway(Backends backends, Options options)
    : options_(std::move(options)),
      results_(backends.tally, backends.ingest, backends.audit),
      pages_(&results_),
      json_(&results_),
      audit_(backends.audit == nullptr
                 ? nullptr
                 : std::make_unique<AuditPages>(backends.audit)),
      volunteer_({.auth = backends.auth,
                  .review = backends.review,
                  .ingest = backends.ingest},
                 options_.volunteer),
      per_ip_(options_.per_ip),
      sign_in_per_ip_(options_.sign_in_per_ip),
      snapshot_(&results_, RenderRegion, options_.snapshot_interval) {}

Gateway::~Gateway() { Stop(); }

void Gateway::Start() { snapshot_.Start(); }

void Gateway::Stop() { snapshot_.Stop(); }

size_t Gateway::BodyLimit(const std::string& method, const std::string& path) {
  return VolunteerApi::BodyLimit(method, path);
}

std::string Gateway::ClientIp(const HttpRequest& request) const {
  if (!options_.trusted_proxy.empty() &&
      request.remote_ip == options_.trusted_proxy) {
    auto it = request.headers.find("x-forwarded-for");
    if (it != request.headers.end()) {
      // The proxy appends the address it saw last.
      std::vector<absl::string_view> hops = absl::StrSplit(it->second, ',');
      return std::string(absl::StripAsciiWhitespace(hops.back()));
    }
  }
  return request.remote_ip;
}

std::optional<HttpResponse> Gateway::FromSnapshot(
    const HttpRequest& request) const {
  auto key = SnapshotKey(request);
  if (!key) return std::nullopt;
  return snapshot_.Find(key->first, key->second);
}

HttpResponse Gateway::Handle(const HttpRequest& request) {
  std::optional<HttpResponse> response = FromSnapshot(request);
  if (!response) {
    const std::string ip = ClientIp(request);
    const bool sign_in =
        request.method == "POST" && request.path == "/api/v1/session";
    if (!per_ip_.Allow(ip) || (sign_in && !sign_in_per_ip_.Allow(ip))) {
      response = ErrorResponse(429,
                               "terlalu banyak permintaan; coba lagi "
                               "sebentar (too many requests)");
      response->headers.emplace_back("Retry-After", "5");
      return *response;
    }
    response = Route(request);
  }
  AnswerConditionally(request, &*response);
  return *std::move(response);
}

std::string Gateway::FormJson() const {
  nlohmann::json pages = nlohmann::json::object();
  for (const auto& [page, names] : options_.page_fields) {
    pages[std::to_string(page)] = names;
  }
  nlohmann::json labels = nlohmann::json::object();
  if (absl::StatusOr<v1::FormKind> kind = results_.GetFormKind(""); kind.ok()) {
    for (const v1::FormKind::Field& field : kind->fields()) {
      labels[field.name()] = field.label();
    }
  }
  return nlohmann::json{{"pages", pages}, {"labels", labels}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse Gateway::Route(const HttpRequest& request) {
  const std::string& path = request.path;
  if (absl::StartsWith(path, kStaticPrefix)) {
    std::optional<HttpResponse> asset =
        StaticAsset(path.substr(sizeof(kStaticPrefix) - 1));
    return asset ? *asset : ErrorResponse(404, "no such file");
  }
  for (const VolunteerPage& page : kVolunteerPages) {
    if (path != page.path) continue;
    HtmlPage html(page.file, page.title);
    html.AddScript("session.js");
    html.AddScript(page.script);
    IncludeTemplate(html.body(), "SIGNIN", "signin.tpl");
    html.body()->SetValue("FORM_JSON", FormJson());
    HttpResponse response = html.Response();
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
  }
  if (path == "/healthz") {
    HttpResponse response;
    response.body = R"({"status":"SERVING"})";
    return response;
  }
  if (VolunteerApi::Serves(path)) return volunteer_.Handle(request);
  if (audit_ != nullptr && AuditPages::Serves(path)) {
    return audit_->Handle(request);
  }
  if (JsonApi::Serves(path)) return json_.Handle(request);
  if (PublicPages::Serves(path)) return pages_.Handle(request);
  return ErrorResponse(404, absl::StrCat("no such path: ", path));
}

}  // namespace c1tally
