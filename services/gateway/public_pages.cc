#include "services/gateway/public_pages.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/gateway/html.h"
#include "services/gateway/json_response.h"
#include "storage/sha256.h"

namespace c1tally {
namespace {

constexpr char kRegionPrefix[] = "/wilayah/";
constexpr char kTpsPrefix[] = "/tps/";
constexpr char kPhotoPrefix[] = "/foto/";
constexpr char kSearchPath[] = "/cari";
constexpr char kSearchJsonPath[] = "/api/v1/search";

std::string LevelName(v1::RegionLevel level) {
  switch (level) {
    case v1::REGION_LEVEL_NATIONAL:
      return "Nasional";
    case v1::REGION_LEVEL_PROVINCE:
      return "Provinsi";
    case v1::REGION_LEVEL_KABUPATEN:
      return "Kabupaten/Kota";
    case v1::REGION_LEVEL_KECAMATAN:
      return "Kecamatan";
    case v1::REGION_LEVEL_KELURAHAN:
      return "Kelurahan/Desa";
    case v1::REGION_LEVEL_TPS:
      return "TPS";
    default:
      return "Wilayah";
  }
}

std::string RegionHref(const std::string& code) {
  return code.empty() ? "/" : absl::StrCat(kRegionPrefix, HtmlEscape(code));
}

std::string PlaceHref(const std::string& code) {
  return code.size() == 13 ? absl::StrCat(kTpsPrefix, HtmlEscape(code))
                           : RegionHref(code);
}

std::string Link(const std::string& href, const std::string& text) {
  return absl::StrCat("<a href=\"", href, "\">", HtmlEscape(text), "</a>");
}

// The candidate pairs' fields: the left side of the rule that sums them
// into suara_sah.
std::vector<const v1::FormKind::Field*> CandidateFields(
    const v1::FormKind& kind) {
  std::vector<const v1::FormKind::Field*> fields;
  for (const v1::FormKind::Rule& rule : kind.rules()) {
    if (rule.right_size() != 1 || rule.right(0) != "suara_sah") continue;
    for (const std::string& name : rule.left()) {
      for (const v1::FormKind::Field& field : kind.fields()) {
        if (field.name() == name) fields.push_back(&field);
      }
    }
  }
  return fields;
}

// "Suara paslon 01" -> "Paslon 01".
std::string CandidateLabel(const v1::FormKind::Field& field) {
  std::string label(absl::StripPrefix(field.label(), "Suara "));
  if (!label.empty()) label[0] = absl::ascii_toupper(label[0]);
  return label;
}

std::string FieldLabel(const v1::FormKind& kind, const std::string& name) {
  for (const v1::FormKind::Field& field : kind.fields()) {
    if (field.name() == name) return field.label();
  }
  return name;
}

int64_t SumOf(const google::protobuf::Map<std::string, int64_t>& values,
              const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? 0 : it->second;
}

double Share(int64_t part, int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / whole : 0.0;
}

std::string Breadcrumbs(const std::vector<v1::Region>& ancestors) {
  std::vector<std::string> links;
  for (const v1::Region& region : ancestors) {
    links.push_back(Link(RegionHref(region.code()), region.name()));
  }
  return absl::StrCat("<nav class=\"crumbs\" aria-label=\"Jalur wilayah\">",
                      absl::StrJoin(links, " › "), "</nav>\n");
}

// Votes per candidate pair with shares and a bar chart (SVG: attributes,
// not inline styles, which the page's CSP forbids).
std::string VotesSummary(
    const v1::FormKind& kind,
    const google::protobuf::Map<std::string, int64_t>& sums) {
  const auto candidates = CandidateFields(kind);
  int64_t total = 0;
  for (const auto* field : candidates) total += SumOf(sums, field->name());
  std::string html =
      "<table class=\"votes\"><thead><tr><th>Pasangan calon</th><th>Suara"
      "</th><th>%</th></tr></thead><tbody>\n";
  std::string chart = absl::StrCat(
      "<svg class=\"chart\" role=\"img\" aria-label=\"Grafik perolehan "
      "suara\" viewBox=\"0 0 100 ",
      candidates.size() * 12, "\" preserveAspectRatio=\"none\">");
  int row = 0;
  for (const auto* field : candidates) {
    const int64_t votes = SumOf(sums, field->name());
    const double share = Share(votes, total);
    absl::StrAppend(&html, "<tr><td>", HtmlEscape(CandidateLabel(*field)),
                    "</td><td class=\"num\">", FormatCount(votes),
                    "</td><td class=\"num\">", FormatPercent(share),
                    "</td></tr>\n");
    absl::StrAppend(&chart, "<rect class=\"bar", row % 3, "\" x=\"0\" y=\"",
                    row * 12 + 1, "\" height=\"10\" width=\"",
                    static_cast<int>(share * 1000) / 10.0, "\"/>");
    ++row;
  }
  absl::StrAppend(&html, "</tbody></table>\n", chart, "</svg>\n");
  return html;
}

std::string CoverageSummary(const v1::Aggregate& aggregate) {
  return absl::StrCat(
      "<dl class=\"coverage\"><dt>TPS dengan hasil terverifikasi</dt><dd>",
      FormatCount(aggregate.tps_with_result()), " dari ",
      FormatCount(aggregate.tps_total()), " (",
      FormatPercent(Share(aggregate.tps_with_result(), aggregate.tps_total())),
      ")</dd><dt>Ditandai (perlu dicek)</dt><dd>",
      FormatCount(aggregate.tps_flagged()), "</dd><dt>Belum ada hasil</dt><dd>",
      FormatCount(aggregate.tps_total() - aggregate.tps_with_result()),
      "</dd><dt>Perubahan terakhir</dt><dd>",
      FormatTime(aggregate.update_time()), "</dd></dl>\n");
}

// A cell that sorts by `key` (numbers) in the page's table script.
std::string NumberCell(int64_t key, const std::string& text) {
  return absl::StrCat("<td class=\"num\" data-sort=\"", key, "\">", text,
                      "</td>");
}

std::string ChildrenTable(const RegionView& view) {
  const auto candidates = CandidateFields(view.form_kind);
  std::string html = absl::StrCat(
      "<h2>",
      HtmlEscape(LevelName(static_cast<v1::RegionLevel>(
          view.region.level() == v1::REGION_LEVEL_NATIONAL
              ? v1::REGION_LEVEL_PROVINCE
              : view.region.level() + 1))),
      "</h2>\n<div class=\"wide\"><table class=\"sortable\"><thead><tr>"
      "<th><button type=\"button\">Wilayah</button></th>");
  for (const auto* field : candidates) {
    absl::StrAppend(&html, "<th><button type=\"button\">",
                    HtmlEscape(CandidateLabel(*field)), "</button></th>");
  }
  absl::StrAppend(&html,
                  "<th><button type=\"button\">TPS masuk</button></th><th>"
                  "<button type=\"button\">Ditandai</button></th></tr></thead>"
                  "<tbody>\n");
  for (const v1::Region& child : view.children) {
    const v1::Aggregate& aggregate = child.aggregate();
    int64_t total = 0;
    for (const auto* field : candidates)
      total += SumOf(aggregate.sums(), field->name());
    absl::StrAppend(&html, "<tr><td data-sort=\"", HtmlEscape(child.name()),
                    "\">", Link(RegionHref(child.code()), child.name()),
                    "</td>");
    for (const auto* field : candidates) {
      const int64_t votes = SumOf(aggregate.sums(), field->name());
      absl::StrAppend(
          &html,
          NumberCell(votes, absl::StrCat(FormatCount(votes), "<small>",
                                         FormatPercent(Share(votes, total)),
                                         "</small>")));
    }
    const double coverage =
        Share(aggregate.tps_with_result(), aggregate.tps_total());
    absl::StrAppend(
        &html,
        NumberCell(static_cast<int64_t>(coverage * 1e6),
                   absl::StrCat(FormatCount(aggregate.tps_with_result()), "/",
                                FormatCount(aggregate.tps_total()), "<small>",
                                FormatPercent(coverage), "</small>")),
        NumberCell(aggregate.tps_flagged(),
                   FormatCount(aggregate.tps_flagged())),
        "</tr>\n");
  }
  absl::StrAppend(&html, "</tbody></table></div>\n");
  return html;
}

std::string FlagText(const std::string& flag) {
  if (absl::StartsWith(flag, "arithmetic:")) {
    return absl::StrCat("Hitungan tidak cocok (",
                        flag.substr(sizeof("arithmetic:") - 1), ")");
  }
  if (flag == "conflicting_photos") return "Foto-foto TPS ini berbeda angka";
  if (flag == "photo_also_for_other_tps") {
    return "Foto yang sama juga diunggah untuk TPS lain";
  }
  if (flag == "duplicate_other_tps") return "Foto juga diunggah untuk TPS lain";
  return flag;
}

std::string SourceText(v1::Provenance::Source source) {
  switch (source) {
    case v1::Provenance::SOURCE_MACHINE:
      return "mesin (yakin dan konsisten)";
    case v1::Provenance::SOURCE_PEOPLE:
      return "dua relawan (entri ganda buta)";
    case v1::Provenance::SOURCE_MODERATOR:
      return "moderator";
    case v1::Provenance::SOURCE_OPERATOR:
      return "operator (impor data)";
    default:
      return "–";
  }
}

std::string SettledByText(const std::string& by) {
  if (by == "machine") return SourceText(v1::Provenance::SOURCE_MACHINE);
  if (by == "people") return SourceText(v1::Provenance::SOURCE_PEOPLE);
  if (by == "moderator") return SourceText(v1::Provenance::SOURCE_MODERATOR);
  return "menunggu relawan";
}

std::string KelurahanTable(const RegionView& view) {
  const auto candidates = CandidateFields(view.form_kind);
  std::string html =
      "<h2>TPS</h2>\n<div class=\"wide\"><table class=\"sortable\"><thead>"
      "<tr><th><button type=\"button\">TPS</button></th>";
  for (const auto* field : candidates) {
    absl::StrAppend(&html, "<th><button type=\"button\">",
                    HtmlEscape(CandidateLabel(*field)), "</button></th>");
  }
  absl::StrAppend(&html,
                  "<th><button type=\"button\">Status</button></th></tr>"
                  "</thead><tbody>\n");
  for (const v1::Tps& tps : view.tps) {
    const v1::TpsResult* result = nullptr;
    for (const v1::TpsResult& r : tps.results()) {
      if (r.form_kind() == view.form_kind.name()) result = &r;
    }
    absl::StrAppend(&html, "<tr><td data-sort=\"", HtmlEscape(tps.code()),
                    "\">", Link(PlaceHref(tps.code()), tps.name()), "</td>");
    for (const auto* field : candidates) {
      if (result == nullptr) {
        absl::StrAppend(&html, "<td class=\"num\" data-sort=\"-1\">–</td>");
      } else {
        const int64_t votes = SumOf(result->values(), field->name());
        absl::StrAppend(&html, NumberCell(votes, FormatCount(votes)));
      }
    }
    std::string status =
        result == nullptr ? "belum ada hasil"
        : result->flags().empty()
            ? "terverifikasi"
            : absl::StrCat("ditandai: ", FlagText(result->flags(0)));
    absl::StrAppend(&html, "<td>", HtmlEscape(status), "</td></tr>\n");
  }
  absl::StrAppend(&html, "</tbody></table></div>\n");
  return html;
}

std::string NextPageLink(const std::string& base,
                         const std::string& next_page_token) {
  if (next_page_token.empty()) return "";
  return absl::StrCat("<p><a href=\"", base,
                      "?page_token=", HtmlEscape(next_page_token),
                      "\">Berikutnya ›</a></p>\n");
}

// The photo each field's crop comes from: the first public photo among the
// result's sources that has a crop of the field.
std::string CropOf(const TpsView& view, const v1::TpsResult& result,
                   const std::string& field) {
  for (const std::string& source : result.provenance().submission_ids()) {
    const std::string id(absl::StripPrefix(source, "submissions/"));
    for (const PublicPhoto& photo : view.photos) {
      if (photo.id != id) continue;
      for (const PublicPhoto::Field& f : photo.fields) {
        if (f.name == field && f.has_crop) {
          return absl::StrCat("<img class=\"crop\" src=\"/foto/",
                              HtmlEscape(photo.id), "/", HtmlEscape(field),
                              ".png\" alt=\"Potongan foto: ", HtmlEscape(field),
                              "\">");
        }
      }
    }
  }
  return "";
}

std::string ResultTable(const TpsView& view, const v1::TpsResult& result) {
  std::string html =
      "<div class=\"wide\"><table class=\"result\"><thead><tr><th>Isian"
      "</th><th>Angka</th><th>Dari foto</th><th>Dijamin oleh</th><th>"
      "Sirekap</th></tr></thead><tbody>\n";
  for (const v1::FormKind::Field& field : view.form_kind.fields()) {
    auto value = result.values().find(field.name());
    if (value == result.values().end()) continue;
    auto source = result.provenance().field_sources().find(field.name());
    const v1::Provenance::Source by =
        source != result.provenance().field_sources().end()
            ? source->second
            : result.provenance().source();
    std::string sirekap = "–";
    if (view.sirekap) {
      auto it = view.sirekap->values.find(field.name());
      if (it != view.sirekap->values.end()) {
        sirekap =
            it->second == value->second
                ? FormatCount(it->second)
                : absl::StrCat("<mark>", FormatCount(it->second), "</mark>");
      }
    }
    absl::StrAppend(&html, "<tr><td>", HtmlEscape(field.label()),
                    "</td><td class=\"num big\">", FormatCount(value->second),
                    "</td><td>", CropOf(view, result, field.name()),
                    "</td><td>", HtmlEscape(SourceText(by)),
                    "</td><td "
                    "class=\"num\">",
                    sirekap, "</td></tr>\n");
  }
  absl::StrAppend(&html, "</tbody></table></div>\n");
  if (!result.provenance().note().empty()) {
    absl::StrAppend(&html, "<p class=\"note\">Catatan: ",
                    HtmlEscape(result.provenance().note()), "</p>\n");
  }
  return html;
}

std::string PhotoList(const TpsView& view) {
  if (view.photos.empty()) {
    return "<p>Belum ada foto formulir untuk TPS ini. <a href=\"/unggah\">"
           "Unggah foto</a>.</p>\n";
  }
  std::string html = "<ul class=\"photos\">\n";
  for (const PublicPhoto& photo : view.photos) {
    std::vector<std::string> values;
    for (const PublicPhoto::Field& field : photo.fields) {
      values.push_back(
          absl::StrCat(HtmlEscape(FieldLabel(view.form_kind, field.name)), ": ",
                       field.value ? FormatCount(*field.value) : "…", " (",
                       HtmlEscape(SettledByText(field.settled_by)), ")"));
    }
    std::vector<std::string> flags;
    for (const std::string& flag : photo.flags) {
      flags.push_back(HtmlEscape(FlagText(flag)));
    }
    absl::StrAppend(
        &html, "<li><a href=\"/foto/", HtmlEscape(photo.id),
        "\"><img class=\"photo\" loading=\"lazy\" src=\"/foto/",
        HtmlEscape(photo.id), "\" alt=\"Foto halaman ", photo.page,
        "\"></a><div>Halaman ", photo.page, " · diunggah ",
        FormatTime(photo.create_time),
        photo.state == v1::Submission::STATE_SETTLED ? " · selesai"
                                                     : " · sedang diperiksa",
        flags.empty() ? "" : absl::StrCat(" · ", absl::StrJoin(flags, "; ")),
        "</div><div class=\"small\">", absl::StrJoin(values, " · "),
        "</div></li>\n");
  }
  absl::StrAppend(&html, "</ul>\n");
  return html;
}

std::string ChangesText(const v1::FormKind& kind,
                        const v1::JournalEntry& entry) {
  if (!entry.has_current()) {
    return absl::StrCat("hasil dihapus: ", HtmlEscape(entry.reason()));
  }
  std::vector<std::string> changes;
  for (const v1::FormKind::Field& field : kind.fields()) {
    auto now = entry.current().values().find(field.name());
    if (now == entry.current().values().end()) continue;
    auto before = entry.previous().values().find(field.name());
    if (entry.has_previous() && before != entry.previous().values().end() &&
        before->second == now->second) {
      continue;
    }
    changes.push_back(absl::StrCat(
        HtmlEscape(field.label()), " ",
        entry.has_previous() && before != entry.previous().values().end()
            ? absl::StrCat(FormatCount(before->second), " → ")
            : "",
        FormatCount(now->second)));
  }
  return changes.empty() ? "tanda atau sumber berubah"
                         : absl::StrJoin(changes, ", ");
}

std::string Journal(const TpsView& view) {
  if (view.journal.empty()) return "<p>Belum ada perubahan.</p>\n";
  std::string html = "<ol class=\"journal\">\n";
  for (const v1::JournalEntry& entry : view.journal) {
    absl::StrAppend(
        &html, "<li><span class=\"small\">#", entry.sequence(), " · ",
        FormatTime(entry.commit_time()), " · ",
        HtmlEscape(SourceText(entry.current().provenance().source())),
        "</span><br>", ChangesText(view.form_kind, entry),
        entry.current().provenance().note().empty()
            ? ""
            : absl::StrCat(" — ",
                           HtmlEscape(entry.current().provenance().note())),
        "<br><code class=\"small\">hash ",
        ToHex(entry.entry_hash()).substr(0, 16), "…</code></li>\n");
  }
  absl::StrAppend(&html, "</ol>\n");
  return html;
}

std::string SirekapSection(const TpsView& view) {
  if (!view.sirekap) {
    return "<h2>Sirekap KPU</h2>\n<p>Data Sirekap untuk TPS ini belum "
           "diimpor.</p>\n";
  }
  std::string html =
      absl::StrCat("<h2>Sirekap KPU</h2>\n<p>Data Sirekap per ",
                   HtmlEscape(view.sirekap->sirekap_time), " WIB.</p>\n<ul>");
  for (const v1::FormKind::Field& field : view.form_kind.fields()) {
    auto it = view.sirekap->values.find(field.name());
    if (it == view.sirekap->values.end()) continue;
    absl::StrAppend(&html, "<li>", HtmlEscape(field.label()), ": ",
                    FormatCount(it->second), "</li>");
  }
  absl::StrAppend(&html, "</ul>\n");
  int n = 0;
  for (const std::string& url : view.sirekap->image_urls) {
    // Only web links become links; anything else stays text.
    if (absl::StartsWith(url, "https://") || absl::StartsWith(url, "http://")) {
      absl::StrAppend(&html, "<a rel=\"noopener noreferrer nofollow\" href=\"",
                      HtmlEscape(url), "\">Foto Sirekap ", ++n, "</a> ");
    }
  }
  return html;
}

}  // namespace

std::string RegionViewHtml(const RegionView& view) {
  const v1::Region& region = view.region;
  std::string html = absl::StrCat(
      Breadcrumbs(view.ancestors), "<h1>",
      HtmlEscape(region.code().empty() ? "Hasil Pilpres 2024: Indonesia"
                                       : absl::StrCat(LevelName(region.level()),
                                                      " ", region.name())),
      "</h1>\n<p class=\"small\">", HtmlEscape(view.form_kind.label()),
      region.code().empty()
          ? ""
          : absl::StrCat(" · kode ", HtmlEscape(region.code())),
      "</p>\n<section class=\"summary\">",
      VotesSummary(view.form_kind, region.aggregate().sums()),
      CoverageSummary(region.aggregate()), "</section>\n");
  if (region.level() == v1::REGION_LEVEL_KELURAHAN) {
    absl::StrAppend(&html, KelurahanTable(view));
  } else {
    absl::StrAppend(&html, ChildrenTable(view));
  }
  absl::StrAppend(
      &html, NextPageLink(RegionHref(region.code()), view.next_page_token));
  return html;
}

std::string TpsViewHtml(const TpsView& view) {
  const v1::TpsResult* result = nullptr;
  for (const v1::TpsResult& r : view.tps.results()) {
    if (r.form_kind() == view.form_kind.name()) result = &r;
  }
  std::string place =
      view.ancestors.empty() ? "" : view.ancestors.back().name();
  std::string html = absl::StrCat(
      Breadcrumbs(view.ancestors), "<h1>", HtmlEscape(view.tps.name()), ", ",
      HtmlEscape(place), "</h1>\n<p class=\"small\">Kode TPS ",
      HtmlEscape(view.tps.code()), "</p>\n");
  if (result == nullptr) {
    absl::StrAppend(&html,
                    "<p class=\"status\">Belum ada hasil terverifikasi.</p>\n");
  } else {
    std::string flags;
    for (const std::string& flag : result->flags()) {
      absl::StrAppend(&flags, "<li>", HtmlEscape(FlagText(flag)), "</li>");
    }
    absl::StrAppend(
        &html, "<section class=\"summary\">",
        VotesSummary(view.form_kind, result->values()), "</section>\n",
        flags.empty() ? "<p class=\"status ok\">Terverifikasi, tanpa tanda."
                        "</p>\n"
                      : absl::StrCat("<div class=\"status flagged\">Ditandai:"
                                     "<ul>",
                                     flags, "</ul></div>\n"),
        "<p class=\"small\">Terakhir berubah ",
        FormatTime(result->update_time()), "</p>\n<h2>Angka</h2>\n",
        ResultTable(view, *result));
  }
  absl::StrAppend(&html, "<h2>Foto formulir</h2>\n", PhotoList(view),
                  SirekapSection(view), "<h2>Riwayat (jurnal)</h2>\n",
                  Journal(view));
  return html;
}

bool PublicPages::Serves(const std::string& path) {
  return path == "/" || absl::StartsWith(path, kRegionPrefix) ||
         absl::StartsWith(path, kTpsPrefix) ||
         absl::StartsWith(path, kPhotoPrefix) || path == kSearchPath ||
         path == kSearchJsonPath;
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
    response = TpsPage(request.path.substr(sizeof(kTpsPrefix) - 1));
  } else if (absl::StartsWith(request.path, kPhotoPrefix)) {
    response = Photo(request.path.substr(sizeof(kPhotoPrefix) - 1));
  } else if (request.path == kSearchJsonPath) {
    return SearchJson(request);
  } else {
    return SearchPage(request);
  }
  AnswerConditionally(request, &response);
  return response;
}

namespace {

HttpResponse ErrorPage(const absl::Status& status) {
  const int code = HttpStatusOf(status.code());
  return HtmlResponse(
      RenderPage(code == 404 ? "Tidak ditemukan" : "Galat",
                 absl::StrCat("<h1>", code == 404 ? "Tidak ditemukan" : "Galat",
                              "</h1><p>", HtmlEscape(status.message()),
                              "</p><p><a href=\"/\">Kembali ke halaman "
                              "nasional</a></p>")),
      code);
}

}  // namespace

HttpResponse PublicPages::RegionPage(const std::string& code,
                                     const HttpRequest& request) const {
  absl::StatusOr<RegionView> view = results_->GetRegion(
      code, QueryParam(request, "form_kind"), PageSizeParam(request),
      QueryParam(request, "page_token"));
  if (!view.ok()) return ErrorPage(view.status());
  return RegionHtmlResponse(*view);
}

HttpResponse RegionHtmlResponse(const RegionView& view) {
  HttpResponse response = HtmlResponse(
      RenderPage(view.region.code().empty() ? "Nasional" : view.region.name(),
                 RegionViewHtml(view), {"sort.js"}));
  MakeCacheable(&response, view.region.code().size());
  return response;
}

HttpResponse PublicPages::TpsPage(const std::string& code) const {
  absl::StatusOr<TpsView> view = results_->GetTps(code);
  if (!view.ok()) return ErrorPage(view.status());
  HttpResponse response = HtmlResponse(RenderPage(
      absl::StrCat(view->tps.name(), " ", code), TpsViewHtml(*view)));
  MakeCacheable(&response, code.size());
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

HttpResponse PublicPages::SearchJson(const HttpRequest& request) const {
  absl::StatusOr<std::vector<PlaceMatch>> matches =
      search_->Find(QueryParam(request, "q"));
  if (!matches.ok()) return StatusErrorResponse(matches.status());
  std::vector<std::string> items;
  for (const PlaceMatch& match : *matches) {
    items.push_back(absl::StrCat(
        R"({"code":)", JsonString(match.code), R"(,"name":)",
        JsonString(match.name), R"(,"level":)",
        JsonString(v1::RegionLevel_Name(match.level)), R"(,"path":)",
        JsonString(match.path), R"(,"url":)",
        JsonString(
            match.code.size() == 13 ? absl::StrCat(kTpsPrefix, match.code)
            : match.code.empty()    ? "/"
                                    : absl::StrCat(kRegionPrefix, match.code)),
        "}"));
  }
  HttpResponse response;
  response.body =
      absl::StrCat(R"({"results":[)", absl::StrJoin(items, ","), "]}");
  response.headers.emplace_back("Cache-Control", "public, max-age=300");
  return response;
}

HttpResponse PublicPages::SearchPage(const HttpRequest& request) const {
  const std::string query = QueryParam(request, "q");
  absl::StatusOr<std::vector<PlaceMatch>> matches = search_->Find(query);
  std::string body = absl::StrCat("<h1>Cari: ", HtmlEscape(query), "</h1>\n");
  if (!matches.ok()) {
    absl::StrAppend(&body, "<p>", HtmlEscape(matches.status().message()),
                    "</p>\n");
  } else if (matches->size() == 1 &&
             (*matches)[0].code ==
                 std::string(absl::StripAsciiWhitespace(query))) {
    HttpResponse redirect;
    redirect.status = 302;
    redirect.content_type = "text/plain; charset=utf-8";
    redirect.headers.emplace_back("Location", PlaceHref((*matches)[0].code));
    return redirect;
  } else if (matches->empty()) {
    absl::StrAppend(&body, "<p>Tidak ada wilayah atau TPS yang cocok.</p>\n");
  } else {
    absl::StrAppend(&body, "<ul class=\"matches\">\n");
    for (const PlaceMatch& match : *matches) {
      absl::StrAppend(
          &body, "<li>", Link(PlaceHref(match.code), match.name),
          " <span class=\"small\">", HtmlEscape(LevelName(match.level)),
          match.path.empty() ? "" : absl::StrCat(", ", HtmlEscape(match.path)),
          "</span></li>\n");
    }
    absl::StrAppend(&body, "</ul>\n");
  }
  return HtmlResponse(RenderPage("Cari", body, {}, query));
}

}  // namespace c1tally
