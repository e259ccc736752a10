// WebAssets: the files of services/gateway/web/, compiled into the binary:
// the stylesheet and scripts served under /static/. (The pages themselves
// are templates, see html_page.h.)
#ifndef C1TALLY_SERVICES_GATEWAY_WEB_ASSETS_H_
#define C1TALLY_SERVICES_GATEWAY_WEB_ASSETS_H_

#include <optional>
#include <string>

#include "services/gateway/http_server.h"

namespace c1tally {

// The response for "/static/{name}" (with ETag, 304 handled by the
// caller), or nullopt for an unknown name.
std::optional<HttpResponse> StaticAsset(const std::string& name);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_WEB_ASSETS_H_
