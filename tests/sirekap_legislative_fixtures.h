// Sirekap's legislative JSON in the shapes of ../shared/DOMAIN.md
// ("Legislative races"), made by the tests (no published file may be
// shipped). The numbers fit the fixture reference data
// (testing::ImportFixtureReference): DPR dapil 1101 ACEH I with PKB (1)
// 100281, 100282; Gerindra (2) 100291; Ummat (24) 100301; DPD in 11 with
// 500001, 500002.
#ifndef C1TALLY_TESTS_SIREKAP_LEGISLATIVE_FIXTURES_H_
#define C1TALLY_TESTS_SIREKAP_LEGISLATIVE_FIXTURES_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "audit/sirekap_importer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace c1tally::testing {

// A clean DPR record of a TPS in ACEH I: PKB 10 party-only + 20 + 5 = 35;
// Gerindra 3 + 7 = 10; Ummat 0 + 5 = 5; valid 50, invalid 2, total 52 (the
// numbers of legislative_tally_test's result).
inline nlohmann::json AcehIDprRecord() {
  return nlohmann::json::parse(R"({
    "chart": {"null": null,
              "1": {"jml_suara_total": 35, "jml_suara_partai": 10},
              "2": {"jml_suara_total": 10, "jml_suara_partai": 3},
              "24": {"jml_suara_total": 5, "jml_suara_partai": 0}},
    "caleg": {"1": {"100281": 20, "100282": 5},
              "2": {"100291": 7},
              "24": {"100301": 5}},
    "kode_dapil": "1101",
    "images": ["https://sirekap/dpr-1.jpg", null],
    "administrasi": {"suara_sah": 50, "suara_tidak_sah": 2,
                     "suara_total": 52, "pemilih_dpt_j": 200,
                     "pemilih_dpt_l": 100, "pemilih_dpt_p": 100,
                     "pengguna_dpt_j": 52, "pengguna_dpt_l": 30,
                     "pengguna_dpt_p": 22, "pengguna_dptb_j": 0,
                     "pengguna_non_dpt_j": 0, "pengguna_total_j": 52},
    "psu": null, "ts": "2024-02-16 16:25:10",
    "status_suara": true, "status_adm": true})");
}

// A clean DPD record of a TPS in Aceh: 500001 30, 500002 20; valid 50.
inline nlohmann::json AcehDpdRecord() {
  return nlohmann::json::parse(R"({
    "chart": {"null": null, "500001": 30, "500002": 20},
    "kode_dapil": "11",
    "images": [null, null],
    "administrasi": {"suara_sah": 50, "suara_tidak_sah": 1,
                     "suara_total": 51},
    "psu": "Reguler", "ts": "2024-02-16 17:00:00",
    "status_suara": true, "status_adm": false})");
}

// The aggregate of DPR dapil 1101 (designed: DOMAIN.md gives the table
// keyed by party, each row the candidates and the party's two counts).
inline nlohmann::json AcehIDapilAggregate() {
  return nlohmann::json::parse(R"({
    "ts": "2024-02-17 10:00:00", "mode": "hhcd", "psu": "Reguler",
    "table": {"1": {"100281": 2000, "100282": 500,
                    "jml_suara_total": 3500, "jml_suara_partai": 1000},
              "2": {"100291": 700, "jml_suara_total": 1000,
                    "jml_suara_partai": 300},
              "24": {"100301": 500, "jml_suara_total": 500,
                     "jml_suara_partai": 0}},
    "progres": {"total": 120, "progres": 80}})");
}

// Sirekap's path of a per-TPS record of `race`.
inline std::string SirekapTpsPath(const std::string& race,
                                  const std::string& tps) {
  return absl::StrCat("pemilu/hhcw/", race, "/", tps.substr(0, 2), "/",
                      tps.substr(0, 4), "/", tps.substr(0, 6), "/",
                      tps.substr(0, 10), "/", tps, ".json");
}

// Imports (path, JSON) pairs fetched at `fetch_time` through the importer.
inline SirekapImportReport ImportSirekapTexts(
    SirekapStore* store, absl::Time fetch_time,
    const std::vector<std::pair<std::string, std::string>>& files) {
  SirekapImporter importer(store, fetch_time, "ppwp");
  for (const auto& [path, json] : files) {
    EXPECT_TRUE(importer.AddText(path, json).ok());
  }
  absl::StatusOr<SirekapImportReport> report = importer.Finish();
  EXPECT_TRUE(report.ok()) << report.status();
  return report.value_or(SirekapImportReport());
}

}  // namespace c1tally::testing

#endif  // C1TALLY_TESTS_SIREKAP_LEGISLATIVE_FIXTURES_H_
