// The region page (templates/region.tpl).
#include "absl/strings/str_cat.h"
#include "services/gateway/display_format.h"
#include "services/gateway/public_html.h"
#include "services/gateway/public_html_parts.h"

namespace c1tally {
namespace {

void AddCoverage(const v1::Aggregate& aggregate, TemplateValues* values) {
  TemplateValues* coverage =
      IncludeTemplate(values, "COVERAGE", "coverage.tpl");
  coverage->SetValue("WITH_RESULT", FormatCount(aggregate.tps_with_result()));
  coverage->SetValue("TOTAL", FormatCount(aggregate.tps_total()));
  coverage->SetValue("SHARE", FormatPercent(Share(aggregate.tps_with_result(),
                                                  aggregate.tps_total())));
  coverage->SetValue("FLAGGED", FormatCount(aggregate.tps_flagged()));
  coverage->SetValue(
      "WITHOUT_RESULT",
      FormatCount(aggregate.tps_total() - aggregate.tps_with_result()));
  coverage->SetValue("UPDATE_TIME", FormatTime(aggregate.update_time()));
}

void AddChildren(const RegionView& view, TemplateValues* values) {
  const auto candidates = CandidateFields(view.form_kind);
  TemplateValues* table = values->AddSectionDictionary("CHILDREN");
  table->SetValue("LEVEL", LevelName(static_cast<v1::RegionLevel>(
                               view.region.level() == v1::REGION_LEVEL_NATIONAL
                                   ? v1::REGION_LEVEL_PROVINCE
                                   : view.region.level() + 1)));
  AddCandidateHeads(view.form_kind, table);
  for (const v1::Region& child : view.children) {
    const v1::Aggregate& aggregate = child.aggregate();
    TemplateValues* row = table->AddSectionDictionary("CHILD");
    row->SetValue("NAME", child.name());
    row->SetValue("HREF", PlaceHref(child.code()));
    int64_t total = 0;
    for (const auto* field : candidates) {
      total += ValueOf(aggregate.sums(), field->name());
    }
    for (const auto* field : candidates) {
      const int64_t votes = ValueOf(aggregate.sums(), field->name());
      TemplateValues* vote = row->AddSectionDictionary("VOTE");
      vote->SetValue("VOTES_KEY", absl::StrCat(votes));
      vote->SetValue("VOTES", FormatCount(votes));
      vote->SetValue("PERCENT", FormatPercent(Share(votes, total)));
    }
    const double coverage =
        Share(aggregate.tps_with_result(), aggregate.tps_total());
    row->SetValue("COVERAGE_KEY",
                  absl::StrCat(static_cast<int64_t>(coverage * 1e6)));
    row->SetValue("WITH_RESULT", FormatCount(aggregate.tps_with_result()));
    row->SetValue("TOTAL", FormatCount(aggregate.tps_total()));
    row->SetValue("COVERAGE", FormatPercent(coverage));
    row->SetValue("FLAGGED_KEY", absl::StrCat(aggregate.tps_flagged()));
    row->SetValue("FLAGGED", FormatCount(aggregate.tps_flagged()));
  }
}

void AddTpsList(const RegionView& view, TemplateValues* values) {
  const auto candidates = CandidateFields(view.form_kind);
  TemplateValues* table = values->AddSectionDictionary("TPS_LIST");
  AddCandidateHeads(view.form_kind, table);
  for (const v1::Tps& tps : view.tps) {
    const v1::TpsResult* result = nullptr;
    for (const v1::TpsResult& r : tps.results()) {
      if (r.form_kind() == view.form_kind.name()) result = &r;
    }
    TemplateValues* row = table->AddSectionDictionary("TPS");
    row->SetValue("CODE", tps.code());
    row->SetValue("HREF", PlaceHref(tps.code()));
    row->SetValue("NAME", tps.name());
    for (const auto* field : candidates) {
      TemplateValues* vote = row->AddSectionDictionary("VOTE");
      if (result == nullptr) {
        vote->SetValue("VOTES_KEY", "-1");
        vote->SetValue("VOTES", "–");
      } else {
        const int64_t votes = ValueOf(result->values(), field->name());
        vote->SetValue("VOTES_KEY", absl::StrCat(votes));
        vote->SetValue("VOTES", FormatCount(votes));
      }
    }
    row->SetValue("STATUS",
                  result == nullptr ? "belum ada hasil"
                  : result->flags().empty()
                      ? "terverifikasi"
                      : absl::StrCat("ditandai: ", FlagText(result->flags(0))));
  }
}

}  // namespace

HttpResponse RegionHtml(const RegionView& view) {
  const v1::Region& region = view.region;
  HtmlPage page("region.tpl",
                region.code().empty() ? "Nasional" : region.name());
  page.AddScript("sort.js");
  TemplateValues* body = page.body();
  AddCrumbs(view.ancestors, body);
  body->SetValue("HEADING", region.code().empty()
                                ? "Hasil Pilpres 2024: Indonesia"
                                : absl::StrCat(LevelName(region.level()), " ",
                                               region.name()));
  body->SetValue("FORM_LABEL", view.form_kind.label());
  if (!region.code().empty()) {
    body->AddSectionDictionary("HAS_CODE")->SetValue("CODE", region.code());
  }
  AddVotes(view.form_kind, region.aggregate().sums(), body);
  AddCoverage(region.aggregate(), body);
  if (region.level() == v1::REGION_LEVEL_KELURAHAN) {
    AddTpsList(view, body);
  } else {
    AddChildren(view, body);
  }
  if (!view.next_page_token.empty()) {
    body->AddSectionDictionary("NEXT_PAGE")
        ->SetValue("HREF", absl::StrCat(PlaceHref(region.code()),
                                        "?page_token=", view.next_page_token));
  }
  return page.Response();
}

}  // namespace c1tally
