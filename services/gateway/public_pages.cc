#include "services/gateway/public_pages.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/gateway/html_page.h"
#include "services/gateway/json_response.h"
#include "services/gateway/public_html.h"
#include "services/gateway/public_html_parts.h"

namespace c1tally {
namespace {

constexpr char kRegionPrefix[] = "/wilayah/";
constexpr char kTpsPrefix[] = "/tps/";
constexpr char kPhotoPrefix[] = "/foto/";
constexpr char kDapilPrefix[] = "/dapil/";
constexpr char kSearchPath[] = "/cari";

HttpResponse ErrorPage(const absl::Status& status) {
  const int code = HttpStatusOf(status.code());
  return MessagePage(code == 404 ? "Tidak ditemukan" : "Galat",
                     std::string(status.message()), code);
}

}  // namespace

bool PublicPages::Serves(const std::string& path) {
  return path == "/" || absl::StartsWith(path, kRegionPrefix) ||
         absl::StartsWith(path, kTpsPrefix) ||
         absl::StartsWith(path, kPhotoPrefix) ||
         absl::StartsWith(path, kDapilPrefix) || path == kSearchPath;
}

HttpResponse PublicPages::Handle(const HttpRequest& request) const {
  if (request.method != "GET") {
    return ErrorResponse(405, "only GET is served here");
  }
  HttpResponse response;
  if (request.path == "/") {
    response = RegionPage("", request);
  } else if (absl::StartsWith(request.path, kRegionPrefix)) {
    response =
        RegionPage(request.path.substr(sizeof(kRegionPrefix) - 1), request);
  } else if (absl::StartsWith(request.path, kTpsPrefix)) {
    response = TpsPage(request.path.substr(sizeof(kTpsPrefix) - 1), request);
  } else if (absl::StartsWith(request.path, kDapilPrefix)) {
    response =
        DapilPage(request.path.substr(sizeof(kDapilPrefix) - 1), request);
  } else if (absl::StartsWith(request.path, kPhotoPrefix)) {
    response = Photo(request.path.substr(sizeof(kPhotoPrefix) - 1));
  } else {
    return SearchPage(request);
  }
  AnswerConditionally(request, &response);
  return response;
}

HttpResponse PublicPages::RegionPage(const std::string& code,
                                     const HttpRequest& request) const {
  absl::StatusOr<RegionView> view = results_->GetRegion(
      code, QueryParam(request, "form_kind"), PageSizeParam(request),
      QueryParam(request, "page_token"));
  if (!view.ok()) return ErrorPage(view.status());
  return RegionHtmlResponse(*view);
}

HttpResponse RegionHtmlResponse(const RegionView& view) {
  HttpResponse response = RegionHtml(view);
  MakeCacheable(&response, view.region.code().size());
  return response;
}

HttpResponse PublicPages::TpsPage(const std::string& code,
                                  const HttpRequest& request) const {
  absl::StatusOr<TpsView> view =
      results_->GetTps(code, QueryParam(request, "form_kind"));
  if (!view.ok()) return ErrorPage(view.status());
  HttpResponse response = TpsHtml(*view);
  MakeCacheable(&response, code.size());
  return response;
}

HttpResponse PublicPages::DapilPage(const std::string& rest,
                                    const HttpRequest& request) const {
  // "{race}" lists the race's dapil, "{race}/{kode}" is one of them.
  const size_t slash = rest.find('/');
  const std::string race = rest.substr(0, slash);
  absl::StatusOr<v1::FormKind> kind = results_->GetFormKind(race);
  if (race.empty() || !kind.ok()) {
    return ErrorPage(race.empty() ? absl::InvalidArgumentError(
                                        "halaman dapil: /dapil/{race}/{kode}")
                                  : kind.status());
  }
  if (slash == std::string::npos) {
    absl::StatusOr<v1::ListDapilResponse> listed = results_->ListDapil(
        race, PageSizeParam(request), QueryParam(request, "page_token"));
    if (!listed.ok()) return ErrorPage(listed.status());
    HttpResponse response = DapilListHtml(race, *kind, *listed);
    MakeCacheable(&response, 2);
    return response;
  }
  const std::string code = rest.substr(slash + 1);
  absl::StatusOr<DapilSort> sort = ParseDapilSort(QueryParam(request, "sort"));
  if (!sort.ok()) return ErrorPage(sort.status());
  if (code.empty() || code.find('/') != std::string::npos) {
    return ErrorPage(
        absl::NotFoundError(absl::StrCat("tidak ada dapil \"", code, "\"")));
  }
  absl::StatusOr<v1::Dapil> dapil = results_->GetDapil(race, code);
  if (!dapil.ok()) return ErrorPage(dapil.status());
  HttpResponse response = DapilHtml(*dapil, *kind, *sort);
  // A dapil sums many kecamatan: cached as long as a kabupaten's page.
  MakeCacheable(&response, 4);
  return response;
}

HttpResponse PublicPages::Photo(const std::string& rest) const {
  // "{id}" or "{id}/{field}.png"
  const size_t slash = rest.find('/');
  absl::StatusOr<PublicResults::Image> image =
      slash == std::string::npos
          ? results_->GetPhoto(rest)
          : results_->GetFieldCrop(
                rest.substr(0, slash),
                std::string(absl::StripSuffix(rest.substr(slash + 1), ".png")));
  if (!image.ok()) return StatusErrorResponse(image.status());
  HttpResponse response;
  response.content_type = absl::StrCat("image/", image->format);
  response.body = std::move(image->bytes);
  // A photo's id is the hash of its bytes, so it never changes; but people
  // may yet find it is no form at all and withdraw it: an hour, no more.
  response.headers.emplace_back("Cache-Control", "public, max-age=3600");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'");
  return response;
}

HttpResponse PublicPages::SearchPage(const HttpRequest& request) const {
  const std::string query = QueryParam(request, "q");
  absl::StatusOr<std::vector<v1::Place>> places = results_->Search(query);
  // An exact code goes straight to its page.
  if (places.ok() && places->size() == 1 &&
      (*places)[0].code() == absl::StripAsciiWhitespace(query)) {
    HttpResponse redirect;
    redirect.status = 302;
    redirect.content_type = "text/plain; charset=utf-8";
    redirect.headers.emplace_back("Location", PlaceHref((*places)[0].code()));
    return redirect;
  }
  return SearchHtml(query, places);
}

}  // namespace c1tally
