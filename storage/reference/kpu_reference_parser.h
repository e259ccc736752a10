// KpuReferenceParser: KPU's reference files of the legislative races, in
// the shapes DOMAIN.md ("Legislative races") gives, turned into records.
// Pure functions over text; nothing here reads files or the database.
//
//   pemilu/partai.json                        the parties
//   wilayah/pemilu/pdpr/dapil_dpr.json        DPR's dapil list
//   wilayah/pemilu/pdprdp/{prov}.json         a province's DPRD-provinsi dapil
//   wilayah/pemilu/pdprdk/{prov}/{kab}.json   a kabupaten's DPRD-kab/kota dapil
//   pemilu/caleg/partai/{kode_dapil}.json     a dapil's candidates per party
//   pemilu/caleg/dpd/{prov}.json              a province's DPD candidates
//   *.csv                                     our TPS -> dapil map:
//                                             race,kode_dapil,wilayah
//
// Numbers may come as JSON numbers or digit strings (KPU publishes both).
// Every function refuses the whole text with INVALID_ARGUMENT and the
// reason when any record in it is malformed, so that a file is imported
// whole or not at all.
#ifndef C1TALLY_STORAGE_REFERENCE_KPU_REFERENCE_PARSER_H_
#define C1TALLY_STORAGE_REFERENCE_KPU_REFERENCE_PARSER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/reference.pb.h"

namespace c1tally {

// The legislative races, by Sirekap's folder name.
inline constexpr const char* kLegislativeRaces[] = {"pdpr", "pdprdp", "pdprdk",
                                                    "pdpd"};
bool IsLegislativeRace(absl::string_view race);
// DPD's ballots list candidates without parties; the others, parties.
inline bool RaceHasParties(absl::string_view race) { return race != "pdpd"; }

// What a reference file holds, known from its path.
struct ReferenceSource {
  enum class Kind { kParties, kDapilList, kCandidates, kDpdCandidates, kMap };
  Kind kind;
  // The race of a dapil list; "" where the path does not say (a candidate
  // list is named by its dapil only).
  std::string race;
  // The dapil of a candidate list, the province of a DPD candidate list.
  std::string code;
};
// INVALID_ARGUMENT for a path that is none of the shapes above.
absl::StatusOr<ReferenceSource> ReferenceSourceOf(absl::string_view path);

// partai.json: an object keyed by party id.
absl::StatusOr<std::vector<v1::Party>> ParseParties(absl::string_view json);

// A dapil list of `race`: pdpr's [{"id","nama","kode"}], the others'
// [{"id_dapil","kode_dapil","nama_dapil"}] (either is accepted for any
// race). A code listed twice is refused.
absl::StatusOr<std::vector<v1::Dapil>> ParseDapilList(absl::string_view race,
                                                      absl::string_view json);

// A dapil's candidates: {"<party id>":{"<candidate id>":{"nama",
// "nomor_urut","jenis_kelamin","tempat_tinggal"}}}. The ballot's race is
// left empty (the importer knows it from the dapil); parties come in id
// order, candidates in ballot order. Refused: a party or candidate id that
// is not a number, two candidates with one ballot number in a party, a
// candidate twice.
absl::StatusOr<v1::Ballot> ParseCandidates(absl::string_view dapil,
                                           absl::string_view json);

// A province's DPD candidates: {"<candidate id>":{"nama","nomor_urut",
// ...}}, as one party list with party_id 0; race "pdpd", dapil = province.
absl::StatusOr<v1::Ballot> ParseDpdCandidates(absl::string_view province,
                                              absl::string_view json);

// One row of the TPS -> dapil map.
struct DapilArea {
  std::string race;
  std::string dapil;
  // A region or TPS code: it and everything below it belong to `dapil`
  // unless a deeper row says otherwise.
  std::string region;
  uint32_t line = 0;
};
// The map's rows, and the rows refused (with line and reason) beside them:
// a row is refused alone, the others still count. The header
// "race,kode_dapil,wilayah" is required.
struct DapilMap {
  std::vector<DapilArea> areas;
  std::vector<std::string> refused;
};
absl::StatusOr<DapilMap> ParseDapilMap(absl::string_view csv);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_KPU_REFERENCE_PARSER_H_
