#include "audit/sirekap_record.h"

namespace c1tally {

SirekapState StateOf(const v1::SirekapRecord& record) {
  const bool chart = !record.chart().empty();
  const bool administrasi = !record.administrasi().empty();
  if (chart && administrasi) return SirekapState::kComplete;
  if (chart) return SirekapState::kChartOnly;
  if (administrasi) return SirekapState::kAdministrasiOnly;
  return SirekapState::kEmpty;
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
  for (const auto& [key, value] : record.administrasi()) values[key] = value;
  return values;
}

}  // namespace c1tally
