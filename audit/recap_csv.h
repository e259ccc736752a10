// The recap (D.Hasil) of a legislative race as a CSV file: what the
// kecamatan's PPK (or the kabupaten's KPU) wrote down for each unit below
// it, entered by volunteers from the recap's photo or published by KPU.
// The shape (docs/VOTE_MOVES.md) follows the paper form, one row per unit
// and party, the candidates in ballot order:
//
//   race,recap,region,kode_dapil,partai,suara_partai,caleg_1,caleg_2,...
//   pdpr,kecamatan,3273011001,3201,1,41,29,12,3
//
//   race         pdpr, pdprdp, pdprdk or pdpd
//   recap        kecamatan (D.Hasil Kecamatan: a row per kelurahan) or
//                kabupaten (D.Hasil Kabupaten/Kota: a row per kecamatan)
//   region       the unit the row counts, a kelurahan or kecamatan code
//   kode_dapil   the dapil whose ballot the row counts
//   partai       KPU's party id; 0 for DPD (candidates without party)
//   suara_partai the party-only votes; empty for DPD
//   caleg_N      votes of the party's candidate N on the ballot; empty
//                past the party's last candidate
//
// Any number of caleg_N columns, N from 1 without gaps. A file is taken
// whole or not at all (the caller reports it and goes on with the next):
// it is refused, with the line and reason, for a header that is not this
// one, a row with more or fewer cells, an unknown race or recap level, a
// region code of the wrong level, a kode_dapil that is not digits, a party
// id that is not one (0 outside DPD, or DPD with a party), a count that is
// not a whole number, negative or above kMaxRecapValue, a candidate after
// an empty cell, the same unit, dapil and party twice, no rows, and a file
// that does not end with a line break (cut short: the last number may
// have lost digits).
//
// Parsing knows no reference data; RecapValues() checks a row against its
// dapil's ballot.
#ifndef C1TALLY_AUDIT_RECAP_CSV_H_
#define C1TALLY_AUDIT_RECAP_CSV_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/reference.pb.h"

namespace c1tally {

// Largest count a recap row can hold: 999 for each TPS of the largest
// kecamatan (some 1,500 TPS), rounded up generously.
inline constexpr int64_t kMaxRecapValue = 10000000;

// Which recap a row is from.
enum class RecapLevel {
  kKecamatan,  // D.Hasil Kecamatan: rows per kelurahan
  kKabupaten,  // D.Hasil Kabupaten/Kota: rows per kecamatan
};
// "kecamatan", "kabupaten".
absl::string_view RecapLevelName(RecapLevel level);

// One row of a recap file.
struct RecapRow {
  std::string race;
  RecapLevel level = RecapLevel::kKecamatan;
  std::string region;
  std::string dapil;
  int32_t party = 0;
  // Absent for DPD.
  std::optional<int64_t> party_only;
  // Candidate N's votes at index N-1, for the candidates the row lists.
  std::vector<int64_t> candidates;
  // Where the row is in its file (1-based).
  uint32_t line = 0;
};

// Parses a whole recap file (see above). INVALID_ARGUMENT naming the line
// and the reason when any part of it is refused; then nothing is returned.
absl::StatusOr<std::vector<RecapRow>> ParseRecapCsv(absl::string_view text);

// The row's counts under the ballot's field names (suara_partai_{P},
// suara_caleg_{C}: candidate N is the party's N-th on `ballot`).
// INVALID_ARGUMENT when the ballot is of another race or dapil, the party
// is not on it, or the row lists more candidates than the party has (a
// row listing fewer leaves the rest unknown).
absl::StatusOr<std::map<std::string, int64_t>> RecapValues(
    const RecapRow& row, const v1::Ballot& ballot);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_RECAP_CSV_H_
