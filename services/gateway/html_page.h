// HtmlPage: one HTML page of the gateway, written as a ctemplate template.
//
// The templates are the files of services/gateway/templates/, compiled into
// the binary. Each starts with {{%AUTOESCAPE context="HTML"}}: ctemplate
// escapes every variable for the place it stands in (element text, quoted
// attribute, URL; a URL with a scheme other than http(s) becomes "#"), so
// what comes from a user, an import or the database is escaped without
// anyone calling anything. No page is built by pasting strings together.
//
// page.tpl is the frame every page shares (header with the search box,
// navigation, footer, stylesheet and scripts); the page's own content is
// another template included as its BODY.
//
// Not thread-safe (one HtmlPage per request); rendering is (the template
// cache is ctemplate's own, filled once).
#ifndef C1TALLY_SERVICES_GATEWAY_HTML_PAGE_H_
#define C1TALLY_SERVICES_GATEWAY_HTML_PAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "ctemplate/template_dictionary.h"
#include "services/gateway/http_server.h"

namespace c1tally {

// A dictionary's values and sections; owned by its HtmlPage.
using TemplateValues = ctemplate::TemplateDictionary;

class HtmlPage {
 public:
  // A page titled `title` (plain text) whose content is the template
  // `body_template` ("region.tpl").
  HtmlPage(const std::string& body_template, const std::string& title);

  HtmlPage(const HtmlPage&) = delete;
  HtmlPage& operator=(const HtmlPage&) = delete;

  // The variables and sections of the body; lives as long as the page.
  TemplateValues* body() { return body_; }

  // A script under /static/ the page loads (deferred, in the order added).
  void AddScript(const std::string& file);
  // The text shown in the header's search box.
  void SetQuery(const std::string& query);

  // The whole document. INTERNAL for a template that is missing or does
  // not parse (a defect of the build, not of the request).
  absl::StatusOr<std::string> Render() const;

  // Render() as a response (HtmlResponse's headers); a failed render is a
  // plain 500.
  HttpResponse Response(int status = 200) const;

 private:
  ctemplate::TemplateDictionary page_;
  ctemplate::TemplateDictionary* body_;  // owned by page_
};

// Includes the template `file` at {{>MARKER}} of `values` and returns the
// included template's values (owned by `values`).
TemplateValues* IncludeTemplate(TemplateValues* values, const char* marker,
                                const std::string& file);

// A text/html response with the headers every page carries: a Content
// Security Policy that allows only this site's own scripts, styles and
// images (plus data: images for crops), no framing, no sniffing.
HttpResponse HtmlResponse(std::string html, int status = 200);

// A page that only says `message` under `heading`, e.g. for an error.
HttpResponse MessagePage(const std::string& heading, const std::string& message,
                         int status);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_HTML_PAGE_H_
