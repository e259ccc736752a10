#include "services/gateway/audit_pages.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/client_context.h"
#include "services/gateway/html_page.h"
#include "services/gateway/json_response.h"

namespace c1tally {
namespace {

constexpr char kJsonPath[] = "/api/v1/audit/discrepancies";
constexpr char kHtmlPath[] = "/audit";

std::string Region(const std::string& code) {
  return code.empty() ? "nasional" : code;
}

std::string KindText(v1::FieldDiscrepancy::Kind kind) {
  switch (kind) {
    case v1::FieldDiscrepancy::KIND_DIFFERS:
      return "berbeda";
    case v1::FieldDiscrepancy::KIND_ONLY_OURS:
      return "hanya kami";
    case v1::FieldDiscrepancy::KIND_ONLY_SIREKAP:
      return "hanya Sirekap";
    default:
      return "?";
  }
}

std::string Value(bool present, int64_t value) {
  return present ? absl::StrCat(value) : "–";
}

void AddRegionRow(const v1::RegionDiscrepancy& region, bool link,
                  const std::string& form_kind, TemplateValues* values) {
  TemplateValues* row = values->AddSectionDictionary("ROW");
  if (link) {
    TemplateValues* linked = row->AddSectionDictionary("LINKED");
    linked->SetValue("HREF", absl::StrCat("/audit?region=", region.code(),
                                          "&form_kind=", form_kind));
    linked->SetValue("NAME", Region(region.code()));
  } else {
    row->AddSectionDictionary("UNLINKED")
        ->SetValue("NAME", Region(region.code()));
  }
  row->SetIntValue("COMPARED", region.tps_compared());
  row->SetIntValue("DIFFERING", region.tps_differing());
  row->SetIntValue("ONLY_OURS", region.tps_only_ours());
  row->SetIntValue("ONLY_SIREKAP", region.tps_only_sirekap());
  for (const char* field :
       {"suara_paslon_1", "suara_paslon_2", "suara_paslon_3"}) {
    auto it = region.net_difference().find(field);
    row->AddSectionDictionary("NET")->SetValue(
        "VALUE", it == region.net_difference().end()
                     ? "–"
                     : absl::StrCat(it->second > 0 ? "+" : "", it->second));
  }
  row->SetValue("SIZE", absl::StrCat(region.size()));
}

void AddTpsRow(const v1::TpsDiscrepancy& tps, TemplateValues* values) {
  TemplateValues* row = values->AddSectionDictionary("TPS");
  row->SetValue("CODE", tps.tps_code());
  row->SetValue("SIZE", absl::StrCat(tps.size()));
  for (const v1::FieldDiscrepancy& field : tps.fields()) {
    row->AddSectionDictionary("FIELD")->SetValue(
        "TEXT",
        absl::StrCat(field.field(), ": ", Value(field.has_ours(), field.ours()),
                     " / ", Value(field.has_sirekap(), field.sirekap()), " (",
                     KindText(field.kind()), ")"));
  }
  // The TPS's own result lists the submissions it came from.
  row->SetValue("OURS_HREF", absl::StrCat("/api/v1/tps/", tps.tps_code()));
  for (const std::string& id : tps.submission_ids()) {
    row->AddSectionDictionary("SUBMISSION")->SetValue("ID", id);
  }
  int number = 0;
  bool any = false;
  for (const std::string& url : tps.sirekap_image_urls()) {
    ++number;
    if (url.empty()) continue;  // a slot Sirekap left null
    any = true;
    TemplateValues* image = row->AddSectionDictionary("IMAGE");
    // Only web links become links; anything else is shown as text.
    const bool linkable =
        absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://");
    TemplateValues* shown =
        image->AddSectionDictionary(linkable ? "LINKED" : "UNLINKED");
    shown->SetValue("URL", url);
    shown->SetIntValue("NUMBER", number);
  }
  if (!any) row->ShowSection("NO_IMAGE");
  row->SetValue("SIREKAP_TIME", tps.sirekap_time());
}

HttpResponse AuditHtml(const AuditPages::Listing& listing,
                       const std::string& form_kind) {
  const v1::RegionDiscrepancy& total = listing.regions.total();
  HtmlPage page("audit.tpl",
                absl::StrCat("Audit Sirekap: ", Region(total.code())));
  TemplateValues* body = page.body();
  body->SetValue("REGION", Region(total.code()));
  body->SetIntValue("TOTAL_TPS", listing.tps.total_tps());
  body->SetIntValue("DISCREPANT_TPS", listing.tps.discrepant_tps());
  AddRegionRow(total, false, form_kind, body);
  for (const auto& child : listing.regions.children()) {
    AddRegionRow(child, child.code().size() < 13, form_kind, body);
  }
  for (const auto& item : listing.tps.discrepancies()) AddTpsRow(item, body);
  if (!listing.tps.next_page_token().empty()) {
    body->AddSectionDictionary("NEXT_PAGE")
        ->SetValue("HREF",
                   absl::StrCat("/audit?region=", total.code(),
                                "&form_kind=", form_kind,
                                "&page_token=", listing.tps.next_page_token()));
  }
  return page.Response();
}

}  // namespace

bool AuditPages::Serves(const std::string& path) {
  return path == kJsonPath || path == kHtmlPath;
}

grpc::Status AuditPages::Fetch(const HttpRequest& request,
                               Listing* listing) const {
  const std::string region = QueryParam(request, "region");
  const std::string form_kind = QueryParam(request, "form_kind");
  v1::ListRegionDiscrepanciesRequest regions;
  regions.set_region(region);
  regions.set_form_kind(form_kind);
  grpc::ClientContext regions_context;
  grpc::Status status = audit_->ListRegionDiscrepancies(
      &regions_context, regions, &listing->regions);
  if (status.ok()) {
    v1::ListDiscrepanciesRequest tps;
    tps.set_region(region);
    tps.set_form_kind(form_kind);
    tps.set_page_size(PageSizeParam(request));
    tps.set_page_token(QueryParam(request, "page_token"));
    grpc::ClientContext tps_context;
    status = audit_->ListDiscrepancies(&tps_context, tps, &listing->tps);
  }
  return status;
}

HttpResponse AuditPages::Handle(const HttpRequest& request) const {
  HttpResponse response;
  if (request.method != "GET") {
    response = ErrorResponse(405, "only GET is served here");
    return response;
  }
  Listing listing;
  if (grpc::Status status = Fetch(request, &listing); !status.ok()) {
    response = GrpcErrorResponse(status);
    if (request.path == kHtmlPath) {
      // A browser gets the reason as a page, escaped like everything else.
      response =
          MessagePage("Audit Sirekap", status.error_message(), response.status);
    }
    return response;
  }
  const v1::RegionDiscrepancy& total = listing.regions.total();
  if (request.path == kJsonPath) {
    std::vector<std::string> children, tps;
    for (const auto& child : listing.regions.children()) {
      children.push_back(ProtoToJson(child));
    }
    for (const auto& item : listing.tps.discrepancies()) {
      tps.push_back(ProtoToJson(item));
    }
    response = CacheableResponse(
        absl::StrCat(R"({"region":)", ProtoToJson(total), R"(,"children":[)",
                     absl::StrJoin(children, ","), R"(],"discrepancies":[)",
                     absl::StrJoin(tps, ","), R"(],"next_page_token":)",
                     JsonString(listing.tps.next_page_token()),
                     R"(,"total_tps":)", listing.tps.total_tps(),
                     R"(,"discrepant_tps":)", listing.tps.discrepant_tps(),
                     "}"),
        total.code().size());
  } else {
    const std::string form_kind = QueryParam(request, "form_kind").empty()
                                      ? "ppwp"
                                      : QueryParam(request, "form_kind");
    response = AuditHtml(listing, form_kind);
    MakeCacheable(&response, total.code().size());
  }
  AnswerConditionally(request, &response);
  return response;
}

}  // namespace c1tally
