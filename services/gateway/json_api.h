// JsonApi: the public HTTP JSON read API (no login), answered through the
// tally service's protos:
//
//   GET /api/v1/regions/{code}   region + aggregate + children's aggregates
//                                (code "" or "0" = nation; a kelurahan lists
//                                its TPS with their results instead)
//   GET /api/v1/tps/{code13}     the TPS, its results and flags, its journal
//
// Query parameters: form_kind (default ppwp), page_size, page_token.
// Messages use the proto3 JSON mapping with the proto field names (so
// int64 values are JSON strings and hashes base64). Responses carry an ETag
// and a Cache-Control max-age that grows with depth. The stub must outlive
// the JsonApi.
#ifndef C1TALLY_SERVICES_GATEWAY_JSON_API_H_
#define C1TALLY_SERVICES_GATEWAY_JSON_API_H_

#include "c1tally/v1/tally.grpc.pb.h"
#include "services/gateway/http_server.h"

namespace c1tally {

class JsonApi {
 public:
  explicit JsonApi(v1::TallyService::StubInterface* tally) : tally_(tally) {}

  // Thread-safe.
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  HttpResponse GetRegion(const std::string& code,
                         const HttpRequest& request) const;
  HttpResponse GetTps(const std::string& code) const;

  v1::TallyService::StubInterface* tally_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_JSON_API_H_
