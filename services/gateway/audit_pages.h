// AuditPages: the gateway's audit routes, answered through the audit
// service's protos:
//
//   GET /api/v1/audit/discrepancies?region=CODE
//       {"region": RegionDiscrepancy (the region's rollup),
//        "children": [RegionDiscrepancy, ...] (ranked),
//        "discrepancies": [TpsDiscrepancy, ...] (ranked, one page),
//        "next_page_token", "total_tps", "discrepant_tps"}
//   GET /audit?region=CODE
//       The same as a minimal server-rendered HTML page: child regions
//       (linked), then the TPS with each field's two values, our photos
//       and Sirekap's image links side by side (templates/audit.tpl,
//       which escapes every value); only http(s) links are made links.
//
// Query parameters: region ("" or "0" = nation), form_kind (default ppwp),
// page_size, page_token. The stub must outlive the pages.
#ifndef C1TALLY_SERVICES_GATEWAY_AUDIT_PAGES_H_
#define C1TALLY_SERVICES_GATEWAY_AUDIT_PAGES_H_

#include <string>

#include "c1tally/v1/audit.grpc.pb.h"
#include "services/gateway/http_server.h"

namespace c1tally {

class AuditPages {
 public:
  explicit AuditPages(v1::AuditService::StubInterface* audit) : audit_(audit) {}

  // True for the paths above.
  static bool Serves(const std::string& path);

  // Thread-safe.
  HttpResponse Handle(const HttpRequest& request) const;

  // Both listings of a request.
  struct Listing {
    v1::ListRegionDiscrepanciesResponse regions;
    v1::ListDiscrepanciesResponse tps;
  };

 private:
  grpc::Status Fetch(const HttpRequest& request, Listing* listing) const;

  v1::AuditService::StubInterface* audit_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_AUDIT_PAGES_H_
