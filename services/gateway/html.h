// Building the gateway's HTML pages: escaping, the page frame every page
// shares (header with the search box, navigation, footer, stylesheet and
// script), and the number, percentage and time formats of Bahasa Indonesia.
//
// Every string that comes from a user, an import or the database goes
// through HtmlEscape before it reaches a page; the builders here take
// escaped HTML where their parameter says `html` and plain text otherwise.
#ifndef C1TALLY_SERVICES_GATEWAY_HTML_H_
#define C1TALLY_SERVICES_GATEWAY_HTML_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/gateway/http_server.h"

namespace c1tally {

// `text` with & < > " ' replaced by entities: safe in element content and in
// quoted attribute values.
std::string HtmlEscape(absl::string_view text);

// Thousands separated by dots, as written in Indonesia: 1234567 -> 1.234.567.
std::string FormatCount(int64_t value);
// A share with two decimals and a decimal comma: 0.48234 -> "48,23%".
std::string FormatPercent(double share);
// "27 Nov 2026 04:55 WIB" (Jakarta time, UTC+7); "–" for an unset time.
std::string FormatTime(const google::protobuf::Timestamp& time);

// A complete HTML document (lang="id", viewport for phones): `title` (plain
// text, escaped here) and `body_html` (the page's main content, HTML) in the
// frame every page shares. `scripts` are files under /static/ the page loads
// (deferred, in order); `query` is shown in the header's search box.
std::string RenderPage(absl::string_view title, absl::string_view body_html,
                       const std::vector<std::string>& scripts = {},
                       absl::string_view query = "");

// A text/html response with the headers every page carries: a Content
// Security Policy that allows only this site's own scripts, styles and
// images (plus data: images for crops), no framing, no sniffing.
HttpResponse HtmlResponse(std::string html, int status = 200);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_HTML_H_
