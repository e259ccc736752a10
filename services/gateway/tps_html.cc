// The TPS page (templates/tps.tpl).
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/gateway/display_format.h"
#include "services/gateway/public_html.h"
#include "services/gateway/public_html_parts.h"
#include "storage/sha256.h"

namespace c1tally {
namespace {

const v1::TpsResult* ResultOf(const TpsView& view) {
  const v1::TpsResult* result = nullptr;
  for (const v1::TpsResult& r : view.tps.results()) {
    if (r.form_kind() == view.form_kind.name()) result = &r;
  }
  return result;
}

// The photo a field's crop comes from: the first public photo among the
// result's sources that has a crop of the field; "" when none has.
std::string CropPhoto(const TpsView& view, const v1::TpsResult& result,
                      const std::string& field) {
  for (const std::string& source : result.provenance().submission_ids()) {
    const std::string id(absl::StripPrefix(source, "submissions/"));
    for (const PublicPhoto& photo : view.photos) {
      if (photo.id != id) continue;
      for (const PublicPhoto::Field& f : photo.fields) {
        if (f.name == field && f.has_crop) return photo.id;
      }
    }
  }
  return "";
}

std::optional<int64_t> SirekapValue(const TpsView& view,
                                    const std::string& field) {
  if (!view.sirekap) return std::nullopt;
  auto it = view.sirekap->values.find(field);
  if (it == view.sirekap->values.end()) return std::nullopt;
  return it->second;
}

void AddResult(const TpsView& view, const v1::TpsResult& result,
               TemplateValues* values) {
  TemplateValues* section = values->AddSectionDictionary("RESULT");
  const std::string& race = view.form_kind.name();
  AddVotes(view.dapil
               ? BallotChoices(view.dapil->ballot(), view.dapil->parties())
               : PairChoices(view.form_kind),
           ChoiceHeading(race), result.values(), section);
  if (result.flags().empty()) {
    section->ShowSection("UNFLAGGED");
  } else {
    TemplateValues* flagged = section->AddSectionDictionary("FLAGGED");
    for (const std::string& flag : result.flags()) {
      flagged->AddSectionDictionary("FLAG")->SetValue("TEXT", FlagText(flag));
    }
  }
  section->SetValue("UPDATE_TIME", FormatTime(result.update_time()));
  for (const v1::FormKind::Field& field : view.form_kind.fields()) {
    auto value = result.values().find(field.name());
    if (value == result.values().end()) continue;
    TemplateValues* row = section->AddSectionDictionary("FIELD");
    row->SetValue("LABEL", field.label());
    row->SetValue("VALUE", FormatCount(value->second));
    if (std::string photo = CropPhoto(view, result, field.name());
        !photo.empty()) {
      TemplateValues* crop = row->AddSectionDictionary("CROP");
      crop->SetValue("PHOTO_ID", photo);
      crop->SetValue("NAME", field.name());
    }
    auto source = result.provenance().field_sources().find(field.name());
    row->SetValue("SOURCE",
                  SourceText(source != result.provenance().field_sources().end()
                                 ? source->second
                                 : result.provenance().source()));
    if (std::optional<int64_t> sirekap = SirekapValue(view, field.name())) {
      row->SetValue("SIREKAP", FormatCount(*sirekap));
      row->ShowSection(*sirekap == value->second ? "SIREKAP_SAME"
                                                 : "SIREKAP_DIFFERS");
    } else {
      row->ShowSection("SIREKAP_NONE");
    }
  }
  if (!result.provenance().note().empty()) {
    section->AddSectionDictionary("NOTE")->SetValue("TEXT",
                                                    result.provenance().note());
  }
}

// The photos of the race shown (a DPR sheet is no evidence of the
// president's count).
void AddPhotos(const TpsView& view, TemplateValues* values) {
  std::vector<const PublicPhoto*> photos;
  for (const PublicPhoto& photo : view.photos) {
    if (photo.form_kind == view.form_kind.name()) photos.push_back(&photo);
  }
  if (photos.empty()) {
    values->ShowSection("NO_PHOTO");
    return;
  }
  TemplateValues* list = values->AddSectionDictionary("PHOTOS");
  for (const PublicPhoto* listed : photos) {
    const PublicPhoto& photo = *listed;
    TemplateValues* item = list->AddSectionDictionary("PHOTO");
    item->SetValue("ID", photo.id);
    item->SetIntValue("PAGE", photo.page);
    item->SetValue("CREATE_TIME", FormatTime(photo.create_time));
    item->SetValue("STATE", photo.state == v1::Submission::STATE_SETTLED
                                ? "selesai"
                                : "sedang diperiksa");
    std::vector<std::string> flags;
    for (const std::string& flag : photo.flags) flags.push_back(FlagText(flag));
    if (!flags.empty()) {
      item->AddSectionDictionary("FLAGS")->SetValue("TEXT",
                                                    absl::StrJoin(flags, "; "));
    }
    for (const PublicPhoto::Field& field : photo.fields) {
      TemplateValues* value = item->AddSectionDictionary("VALUE");
      value->SetValue("LABEL", FieldLabel(view.form_kind, field.name));
      value->SetValue("NUMBER", field.value ? FormatCount(*field.value) : "…");
      value->SetValue("BY", SettledByText(field.settled_by));
    }
  }
}

void AddSirekap(const TpsView& view, TemplateValues* values) {
  if (!view.sirekap) {
    values->ShowSection("NO_SIREKAP");
    return;
  }
  TemplateValues* section = values->AddSectionDictionary("SIREKAP");
  section->SetValue("SIREKAP_TIME", view.sirekap->sirekap_time);
  for (const v1::FormKind::Field& field : view.form_kind.fields()) {
    auto it = view.sirekap->values.find(field.name());
    if (it == view.sirekap->values.end()) continue;
    TemplateValues* value = section->AddSectionDictionary("VALUE");
    value->SetValue("LABEL", field.label());
    value->SetValue("NUMBER", FormatCount(it->second));
  }
  int n = 0;
  for (const std::string& url : view.sirekap->image_urls) {
    // Only web links become links; the template's escaping would turn
    // another scheme into "#", a link to nowhere.
    if (!absl::StartsWith(url, "https://") &&
        !absl::StartsWith(url, "http://")) {
      continue;
    }
    TemplateValues* image = section->AddSectionDictionary("IMAGE");
    image->SetValue("URL", url);
    image->SetIntValue("NUMBER", ++n);
  }
}

std::string ChangesText(const v1::FormKind& kind,
                        const v1::JournalEntry& entry) {
  if (!entry.has_current()) {
    return absl::StrCat("hasil dihapus: ", entry.reason());
  }
  std::vector<std::string> changes;
  for (const v1::FormKind::Field& field : kind.fields()) {
    auto now = entry.current().values().find(field.name());
    if (now == entry.current().values().end()) continue;
    auto before = entry.previous().values().find(field.name());
    const bool had =
        entry.has_previous() && before != entry.previous().values().end();
    if (had && before->second == now->second) continue;
    changes.push_back(absl::StrCat(
        field.label(), " ",
        had ? absl::StrCat(FormatCount(before->second), " → ") : "",
        FormatCount(now->second)));
  }
  return changes.empty() ? "tanda atau sumber berubah"
                         : absl::StrJoin(changes, ", ");
}

// The journal of the page's race; the others' entries are on their pages.
void AddJournal(const TpsView& view, TemplateValues* values) {
  std::vector<const v1::JournalEntry*> entries;
  for (const v1::JournalEntry& entry : view.journal) {
    if (entry.form_kind() == view.form_kind.name()) entries.push_back(&entry);
  }
  if (entries.empty()) {
    values->ShowSection("NO_JOURNAL");
    return;
  }
  TemplateValues* list = values->AddSectionDictionary("JOURNAL");
  for (const v1::JournalEntry* each : entries) {
    const v1::JournalEntry& entry = *each;
    TemplateValues* item = list->AddSectionDictionary("ENTRY");
    item->SetValue("SEQUENCE", absl::StrCat(entry.sequence()));
    item->SetValue("COMMIT_TIME", FormatTime(entry.commit_time()));
    item->SetValue("SOURCE", SourceText(entry.current().provenance().source()));
    item->SetValue("CHANGES", ChangesText(view.form_kind, entry));
    if (!entry.current().provenance().note().empty()) {
      item->AddSectionDictionary("NOTE")->SetValue(
          "TEXT", entry.current().provenance().note());
    }
    item->SetValue("HASH", ToHex(entry.entry_hash()).substr(0, 16));
  }
}

}  // namespace

HttpResponse TpsHtml(const TpsView& view) {
  HtmlPage page("tps.tpl", absl::StrCat(view.tps.name(), " ", view.tps.code()));
  TemplateValues* body = page.body();
  const std::string& race = view.form_kind.name();
  AddCrumbs(view.ancestors, body, race);
  body->SetValue("TPS_NAME", view.tps.name());
  body->SetValue("PLACE",
                 view.ancestors.empty() ? "" : view.ancestors.back().name());
  body->SetValue("CODE", view.tps.code());
  body->SetValue("FORM_LABEL", view.form_kind.label());
  AddRaceSwitch(PlaceHref(view.tps.code()), race, body);
  if (view.dapil) {
    TemplateValues* dapil = body->AddSectionDictionary("DAPIL");
    dapil->SetValue("HREF", DapilHref(race, view.dapil->code()));
    dapil->SetValue("NAME", view.dapil->name());
    dapil->SetValue("CODE", view.dapil->code());
  } else if (race != "ppwp") {
    body->ShowSection("NO_DAPIL");
  }
  if (const v1::TpsResult* result = ResultOf(view); result != nullptr) {
    AddResult(view, *result, body);
  } else {
    body->ShowSection("NO_RESULT");
  }
  AddPhotos(view, body);
  AddSirekap(view, body);
  AddJournal(view, body);
  return page.Response();
}

}  // namespace c1tally
