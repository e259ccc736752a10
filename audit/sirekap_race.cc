#include "audit/sirekap_race.h"

#include <algorithm>

#include "absl/strings/ascii.h"

namespace c1tally {
namespace {

const std::vector<SirekapRace>& Races() {
  static const std::vector<SirekapRace>* races = new std::vector<SirekapRace>{
      // Pairs 01, 02, 03 of the 2024 presidential race.
      {"ppwp",
       "ppwp",
       {{"100025", "suara_paslon_1"},
        {"100026", "suara_paslon_2"},
        {"100027", "suara_paslon_3"}}},
      {"pdpd", "", {}},
  };
  return *races;
}

// The page-1 voter counts (each as laki-laki, perempuan, jumlah) and the
// page-3 vote totals.
constexpr const char* kAdministrasiKeys[] = {
    "pemilih_dpt_l",      "pemilih_dpt_p",      "pemilih_dpt_j",
    "pengguna_dpt_l",     "pengguna_dpt_p",     "pengguna_dpt_j",
    "pengguna_dptb_l",    "pengguna_dptb_p",    "pengguna_dptb_j",
    "pengguna_non_dpt_l", "pengguna_non_dpt_p", "pengguna_non_dpt_j",
    "pengguna_total_l",   "pengguna_total_p",   "pengguna_total_j",
    "suara_sah",          "suara_tidak_sah",    "suara_total",
};

}  // namespace

bool SirekapRace::AcceptsCandidate(absl::string_view id) const {
  if (!candidates.empty()) return candidates.count(std::string(id)) > 0;
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

std::string SirekapRace::FieldOf(absl::string_view candidate_id) const {
  auto it = candidates.find(std::string(candidate_id));
  return it == candidates.end() ? "" : it->second;
}

const SirekapRace* FindSirekapRace(absl::string_view name) {
  for (const SirekapRace& race : Races()) {
    if (race.name == name) return &race;
  }
  return nullptr;
}

const SirekapRace* FindSirekapRaceForFormKind(absl::string_view form_kind) {
  for (const SirekapRace& race : Races()) {
    if (!race.form_kind.empty() && race.form_kind == form_kind) return &race;
  }
  return nullptr;
}

std::vector<std::string> SirekapRaceNames() {
  std::vector<std::string> names;
  for (const SirekapRace& race : Races()) names.push_back(race.name);
  return names;
}

bool IsSirekapAdministrasiKey(absl::string_view key) {
  for (const char* known : kAdministrasiKeys) {
    if (key == known) return true;
  }
  return false;
}

}  // namespace c1tally
