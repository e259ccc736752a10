#include "services/gateway/json_api.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/gateway/json_response.h"
#include "services/gateway/public_html_parts.h"

namespace c1tally {
namespace {

template <typename Messages>
std::string JsonArray(const Messages& messages) {
  std::vector<std::string> items;
  for (const auto& message : messages) items.push_back(ProtoToJson(message));
  return absl::StrCat("[", absl::StrJoin(items, ","), "]");
}

nlohmann::json PhotoJson(const PublicPhoto& photo) {
  nlohmann::json fields = nlohmann::json::array();
  for (const PublicPhoto::Field& field : photo.fields) {
    fields.push_back(
        {{"name", field.name},
         {"value", field.value ? nlohmann::json(*field.value) : nullptr},
         {"vouched_by", field.settled_by},
         {"crop_url", field.has_crop
                          ? nlohmann::json(absl::StrCat("/foto/", photo.id, "/",
                                                        field.name, ".png"))
                          : nullptr}});
  }
  return {{"id", photo.id},
          {"url", absl::StrCat("/foto/", photo.id)},
          {"page", photo.page},
          {"form_kind", photo.form_kind},
          {"state", v1::Submission::State_Name(photo.state)},
          {"create_time_seconds", photo.create_time.seconds()},
          {"flags", photo.flags},
          {"fields", fields}};
}

nlohmann::json SirekapJson(const std::optional<SirekapNumbers>& sirekap) {
  if (!sirekap) return nullptr;
  return {{"sirekap_time", sirekap->sirekap_time},
          {"fetch_time_seconds", sirekap->fetch_time.seconds()},
          {"values", sirekap->values},
          {"image_urls", sirekap->image_urls}};
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string RegionViewJson(const RegionView& view) {
  const bool lists_tps = view.region.level() == v1::REGION_LEVEL_KELURAHAN;
  return absl::StrCat(
      R"({"region":)", ProtoToJson(view.region), R"(,"ancestors":)",
      JsonArray(view.ancestors), lists_tps ? R"(,"tps":)" : R"(,"children":)",
      lists_tps ? JsonArray(view.tps) : JsonArray(view.children),
      R"(,"next_page_token":)", JsonString(view.next_page_token), "}");
}

std::string TpsViewJson(const TpsView& view) {
  nlohmann::json photos = nlohmann::json::array();
  for (const PublicPhoto& photo : view.photos)
    photos.push_back(PhotoJson(photo));
  return absl::StrCat(R"({"tps":)", ProtoToJson(view.tps), R"(,"ancestors":)",
                      JsonArray(view.ancestors), R"(,"photos":)", Dump(photos),
                      R"(,"journal":)", JsonArray(view.journal),
                      R"(,"sirekap":)", Dump(SirekapJson(view.sirekap)), "}");
}

bool JsonApi::Serves(const std::string& path) {
  return path == kRegionsPrefix ||
         absl::StartsWith(path, absl::StrCat(kRegionsPrefix, "/")) ||
         absl::StartsWith(path, kTpsPrefix) || path == kSearchPath ||
         absl::StartsWith(path, kDapilPrefix);
}

HttpResponse JsonApi::Handle(const HttpRequest& request) const {
  HttpResponse response;
  if (request.method != "GET") {
    response = ErrorResponse(405, "only GET is served here");
  } else if (absl::StartsWith(request.path, kTpsPrefix)) {
    response = GetTps(request.path.substr(sizeof(kTpsPrefix) - 1));
  } else if (absl::StartsWith(request.path, kDapilPrefix)) {
    response = GetDapil(request.path.substr(sizeof(kDapilPrefix) - 1), request);
  } else if (request.path == kSearchPath) {
    // A search's answers change only with an import: no ETag needed.
    return Search(QueryParam(request, "q"));
  } else {
    std::string code = request.path.substr(sizeof(kRegionsPrefix) - 1);
    if (!code.empty()) code = code.substr(1);
    response = GetRegion(code, request);
  }
  AnswerConditionally(request, &response);
  return response;
}

HttpResponse JsonApi::GetRegion(const std::string& code,
                                const HttpRequest& request) const {
  absl::StatusOr<RegionView> view = results_->GetRegion(
      code, QueryParam(request, "form_kind"), PageSizeParam(request),
      QueryParam(request, "page_token"));
  if (!view.ok()) return StatusErrorResponse(view.status());
  return RegionJsonResponse(*view);
}

HttpResponse RegionJsonResponse(const RegionView& view) {
  return CacheableResponse(RegionViewJson(view), view.region.code().size());
}

HttpResponse JsonApi::GetTps(const std::string& code) const {
  absl::StatusOr<TpsView> view = results_->GetTps(code);
  if (!view.ok()) return StatusErrorResponse(view.status());
  return CacheableResponse(TpsViewJson(*view), code.size());
}

HttpResponse JsonApi::GetDapil(const std::string& rest,
                               const HttpRequest& request) const {
  const size_t slash = rest.find('/');
  if (slash == std::string::npos && !rest.empty()) {
    return ListDapil(rest, request);
  }
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size() ||
      rest.find('/', slash + 1) != std::string::npos) {
    return ErrorResponse(400,
                         "the path is /api/v1/dapil/{race} or "
                         "/api/v1/dapil/{race}/{kode_dapil}");
  }
  absl::StatusOr<v1::Dapil> dapil =
      results_->GetDapil(rest.substr(0, slash), rest.substr(slash + 1));
  if (!dapil.ok()) return StatusErrorResponse(dapil.status());
  // A dapil sums many kecamatan: cached as long as a kabupaten's page.
  return CacheableResponse(ProtoToJson(*dapil), 4);
}

HttpResponse JsonApi::ListDapil(const std::string& race,
                                const HttpRequest& request) const {
  absl::StatusOr<v1::ListDapilResponse> listed = results_->ListDapil(
      race, PageSizeParam(request), QueryParam(request, "page_token"));
  if (!listed.ok()) return StatusErrorResponse(listed.status());
  return CacheableResponse(ProtoToJson(*listed), 2);
}

HttpResponse JsonApi::Search(const std::string& query) const {
  absl::StatusOr<std::vector<v1::Place>> places = results_->Search(query);
  if (!places.ok()) return StatusErrorResponse(places.status());
  nlohmann::json found = nlohmann::json::array();
  for (const v1::Place& place : *places) {
    found.push_back({{"code", place.code()},
                     {"name", place.name()},
                     {"level", v1::RegionLevel_Name(place.level())},
                     {"path", place.path()},
                     {"url", PlaceHref(place.code())}});
  }
  HttpResponse response;
  response.body = Dump(nlohmann::json{{"results", found}});
  response.headers.emplace_back("Cache-Control", "public, max-age=300");
  return response;
}

}  // namespace c1tally
