// Building HTTP responses for the gateway's JSON (and HTML) routes: proto3
// JSON with stable key order, errors as {"error":{"code","message"}}, gRPC
// status mapping, ETag and Cache-Control, 304 for a matching If-None-Match,
// and query parameters.
#ifndef C1TALLY_SERVICES_GATEWAY_JSON_RESPONSE_H_
#define C1TALLY_SERVICES_GATEWAY_JSON_RESPONSE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "services/gateway/http_server.h"

namespace c1tally {

// The proto3 JSON form of `message` (proto field names, defaults printed)
// with its object keys sorted: protobuf iterates maps in an order that
// varies between instances, and the ETag must not.
std::string ProtoToJson(const google::protobuf::Message& message);

// `text` as a JSON string literal (invalid UTF-8 replaced).
std::string JsonString(absl::string_view text);

// An error response with `status` and the error object as body.
HttpResponse ErrorResponse(int status, absl::string_view message);
// The error response for a failed RPC (INVALID_ARGUMENT 400, NOT_FOUND 404,
// ...).
HttpResponse GrpcErrorResponse(const grpc::Status& status);
// The same for an absl::Status (same canonical codes).
HttpResponse StatusErrorResponse(const absl::Status& status);
// The HTTP status of a canonical error code.
int HttpStatusOf(absl::StatusCode code);

// A 200 response with an ETag (a hash of the body) and a Cache-Control
// max-age that grows with the depth of the code it is about.
HttpResponse CacheableResponse(std::string body, size_t code_width);
// Adds that ETag and Cache-Control to `response` (an HTML page, say).
void MakeCacheable(HttpResponse* response, size_t code_width);

// Turns `response` into a 304 without body when the request's
// If-None-Match equals its ETag.
void AnswerConditionally(const HttpRequest& request, HttpResponse* response);

// A query parameter, "" when absent; page_size as a number (0 if absent).
std::string QueryParam(const HttpRequest& request, const std::string& name);
int PageSizeParam(const HttpRequest& request);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_JSON_RESPONSE_H_
