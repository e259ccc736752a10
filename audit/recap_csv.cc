#include "audit/recap_csv.h"

#include <set>
#include <tuple>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "storage/csv_reader.h"
#include "storage/reference/ballot_form.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/region_code.h"

namespace c1tally {
namespace {

// The columns before the candidates'.
constexpr const char* kFixedColumns[] = {
    "race", "recap", "region", "kode_dapil", "partai", "suara_partai"};
constexpr size_t kFixedCount = sizeof(kFixedColumns) / sizeof(kFixedColumns[0]);

absl::Status Refused(uint32_t line, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("recap CSV line ", line, ": ", reason));
}

// The number of caleg_N columns of a valid header.
absl::StatusOr<size_t> CandidateColumns(const std::vector<std::string>& header,
                                        uint32_t line) {
  constexpr absl::string_view wanted =
      "race,recap,region,kode_dapil,partai,suara_partai,caleg_1,...";
  if (header.size() <= kFixedCount) {
    return Refused(line, absl::StrCat("the header must be ", wanted));
  }
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string expected =
        i < kFixedCount ? kFixedColumns[i]
                        : absl::StrCat("caleg_", i - kFixedCount + 1);
    if (header[i] != expected) {
      return Refused(line, absl::StrCat("column ", i + 1, " is '", header[i],
                                        "', expected '", expected,
                                        "' (the header must be ", wanted, ")"));
    }
  }
  return header.size() - kFixedCount;
}

absl::StatusOr<int64_t> Count(absl::string_view cell, absl::string_view column,
                              uint32_t line) {
  int64_t value = 0;
  if (cell.empty() || !absl::c_all_of(cell, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(cell, &value)) {
    return Refused(line, absl::StrCat(column, " '", cell,
                                      "' is not a whole number of votes"));
  }
  if (value > kMaxRecapValue) {
    return Refused(
        line, absl::StrCat(column, " ", value, " is above ", kMaxRecapValue,
                           ", no recap can count "
                           "that many"));
  }
  return value;
}

absl::StatusOr<RecapLevel> LevelOf(absl::string_view cell, uint32_t line) {
  if (cell == "kecamatan") return RecapLevel::kKecamatan;
  if (cell == "kabupaten") return RecapLevel::kKabupaten;
  return Refused(line, absl::StrCat("recap '", cell,
                                    "' is neither kecamatan nor kabupaten"));
}

// The row at `line`, whose cells match the header's count.
absl::StatusOr<RecapRow> ParseRow(const std::vector<std::string>& cells,
                                  uint32_t line) {
  RecapRow row;
  row.line = line;
  row.race = cells[0];
  if (!IsLegislativeRace(row.race)) {
    return Refused(line, absl::StrCat("race '", row.race,
                                      "' is not pdpr, pdprdp, pdprdk or pdpd"));
  }
  absl::StatusOr<RecapLevel> level = LevelOf(cells[1], line);
  if (!level.ok()) return level.status();
  row.level = *level;
  // A kecamatan's recap counts its kelurahan, a kabupaten's its kecamatan.
  const v1::RegionLevel unit = row.level == RecapLevel::kKecamatan
                                   ? v1::REGION_LEVEL_KELURAHAN
                                   : v1::REGION_LEVEL_KECAMATAN;
  absl::StatusOr<RegionCode> region = RegionCode::ParseAt(cells[2], unit);
  if (!region.ok()) {
    return Refused(line, absl::StrCat("region '", cells[2], "' is not a ",
                                      RegionCode::LevelName(unit), " code (",
                                      region.status().message(), ")"));
  }
  row.region = cells[2];
  row.dapil = cells[3];
  if (row.dapil.empty() || !absl::c_all_of(row.dapil, absl::ascii_isdigit)) {
    return Refused(line,
                   absl::StrCat("kode_dapil '", row.dapil, "' is not digits"));
  }
  absl::StatusOr<int64_t> party = Count(cells[4], "partai", line);
  if (!party.ok()) return party.status();
  const bool has_parties = RaceHasParties(row.race);
  if (*party > 999 || (*party == 0) == has_parties) {
    return Refused(line, has_parties ? absl::StrCat("partai '", cells[4],
                                                    "' is no party id")
                                     : std::string("a DPD row has partai 0"));
  }
  row.party = static_cast<int32_t>(*party);
  if (has_parties) {
    absl::StatusOr<int64_t> party_only = Count(cells[5], "suara_partai", line);
    if (!party_only.ok()) return party_only.status();
    row.party_only = *party_only;
  } else if (!cells[5].empty()) {
    return Refused(line, "a DPD row has no suara_partai");
  }
  for (size_t i = kFixedCount; i < cells.size(); ++i) {
    const std::string column = absl::StrCat("caleg_", i - kFixedCount + 1);
    if (cells[i].empty()) {
      for (size_t rest = i + 1; rest < cells.size(); ++rest) {
        if (!cells[rest].empty()) {
          return Refused(line, absl::StrCat(column, " is empty but caleg_",
                                            rest - kFixedCount + 1, " is not"));
        }
      }
      break;
    }
    absl::StatusOr<int64_t> votes = Count(cells[i], column, line);
    if (!votes.ok()) return votes.status();
    row.candidates.push_back(*votes);
  }
  return row;
}

}  // namespace

absl::string_view RecapLevelName(RecapLevel level) {
  return level == RecapLevel::kKecamatan ? "kecamatan" : "kabupaten";
}

absl::StatusOr<std::vector<RecapRow>> ParseRecapCsv(absl::string_view text) {
  if (text.empty()) return Refused(1, "the file is empty");
  if (text.back() != '\n') {
    return absl::InvalidArgumentError(
        "recap CSV: the file does not end with a line break; it was cut "
        "short (the last number may have lost digits)");
  }
  CsvReader reader(text);
  std::vector<std::string> cells;
  uint32_t line = 0;
  std::string error;
  if (!reader.Next(&cells, &line, &error)) return Refused(1, "no header");
  if (!error.empty()) return Refused(line, error);
  absl::StatusOr<size_t> candidates = CandidateColumns(cells, line);
  if (!candidates.ok()) return candidates.status();
  const size_t width = kFixedCount + *candidates;

  std::vector<RecapRow> rows;
  std::set<
      std::tuple<std::string, RecapLevel, std::string, std::string, int32_t>>
      seen;
  while (reader.Next(&cells, &line, &error)) {
    if (!error.empty()) return Refused(line, error);
    if (cells.size() != width) {
      return Refused(line, absl::StrCat("the row has ", cells.size(),
                                        " cells, the header ", width));
    }
    absl::StatusOr<RecapRow> row = ParseRow(cells, line);
    if (!row.ok()) return row.status();
    if (!seen.insert(
                 {row->race, row->level, row->region, row->dapil, row->party})
             .second) {
      return Refused(line, absl::StrCat("region ", row->region, ", dapil ",
                                        row->dapil, ", partai ", row->party,
                                        " is on an earlier line too"));
    }
    rows.push_back(*std::move(row));
  }
  if (rows.empty()) return Refused(line, "the file has no rows");
  return rows;
}

absl::StatusOr<std::map<std::string, int64_t>> RecapValues(
    const RecapRow& row, const v1::Ballot& ballot) {
  if (ballot.race() != row.race || ballot.dapil() != row.dapil) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", row.line, ": the ballot is of ", ballot.race(), " dapil ",
        ballot.dapil(), ", the row of ", row.race, " dapil ", row.dapil));
  }
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    if (list.party_id() != row.party) continue;
    if (row.candidates.size() > static_cast<size_t>(list.candidates_size())) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", row.line, ": partai ", row.party, " has ",
                       list.candidates_size(), " candidates in dapil ",
                       row.dapil, ", the row lists ", row.candidates.size()));
    }
    std::map<std::string, int64_t> values;
    if (row.party_only.has_value()) {
      values[PartyOnlyField(row.party)] = *row.party_only;
    }
    for (size_t i = 0; i < row.candidates.size(); ++i) {
      values[CandidateField(list.candidates(static_cast<int>(i)).id())] =
          row.candidates[i];
    }
    return values;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "line ", row.line, ": partai ", row.party,
      " is not on the ballot of dapil ", row.dapil, " (", row.race, ")"));
}

}  // namespace c1tally
