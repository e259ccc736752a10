#include "services/tally/place_search.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(c);
  });
}

}  // namespace

absl::StatusOr<std::vector<v1::Place>> PlaceSearch::Find(
    const std::string& query) {
  const std::string text(absl::StripAsciiWhitespace(query));
  if (text.size() < 3 && !AllDigits(text)) {
    return absl::InvalidArgumentError(
        "ketik paling sedikit 3 huruf (type at least 3 letters)");
  }
  if (text.size() > 100) {
    return absl::InvalidArgumentError(
        "pencarian terlalu panjang (query too long)");
  }
  if (AllDigits(text)) return FindCode(text);

  const std::vector<std::string> words = absl::StrSplit(
      absl::AsciiStrToLower(text), absl::ByAnyChar(" ,./-"), absl::SkipEmpty());
  absl::MutexLock lock(&mu_);
  if (!built_) {
    RETURN_IF_ERROR(BuildIndex());
  }
  // Places whose own name holds every word come before places found only
  // through an ancestor's name ("Menteng" is first the kecamatan and the
  // kelurahan called so, then everything inside them); then upper levels
  // first: a query for "Bandung" wants the kabupaten and the kota before
  // the dozens of kelurahan of that name.
  std::vector<std::pair<int, const Entry*>> found;
  for (const Entry& entry : entries_) {
    auto holds_all = [&](absl::string_view text) {
      return std::all_of(words.begin(), words.end(), [&](auto& word) {
        return absl::StrContains(text, word);
      });
    };
    if (!holds_all(entry.haystack)) continue;
    const bool by_name = holds_all(absl::string_view(entry.haystack)
                                       .substr(0, entry.haystack.find(" / ")));
    found.emplace_back(
        (by_name ? 0 : 100) + static_cast<int>(entry.place.code().size()),
        &entry);
  }
  std::stable_sort(found.begin(), found.end(),
                   [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<v1::Place> matches;
  for (const auto& [rank, entry] : found) {
    if (matches.size() == kMaxMatches) break;
    matches.push_back(entry->place);
  }
  return matches;
}

absl::StatusOr<std::vector<v1::Place>> PlaceSearch::FindCode(
    const std::string& code) {
  absl::StatusOr<RegionCode> parsed = RegionCode::Parse(code);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", code,
        "\" bukan kode wilayah atau TPS: 2, 4, 6, 10 atau 13 angka (not a "
        "region or TPS code)"));
  }
  v1::Place match;
  match.set_code(parsed->str());
  match.set_level(parsed->level());
  if (parsed->is_tps()) {
    absl::StatusOr<v1::Tps> tps = tree_->GetTps(*parsed);
    if (absl::IsNotFound(tps.status())) return std::vector<v1::Place>{};
    if (!tps.ok()) return tps.status();
    match.set_name(tps->name());
  } else {
    absl::StatusOr<v1::Region> region = tree_->GetRegion(*parsed);
    if (absl::IsNotFound(region.status())) return std::vector<v1::Place>{};
    if (!region.ok()) return region.status();
    match.set_name(region->name());
  }
  std::vector<std::string> names;
  for (size_t width : {10, 6, 4, 2}) {
    if (match.code().size() <= width) continue;
    absl::StatusOr<RegionCode> ancestor =
        RegionCode::Parse(match.code().substr(0, width));
    if (!ancestor.ok()) continue;
    absl::StatusOr<v1::Region> region = tree_->GetRegion(*ancestor);
    if (region.ok()) names.push_back(region->name());
  }
  match.set_path(absl::StrJoin(names, ", "));
  return std::vector<v1::Place>{match};
}

absl::Status PlaceSearch::BuildIndex() {
  // Names by code, to spell each region's ancestors; parents come first in
  // code order.
  std::map<std::string, std::string> names;
  absl::Status visited = tree_->ForEachRegion([&](const v1::Region& region) {
    names[region.code()] = region.name();
    Entry entry;
    entry.place.set_code(region.code());
    entry.place.set_name(region.name());
    entry.place.set_level(region.level());
    std::vector<std::string> path;
    for (size_t width : {10, 6, 4, 2}) {
      if (region.code().size() <= width) continue;
      auto it = names.find(region.code().substr(0, width));
      if (it != names.end()) path.push_back(it->second);
    }
    entry.place.set_path(absl::StrJoin(path, ", "));
    entry.haystack = absl::AsciiStrToLower(
        absl::StrCat(region.name(), " / ", entry.place.path()));
    entries_.push_back(std::move(entry));
    return absl::OkStatus();
  });
  if (!visited.ok()) {
    entries_.clear();
    return visited;
  }
  built_ = true;
  return absl::OkStatus();
}

}  // namespace c1tally
