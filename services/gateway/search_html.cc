// The search page (templates/search.tpl).
#include "services/gateway/public_html.h"
#include "services/gateway/public_html_parts.h"

namespace c1tally {

HttpResponse SearchHtml(const std::string& query,
                        const absl::StatusOr<std::vector<v1::Place>>& places) {
  HtmlPage page("search.tpl", "Cari");
  page.SetQuery(query);
  TemplateValues* body = page.body();
  body->SetValue("QUERY", query);
  if (!places.ok()) {
    body->AddSectionDictionary("REFUSED")->SetValue(
        "MESSAGE", std::string(places.status().message()));
  } else if (places->empty()) {
    body->ShowSection("NONE");
  } else {
    TemplateValues* list = body->AddSectionDictionary("MATCHES");
    for (const v1::Place& place : *places) {
      TemplateValues* match = list->AddSectionDictionary("MATCH");
      match->SetValue("HREF", PlaceHref(place.code()));
      match->SetValue("NAME", place.name());
      match->SetValue("LEVEL", LevelName(place.level()));
      if (!place.path().empty()) {
        match->AddSectionDictionary("HAS_PATH")->SetValue("PATH", place.path());
      }
    }
  }
  return page.Response();
}

}  // namespace c1tally
