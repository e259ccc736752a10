#include "services/gateway/html_page.h"

#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ctemplate/template.h"

namespace c1tally {

// services/gateway/templates/*, embedded by CMake (cmake/EmbedFiles.cmake).
extern const std::vector<std::pair<std::string, std::string>> kPageTemplates;

namespace {

// Fills ctemplate's cache with the embedded templates, once per process.
// Returns false when one of them does not parse.
bool TemplatesLoaded() {
  static std::once_flag once;
  static bool loaded = true;
  std::call_once(once, [] {
    for (const auto& [name, text] : kPageTemplates) {
      // Kept as written: the pages' whitespace is part of the markup.
      if (!ctemplate::StringToTemplateCache(name, text,
                                            ctemplate::DO_NOT_STRIP)) {
        loaded = false;
      }
    }
  });
  return loaded;
}

}  // namespace

HtmlPage::HtmlPage(const std::string& body_template, const std::string& title)
    : page_("page"), body_(IncludeTemplate(&page_, "BODY", body_template)) {
  page_.SetValue("TITLE", title);
}

void HtmlPage::AddScript(const std::string& file) {
  page_.AddSectionDictionary("SCRIPT")->SetValue("FILE", file);
}

void HtmlPage::SetQuery(const std::string& query) {
  page_.SetValue("QUERY", query);
}

absl::StatusOr<std::string> HtmlPage::Render() const {
  std::string html;
  if (!TemplatesLoaded() ||
      !ctemplate::ExpandTemplate("page.tpl", ctemplate::DO_NOT_STRIP, &page_,
                                 &html)) {
    return absl::InternalError(
        "a page template is missing or malformed (see "
        "services/gateway/templates)");
  }
  return html;
}

HttpResponse HtmlPage::Response(int status) const {
  absl::StatusOr<std::string> html = Render();
  if (!html.ok()) {
    HttpResponse response;
    response.status = 500;
    response.content_type = "text/plain; charset=utf-8";
    response.body = std::string(html.status().message());
    return response;
  }
  return HtmlResponse(*std::move(html), status);
}

TemplateValues* IncludeTemplate(TemplateValues* values, const char* marker,
                                const std::string& file) {
  TemplateValues* included = values->AddIncludeDictionary(marker);
  included->SetFilename(file);
  return included;
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

HttpResponse MessagePage(const std::string& heading, const std::string& message,
                         int status) {
  HtmlPage page("message.tpl", heading);
  page.body()->SetValue("HEADING", heading);
  page.body()->SetValue("MESSAGE", message);
  return page.Response(status);
}

}  // namespace c1tally
