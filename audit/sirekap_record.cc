#include "audit/sirekap_record.h"

#include "absl/strings/str_cat.h"
#include "storage/reference/ballot_form.h"

namespace c1tally {

SirekapState StateOf(const v1::SirekapRecord& record) {
  const bool chart = HasVotes(record);
  const bool administrasi = !record.administrasi().empty();
  if (chart && administrasi) return SirekapState::kComplete;
  if (chart) return SirekapState::kChartOnly;
  if (administrasi) return SirekapState::kAdministrasiOnly;
  return SirekapState::kEmpty;
}

bool HasVotes(const v1::SirekapRecord& record) {
  if (!record.chart().empty()) return true;
  for (const auto& [party, votes] : record.parties()) {
    if (votes.has_total() || votes.has_party_only() ||
        !votes.candidates().empty()) {
      return true;
    }
  }
  return false;
}

std::string SirekapStoredCode(const v1::SirekapRecord& record) {
  return record.dapil_aggregate()
             ? absl::StrCat(kSirekapDapilPrefix, record.kode_dapil())
             : record.code();
}

absl::string_view StateName(SirekapState state) {
  switch (state) {
    case SirekapState::kEmpty:
      return "empty";
    case SirekapState::kChartOnly:
      return "chart_only";
    case SirekapState::kAdministrasiOnly:
      return "administrasi_only";
    case SirekapState::kComplete:
      return "complete";
  }
  return "unknown";
}

std::optional<int64_t> Administrasi(const v1::SirekapRecord& record,
                                    absl::string_view key) {
  auto it = record.administrasi().find(std::string(key));
  if (it == record.administrasi().end()) return std::nullopt;
  return it->second;
}

std::map<std::string, int64_t> FormValues(const v1::SirekapRecord& record,
                                          const SirekapRace& race) {
  std::map<std::string, int64_t> values;
  if (race.form_kind.empty()) return values;
  for (const auto& [id, votes] : record.chart()) {
    const std::string field = race.FieldOf(id);
    if (!field.empty()) values[field] = votes;
  }
  for (const auto& [party, votes] : record.parties()) {
    values.merge(PartyBlockValues(party, votes));
  }
  for (const auto& [key, value] : record.administrasi()) values[key] = value;
  return values;
}

std::map<std::string, int64_t> PartyBlockValues(
    int32_t party, const v1::SirekapRecord::PartyVotes& votes) {
  std::map<std::string, int64_t> values;
  if (votes.has_total()) values[PartyTotalField(party)] = votes.total();
  if (votes.has_party_only())
    values[PartyOnlyField(party)] = votes.party_only();
  for (const auto& [id, count] : votes.candidates()) {
    values[CandidateField(id)] = count;
  }
  return values;
}

}  // namespace c1tally
