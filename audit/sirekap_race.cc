#include "audit/sirekap_race.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "storage/reference/ballot_form.h"

namespace c1tally {
namespace {

using Ballot = SirekapRace::Ballot;

const std::vector<SirekapRace>& Races() {
  static const std::vector<SirekapRace>* races = new std::vector<SirekapRace>{
      // Pairs 01, 02, 03 of the 2024 presidential race.
      {"ppwp",
       "ppwp",
       Ballot::kPairs,
       {{"100025", "suara_paslon_1"},
        {"100026", "suara_paslon_2"},
        {"100027", "suara_paslon_3"}}},
      {"pdpr", "pdpr", Ballot::kParties, {}},
      {"pdprdp", "pdprdp", Ballot::kParties, {}},
      {"pdprdk", "pdprdk", Ballot::kParties, {}},
      {"pdpd", "pdpd", Ballot::kCandidates, {}},
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

bool IsSirekapId(absl::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

bool SirekapRace::AcceptsCandidate(absl::string_view key) const {
  switch (ballot) {
    case Ballot::kPairs:
      return candidates.count(std::string(key)) > 0;
    case Ballot::kCandidates:
      return IsSirekapId(key);
    case Ballot::kParties:
      return ParseSirekapPartyId(key).has_value();
  }
  return false;
}

std::string SirekapRace::FieldOf(absl::string_view key) const {
  switch (ballot) {
    case Ballot::kPairs: {
      auto it = candidates.find(std::string(key));
      return it == candidates.end() ? "" : it->second;
    }
    case Ballot::kCandidates:
      return IsSirekapId(key) ? CandidateField(key) : "";
    case Ballot::kParties: {
      const std::optional<int32_t> party = ParseSirekapPartyId(key);
      return party ? PartyTotalField(*party) : "";
    }
  }
  return "";
}

bool SirekapRace::IsVoteField(absl::string_view field) const {
  if (ballot == Ballot::kPairs) {
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](const auto& pair) { return pair.second == field; });
  }
  // The names' prefixes, from the functions that make the names.
  const std::string party_only = PartyOnlyField(0);
  return absl::StartsWith(field, CandidateField("")) ||
         absl::StartsWith(field, absl::StripSuffix(party_only, "0"));
}

bool SirekapRace::IsBallotField(absl::string_view field) const {
  if (ballot == Ballot::kPairs) return false;
  const std::string party_total = PartyTotalField(0);
  return IsVoteField(field) ||
         absl::StartsWith(field, absl::StripSuffix(party_total, "0"));
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

std::optional<int32_t> ParseSirekapPartyId(absl::string_view key) {
  int32_t id = 0;
  if (key.size() > 3 || !IsSirekapId(key) || key[0] == '0' ||
      !absl::SimpleAtoi(key, &id)) {
    return std::nullopt;
  }
  return id;
}

bool IsSirekapAdministrasiKey(absl::string_view key) {
  for (const char* known : kAdministrasiKeys) {
    if (key == known) return true;
  }
  return false;
}

}  // namespace c1tally
