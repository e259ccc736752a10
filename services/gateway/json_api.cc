#include "services/gateway/json_api.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "nlohmann/json.hpp"
#include "storage/sha256.h"

namespace c1tally {
namespace {

constexpr char kRegionsPrefix[] = "/api/v1/regions";
constexpr char kTpsPrefix[] = "/api/v1/tps/";

// The proto3 JSON form of `message` with its object keys sorted: protobuf
// iterates maps in an order that varies between instances, and the ETag
// must not.
std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(message, &json, options);
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded()) return "null";
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    default:
      return 500;
  }
}

std::string JsonString(absl::string_view text) {
  nlohmann::json value = std::string(text);
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse Error(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = absl::StrCat(R"({"error":{"code":)", status, R"(,"message":)",
                               JsonString(message), "}}");
  return response;
}

HttpResponse FromGrpc(const grpc::Status& status) {
  return Error(HttpStatusOf(status.error_code()), status.error_message());
}

// Upper levels change every second on election night; deep ones rarely.
int MaxAgeSeconds(size_t code_width) {
  if (code_width <= 2) return 5;
  if (code_width <= 6) return 15;
  return 60;
}

HttpResponse Ok(std::string body, size_t code_width) {
  HttpResponse response;
  response.body = std::move(body);
  response.headers.emplace_back(
      "ETag",
      absl::StrCat("\"", ToHex(Sha256(response.body)).substr(0, 32), "\""));
  response.headers.emplace_back(
      "Cache-Control",
      absl::StrCat("public, max-age=", MaxAgeSeconds(code_width)));
  return response;
}

int PageSize(const HttpRequest& request) {
  int size = 0;
  auto it = request.query.find("page_size");
  if (it != request.query.end()) absl::SimpleAtoi(it->second, &size);
  return size;
}

std::string Query(const HttpRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? "" : it->second;
}

}  // namespace

HttpResponse JsonApi::Handle(const HttpRequest& request) const {
  HttpResponse response;
  if (request.method != "GET") {
    response = Error(405, "only GET is served here");
  } else if (request.path == kRegionsPrefix ||
             absl::StartsWith(request.path,
                              absl::StrCat(kRegionsPrefix, "/"))) {
    std::string code = request.path.substr(sizeof(kRegionsPrefix) - 1);
    if (!code.empty()) code = code.substr(1);
    response = GetRegion(code, request);
  } else if (absl::StartsWith(request.path, kTpsPrefix)) {
    response = GetTps(request.path.substr(sizeof(kTpsPrefix) - 1));
  } else if (request.path == "/healthz") {
    response.body = R"({"status":"SERVING"})";
  } else {
    response = Error(404, absl::StrCat("no such path: ", request.path));
  }
  // A client that already has these bytes gets 304 and no body.
  auto etag = std::find_if(response.headers.begin(), response.headers.end(),
                           [](const auto& h) { return h.first == "ETag"; });
  auto if_none_match = request.headers.find("if-none-match");
  if (etag != response.headers.end() &&
      if_none_match != request.headers.end() &&
      if_none_match->second == etag->second) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

HttpResponse JsonApi::GetRegion(const std::string& code,
                                const HttpRequest& request) const {
  v1::GetRegionRequest get;
  get.set_code(code);
  get.set_form_kind(Query(request, "form_kind"));
  v1::Region region;
  {
    grpc::ClientContext context;
    grpc::Status status = tally_->GetRegion(&context, get, &region);
    if (!status.ok()) return FromGrpc(status);
  }
  std::vector<std::string> children;
  std::string next_page_token;
  const bool lists_tps = region.level() == v1::REGION_LEVEL_KELURAHAN;
  grpc::ClientContext context;
  grpc::Status status;
  if (lists_tps) {
    v1::ListTpsRequest list;
    list.set_parent(region.code());
    list.set_page_size(PageSize(request));
    list.set_page_token(Query(request, "page_token"));
    v1::ListTpsResponse listed;
    status = tally_->ListTps(&context, list, &listed);
    for (const v1::Tps& tps : listed.tps()) children.push_back(ToJson(tps));
    next_page_token = listed.next_page_token();
  } else {
    v1::ListRegionsRequest list;
    list.set_parent(region.code());
    list.set_form_kind(get.form_kind());
    list.set_page_size(PageSize(request));
    list.set_page_token(Query(request, "page_token"));
    v1::ListRegionsResponse listed;
    status = tally_->ListRegions(&context, list, &listed);
    for (const v1::Region& child : listed.regions()) {
      children.push_back(ToJson(child));
    }
    next_page_token = listed.next_page_token();
  }
  if (!status.ok()) return FromGrpc(status);
  return Ok(
      absl::StrCat(R"({"region":)", ToJson(region), ",",
                   lists_tps ? R"("tps":[)" : R"("children":[)",
                   absl::StrJoin(children, ","), R"(],"next_page_token":)",
                   JsonString(next_page_token), "}"),
      region.code().size());
}

HttpResponse JsonApi::GetTps(const std::string& code) const {
  v1::GetTpsRequest get;
  get.set_code(code);
  v1::Tps tps;
  {
    grpc::ClientContext context;
    grpc::Status status = tally_->GetTps(&context, get, &tps);
    if (!status.ok()) return FromGrpc(status);
  }
  v1::ListJournalEntriesRequest list;
  list.set_tps_code(code);
  list.set_page_size(100);
  v1::ListJournalEntriesResponse journal;
  grpc::ClientContext context;
  grpc::Status status = tally_->ListJournalEntries(&context, list, &journal);
  if (!status.ok()) return FromGrpc(status);
  std::vector<std::string> entries;
  for (const v1::JournalEntry& entry : journal.entries()) {
    entries.push_back(ToJson(entry));
  }
  // Photos arrive with the ingest service; the key is there so that
  // clients can rely on it.
  return Ok(
      absl::StrCat(R"({"tps":)", ToJson(tps), R"(,"photos":[],"journal":[)",
                   absl::StrJoin(entries, ","), "]}"),
      code.size());
}

}  // namespace c1tally
