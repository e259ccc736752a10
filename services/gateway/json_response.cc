#include "services/gateway/json_response.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "storage/sha256.h"

namespace c1tally {
namespace {

// Upper levels change every second on election night; deep ones rarely.
int MaxAgeSeconds(size_t code_width) {
  if (code_width <= 2) return 5;
  if (code_width <= 6) return 15;
  return 60;
}

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string ProtoToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(message, &json, options);
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded()) return "null";
  return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JsonString(absl::string_view text) {
  nlohmann::json value = std::string(text);
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse ErrorResponse(int status, absl::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = absl::StrCat(R"({"error":{"code":)", status, R"(,"message":)",
                               JsonString(message), "}}");
  return response;
}

HttpResponse GrpcErrorResponse(const grpc::Status& status) {
  return ErrorResponse(
      HttpStatusOf(static_cast<absl::StatusCode>(status.error_code())),
      status.error_message());
}

HttpResponse StatusErrorResponse(const absl::Status& status) {
  return ErrorResponse(HttpStatusOf(status.code()), status.message());
}

HttpResponse CacheableResponse(std::string body, size_t code_width) {
  HttpResponse response;
  response.body = std::move(body);
  MakeCacheable(&response, code_width);
  return response;
}

void MakeCacheable(HttpResponse* response, size_t code_width) {
  response->headers.emplace_back(
      "ETag",
      absl::StrCat("\"", ToHex(Sha256(response->body)).substr(0, 32), "\""));
  response->headers.emplace_back(
      "Cache-Control",
      absl::StrCat("public, max-age=", MaxAgeSeconds(code_width)));
}

int PageSizeParam(const HttpRequest& request) {
  int size = 0;
  auto it = request.query.find("page_size");
  if (it != request.query.end()) absl::SimpleAtoi(it->second, &size);
  return size;
}

std::string QueryParam(const HttpRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? "" : it->second;
}

void AnswerConditionally(const HttpRequest& request, HttpResponse* response) {
  // A client that already has these bytes gets 304 and no body.
  auto etag = std::find_if(response->headers.begin(), response->headers.end(),
                           [](const auto& h) { return h.first == "ETag"; });
  auto if_none_match = request.headers.find("if-none-match");
  if (etag != response->headers.end() &&
      if_none_match != request.headers.end() &&
      if_none_match->second == etag->second) {
    response->status = 304;
    response->body.clear();
  }
}

}  // namespace c1tally
