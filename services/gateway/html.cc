#include "services/gateway/html.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"

namespace c1tally {

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string FormatCount(int64_t value) {
  const bool negative = value < 0;
  std::string digits = absl::StrCat(negative ? -static_cast<uint64_t>(value)
                                             : static_cast<uint64_t>(value));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('.');
    out.push_back(digits[i]);
  }
  return negative ? absl::StrCat("-", out) : out;
}

std::string FormatPercent(double share) {
  if (!std::isfinite(share)) return "–";
  const int64_t hundredths = std::llround(share * 10000.0);
  return absl::StrCat(FormatCount(hundredths / 100), ",",
                      hundredths % 100 < 10 ? "0" : "", hundredths % 100, "%");
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "–";
  static const absl::TimeZone* const kJakarta =
      new absl::TimeZone(absl::FixedTimeZone(7 * 3600));
  return absl::StrCat(
      absl::FormatTime("%d %b %Y %H:%M", absl::FromUnixSeconds(time.seconds()),
                       *kJakarta),
      " WIB");
}

std::string RenderPage(absl::string_view title, absl::string_view body_html,
                       const std::vector<std::string>& script_files,
                       absl::string_view query) {
  std::string scripts;
  for (const std::string& script : script_files) {
    absl::StrAppend(&scripts, "<script defer src=\"/static/",
                    HtmlEscape(script), "\"></script>\n");
  }
  return absl::StrCat(
      "<!doctype html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      HtmlEscape(title),
      " · c1tally</title>\n"
      "<link rel=\"stylesheet\" href=\"/static/style.css\">\n",
      scripts,
      "</head><body>\n<header><a class=\"brand\" href=\"/\">c1tally</a>"
      "<form class=\"search\" action=\"/cari\" method=\"get\" role=\"search\">"
      "<input name=\"q\" type=\"search\" aria-label=\"Cari TPS atau wilayah\" "
      "placeholder=\"Kode TPS atau nama wilayah\" value=\"",
      HtmlEscape(query),
      "\"><button>Cari</button></form>"
      "<nav><a href=\"/unggah\">Unggah foto</a> <a href=\"/periksa\">"
      "Periksa angka</a> <a href=\"/audit\">Audit</a></nav></header>\n"
      "<main>\n",
      body_html,
      "\n</main>\n<footer>Angka hanya tampil bila dibaca mesin dengan yakin "
      "dan konsisten, atau diketik sama oleh dua relawan tanpa saling "
      "melihat.</footer>\n</body></html>\n");
}

HttpResponse HtmlResponse(std::string html, int status) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(html);
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; "
      "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
      "frame-ancestors 'none'; base-uri 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  return response;
}

}  // namespace c1tally
