#include "services/gateway/web_assets.h"

#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/sha256.h"

namespace c1tally {

extern const std::vector<std::pair<std::string, std::string>> kWebAssets;

namespace {

std::string ContentTypeOf(const std::string& name) {
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  if (absl::EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

std::optional<HttpResponse> StaticAsset(const std::string& name) {
  // Built once: the ETag of each file is its hash.
  static const auto* const kResponses = [] {
    auto* responses = new std::vector<std::pair<std::string, HttpResponse>>;
    for (const auto& [file, text] : kWebAssets) {
      HttpResponse response;
      response.content_type = ContentTypeOf(file);
      response.body = text;
      response.headers.emplace_back(
          "ETag", absl::StrCat("\"", ToHex(Sha256(text)).substr(0, 32), "\""));
      response.headers.emplace_back("Cache-Control", "public, max-age=300");
      response.headers.emplace_back("X-Content-Type-Options", "nosniff");
      responses->emplace_back(file, std::move(response));
    }
    return responses;
  }();
  for (const auto& [file, response] : *kResponses) {
    if (file == name) return response;
  }
  return std::nullopt;
}

}  // namespace c1tally
