// Parsing of Sirekap's published JSON: per-TPS records and region
// aggregates, with every variant seen in 2024 accepted and anything else
// refused with the reason.
//
// Per-TPS record (file {13-digit code}.json):
//   {"mode":"hhcw","chart":{"null":null,"100025":83,...},
//    "images":[url|null,...],"administrasi":{"suara_sah":228,...}|null,
//    "psu":null,"ts":"2024-02-16 16:25:10","status_suara":true,
//    "status_adm":true}
//   "mode" may be missing, "chart" and "administrasi" may each be null, a
//   chart may be only {"null": null}, image slots may be null.
// Aggregate (file {region code}.json, or {race}.json for the nation):
//   {"ts":...,"psu":"Reguler","mode":"hhcw",
//    "chart":{"100025":n,...,"persen":78.11},
//    "table":{"{child code}":{"psu":...,"100025":n,...,"persen":78.8,
//                             "status_progress":true},...},
//    "progres":{"total":823378,"progres":643124}}
//   Rows of children without counted votes have no candidate keys.
// Legislative races (pdpr, pdprdp, pdprdk; docs/LEGISLATIVE.md):
//   per-TPS {"chart":{"<party>":{"jml_suara_total":n|null,
//            "jml_suara_partai":n|null}|null}|null,
//            "caleg":{"<party>":{"<candidate id>":n|null}|null}|null,
//            "kode_dapil":"1101", ...the ppwp members...}
//   region aggregates as for ppwp, chart and rows keyed by party id;
//   dapil aggregate (pemilu/hhcd/{race}/{kode_dapil}.json)
//           {"ts":...,"mode":"hhcd","psu":...,
//            "table":{"<party>":{"<candidate id>":n,...,
//                                "jml_suara_total":n,"jml_suara_partai":n}},
//            "progres":{"total":n,"progres":n}}
//   DPD (pdpd): the chart is keyed by candidate id as for ppwp, plus
//   "kode_dapil"; "caleg" must be null or absent.
//   Whatever is null or missing (a chart, a caleg block, a party, a count)
//   is "not published" and left out of the record, never 0.
//
// Refused (INVALID_ARGUMENT, the message says where): malformed JSON, a
// top level that is not an object, wrong types, negative numbers,
// fractions where counts belong, counts above kMaxTpsValue (per TPS) or
// kMaxAggregateValue (aggregates), candidate ids the race does not have,
// unknown administrasi keys, a per-TPS record under a code that is not a
// TPS, an aggregate under a TPS code, table rows of regions that are not
// the region's children, party keys that are no party id (1-3 digits, no
// leading zero), unknown keys in a party's block, a kode_dapil that is not
// digits, a caleg block in DPD and a dapil aggregate with per-TPS parts. A
// refused record yields nothing, so a caller never stores half of one.
#ifndef C1TALLY_AUDIT_SIREKAP_PARSER_H_
#define C1TALLY_AUDIT_SIREKAP_PARSER_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c1tally/v1/audit.pb.h"

namespace c1tally {

// Which race and which TPS or region a Sirekap file is about.
struct SirekapLocation {
  // {race, code} names a TPS or region, as callers have always written it.
  SirekapLocation(std::string race = "", std::string code = "",
                  std::string dapil = "")
      : race(std::move(race)), code(std::move(code)), dapil(std::move(dapil)) {}

  std::string race;
  // 13-digit TPS code, or region code ("" = nation).
  std::string code;
  // A dapil aggregate's kode_dapil (the file is in an "hhcd" folder); code
  // is then "".
  std::string dapil;
};

// Reads race and code from a Sirekap path. The code is the file name
// without ".json"; a file named after a race ("ppwp.json") is that race's
// national aggregate. The race is the last folder in the path that names a
// known race (as in pemilu/hhcw/ppwp/...), else `default_race`. Below a
// folder "hhcd" the file is a dapil aggregate named by its kode_dapil.
// Fails when the file name is no code, the race is unknown (or has no
// dapil aggregates: pdpd, ppwp), or the file sits in the folder of a
// region that does not contain the code.
absl::StatusOr<SirekapLocation> LocateSirekapFile(
    absl::string_view path, absl::string_view default_race);

// Parses one file's JSON about `where`. The result has race, code and the
// published fields; fetch_time and raw_json are left for the caller.
absl::StatusOr<v1::SirekapRecord> ParseSirekapRecord(
    absl::string_view json, const SirekapLocation& where);

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_PARSER_H_
