#include "services/gateway/json_api.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/client_context.h"
#include "services/gateway/json_response.h"

namespace c1tally {
namespace {

constexpr char kRegionsPrefix[] = "/api/v1/regions";
constexpr char kTpsPrefix[] = "/api/v1/tps/";

}  // namespace

HttpResponse JsonApi::Handle(const HttpRequest& request) const {
  HttpResponse response;
  if (request.method != "GET") {
    response = ErrorResponse(405, "only GET is served here");
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
    response = ErrorResponse(404, absl::StrCat("no such path: ", request.path));
  }
  AnswerConditionally(request, &response);
  return response;
}

HttpResponse JsonApi::GetRegion(const std::string& code,
                                const HttpRequest& request) const {
  v1::GetRegionRequest get;
  get.set_code(code);
  get.set_form_kind(QueryParam(request, "form_kind"));
  v1::Region region;
  {
    grpc::ClientContext context;
    grpc::Status status = tally_->GetRegion(&context, get, &region);
    if (!status.ok()) return GrpcErrorResponse(status);
  }
  std::vector<std::string> children;
  std::string next_page_token;
  const bool lists_tps = region.level() == v1::REGION_LEVEL_KELURAHAN;
  grpc::ClientContext context;
  grpc::Status status;
  if (lists_tps) {
    v1::ListTpsRequest list;
    list.set_parent(region.code());
    list.set_page_size(PageSizeParam(request));
    list.set_page_token(QueryParam(request, "page_token"));
    v1::ListTpsResponse listed;
    status = tally_->ListTps(&context, list, &listed);
    for (const v1::Tps& tps : listed.tps())
      children.push_back(ProtoToJson(tps));
    next_page_token = listed.next_page_token();
  } else {
    v1::ListRegionsRequest list;
    list.set_parent(region.code());
    list.set_form_kind(get.form_kind());
    list.set_page_size(PageSizeParam(request));
    list.set_page_token(QueryParam(request, "page_token"));
    v1::ListRegionsResponse listed;
    status = tally_->ListRegions(&context, list, &listed);
    for (const v1::Region& child : listed.regions()) {
      children.push_back(ProtoToJson(child));
    }
    next_page_token = listed.next_page_token();
  }
  if (!status.ok()) return GrpcErrorResponse(status);
  return CacheableResponse(
      absl::StrCat(R"({"region":)", ProtoToJson(region), ",",
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
    if (!status.ok()) return GrpcErrorResponse(status);
  }
  v1::ListJournalEntriesRequest list;
  list.set_tps_code(code);
  list.set_page_size(100);
  v1::ListJournalEntriesResponse journal;
  grpc::ClientContext context;
  grpc::Status status = tally_->ListJournalEntries(&context, list, &journal);
  if (!status.ok()) return GrpcErrorResponse(status);
  std::vector<std::string> entries;
  for (const v1::JournalEntry& entry : journal.entries()) {
    entries.push_back(ProtoToJson(entry));
  }
  // Photos arrive with the ingest service; the key is there so that
  // clients can rely on it.
  return CacheableResponse(absl::StrCat(R"({"tps":)", ProtoToJson(tps),
                                        R"(,"photos":[],"journal":[)",
                                        absl::StrJoin(entries, ","), "]}"),
                           code.size());
}

}  // namespace c1tally
