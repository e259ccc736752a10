#include "services/gateway/audit_pages.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/client_context.h"
#include "services/gateway/html.h"
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

std::string Cell(const std::string& escaped) {
  return absl::StrCat("<td>", escaped, "</td>");
}

std::string RegionRow(const v1::RegionDiscrepancy& region, bool link,
                      const std::string& form_kind) {
  std::string name = HtmlEscape(Region(region.code()));
  if (link) {
    name = absl::StrCat("<a href=\"/audit?region=", HtmlEscape(region.code()),
                        "&amp;form_kind=", HtmlEscape(form_kind), "\">", name,
                        "</a>");
  }
  std::vector<std::string> net;
  for (const char* field :
       {"suara_paslon_1", "suara_paslon_2", "suara_paslon_3"}) {
    auto it = region.net_difference().find(field);
    net.push_back(it == region.net_difference().end()
                      ? "–"
                      : absl::StrCat(it->second > 0 ? "+" : "", it->second));
  }
  return absl::StrCat(
      "<tr>", Cell(name), Cell(absl::StrCat(region.tps_compared())),
      Cell(absl::StrCat(region.tps_differing())),
      Cell(absl::StrCat(region.tps_only_ours())),
      Cell(absl::StrCat(region.tps_only_sirekap())), Cell(net[0]), Cell(net[1]),
      Cell(net[2]), Cell(absl::StrCat(region.size())), "</tr>");
}

std::string Links(const google::protobuf::RepeatedPtrField<std::string>& urls) {
  std::vector<std::string> links;
  int number = 0;
  for (const std::string& url : urls) {
    ++number;
    if (url.empty()) continue;  // a slot Sirekap left null
    const bool linkable =
        absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://");
    links.push_back(linkable
                        ? absl::StrCat("<a href=\"", HtmlEscape(url),
                                       "\" rel=\"noopener noreferrer\">foto ",
                                       number, "</a>")
                        : HtmlEscape(url));
  }
  return links.empty() ? "–" : absl::StrJoin(links, "<br>");
}

std::string TpsRow(const v1::TpsDiscrepancy& tps) {
  std::vector<std::string> fields;
  for (const v1::FieldDiscrepancy& field : tps.fields()) {
    fields.push_back(absl::StrCat(HtmlEscape(field.field()), ": ",
                                  Value(field.has_ours(), field.ours()), " / ",
                                  Value(field.has_sirekap(), field.sirekap()),
                                  " (", KindText(field.kind()), ")"));
  }
  // Our photos arrive with the ingest service; until then the TPS's own
  // page lists the submissions its result came from.
  std::string ours =
      absl::StrCat("<a href=\"/api/v1/tps/", HtmlEscape(tps.tps_code()),
                   "\">hasil kami</a>");
  for (const std::string& id : tps.submission_ids()) {
    absl::StrAppend(&ours, "<br>", HtmlEscape(id));
  }
  return absl::StrCat("<tr>", Cell(HtmlEscape(tps.tps_code())),
                      Cell(absl::StrCat(tps.size())),
                      Cell(absl::StrJoin(fields, "<br>")), Cell(ours),
                      Cell(Links(tps.sirekap_image_urls())),
                      Cell(HtmlEscape(tps.sirekap_time())), "</tr>");
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
      response = HtmlResponse(
          RenderPage(
              "Audit Sirekap",
              absl::StrCat("<p>", HtmlEscape(status.error_message()), "</p>")),
          response.status);
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
    std::string html = absl::StrCat(
        "<h1>Hasil terverifikasi vs Sirekap: ",
        HtmlEscape(Region(total.code())), "</h1>\n<p>", listing.tps.total_tps(),
        " TPS di salah satu sumber; ", listing.tps.discrepant_tps(),
        " TPS berbeda. Selisih = Sirekap − kami.</p>\n<table><tr><th>wilayah"
        "</th><th>dibandingkan</th><th>berbeda</th><th>hanya kami</th><th>"
        "hanya Sirekap</th><th>selisih 01</th><th>selisih 02</th><th>"
        "selisih 03</th><th>ukuran</th></tr>\n",
        RegionRow(total, false, form_kind), "\n");
    for (const auto& child : listing.regions.children()) {
      absl::StrAppend(
          &html, RegionRow(child, child.code().size() < 13, form_kind), "\n");
    }
    absl::StrAppend(&html,
                    "</table>\n<h2>TPS</h2>\n<table><tr><th>TPS</th><th>"
                    "ukuran</th><th>kami / Sirekap</th><th>foto kami</th><th>"
                    "foto Sirekap</th><th>waktu Sirekap</th></tr>\n");
    for (const auto& item : listing.tps.discrepancies()) {
      absl::StrAppend(&html, TpsRow(item), "\n");
    }
    absl::StrAppend(&html, "</table>\n");
    if (!listing.tps.next_page_token().empty()) {
      absl::StrAppend(
          &html, "<p><a href=\"/audit?region=", HtmlEscape(total.code()),
          "&amp;form_kind=", HtmlEscape(form_kind),
          "&amp;page_token=", HtmlEscape(listing.tps.next_page_token()),
          "\">berikutnya</a></p>\n");
    }
    response = HtmlResponse(RenderPage(
        absl::StrCat("Audit Sirekap: ", Region(total.code())), html));
    MakeCacheable(&response, total.code().size());
  }
  AnswerConditionally(request, &response);
  return response;
}

}  // namespace c1tally
