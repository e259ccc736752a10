// JsonApi: the public HTTP JSON read API (no login):
//
//   GET /api/v1/regions/{code}   region + aggregate + children's aggregates
//                                (code "" or "0" = nation; a kelurahan lists
//                                its TPS with their results instead), and
//                                the region's ancestors (names only)
//   GET /api/v1/tps/{code13}     the TPS, its results and flags, its public
//                                photos (with what was read and who vouched
//                                for it, never names), its journal, and
//                                Sirekap's numbers when imported
//   GET /api/v1/search?q=...     places by code or name: {"results": [{code,
//                                name, level, path, url}]}
//   GET /api/v1/dapil/{race}     the dapil of a legislative race in code
//                                order, each with its aggregate: {"dapil":
//                                [...], "next_page_token"} (paged)
//   GET /api/v1/dapil/{race}/{kode}  a dapil of a legislative race: its
//                                ballot (parties, candidates), the parties'
//                                names, its regions and its aggregate (sums
//                                per party-only, candidate and party total;
//                                tps_total the TPS the map puts in it)
//
// Query parameters: form_kind (default ppwp), page_size, page_token.
// Messages use the proto3 JSON mapping with the proto field names (so
// int64 values are JSON strings and hashes base64). Responses carry an ETag
// and a Cache-Control max-age that grows with depth. `results` must outlive
// the JsonApi.
#ifndef C1TALLY_SERVICES_GATEWAY_JSON_API_H_
#define C1TALLY_SERVICES_GATEWAY_JSON_API_H_

#include <string>

#include "services/gateway/http_server.h"
#include "services/gateway/public_results.h"

namespace c1tally {

class JsonApi {
 public:
  static constexpr char kRegionsPrefix[] = "/api/v1/regions";
  static constexpr char kTpsPrefix[] = "/api/v1/tps/";
  static constexpr char kSearchPath[] = "/api/v1/search";
  static constexpr char kDapilPrefix[] = "/api/v1/dapil/";

  explicit JsonApi(const PublicResults* results) : results_(results) {}

  // True for the paths above.
  static bool Serves(const std::string& path);

  // Thread-safe.
  HttpResponse Handle(const HttpRequest& request) const;

  HttpResponse Search(const std::string& query) const;
  HttpResponse GetRegion(const std::string& code,
                         const HttpRequest& request) const;
  HttpResponse GetTps(const std::string& code) const;
  // `rest` is "{race}/{kode}", or "{race}" for the list.
  HttpResponse GetDapil(const std::string& rest,
                        const HttpRequest& request) const;
  HttpResponse ListDapil(const std::string& race,
                         const HttpRequest& request) const;

 private:
  const PublicResults* results_;
};

// The JSON of the views, and the region's whole response (for the
// snapshot).
std::string RegionViewJson(const RegionView& view);
std::string TpsViewJson(const TpsView& view);
HttpResponse RegionJsonResponse(const RegionView& view);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_JSON_API_H_
