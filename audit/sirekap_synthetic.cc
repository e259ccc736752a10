#include "audit/sirekap_synthetic.h"

#include <functional>
#include <random>

#include "absl/strings/str_cat.h"

namespace c1tally {
namespace {

// Uniform in [low, high], with our own arithmetic so that the records are
// the same on every platform.
int64_t Between(std::mt19937_64& random, int64_t low, int64_t high) {
  return low + static_cast<int64_t>(random() % (high - low + 1));
}

// A photo link shaped like Sirekap's (about 140 characters).
std::string ImageUrl(const std::string& tps, std::mt19937_64& random) {
  return absl::StrCat(
      "\"https://sirekap-obj-formc.kpu.go.id/", absl::Hex(random() & 0xffff),
      "/pemilu/ppwp/", tps.substr(0, 2), "/", tps.substr(2, 2), "/",
      tps.substr(4, 2), "/", tps.substr(6, 2), "/", tps.substr(8, 2), "/", tps,
      "-20240215-", Between(random, 100000, 235959), "--",
      absl::Hex(random(), absl::kZeroPad16), "-",
      absl::Hex(random() & 0xffffffff, absl::kZeroPad8), ".jpg\"");
}

// laki-laki / perempuan / jumlah keys for one voter count split in two.
std::string Gendered(const std::string& name, int64_t total,
                     std::mt19937_64& random) {
  const int64_t male = total / 2 + Between(random, -total / 10, total / 10);
  return absl::StrCat("\"", name, "_l\":", male, ",\"", name,
                      "_p\":", total - male, ",\"", name, "_j\":", total);
}

}  // namespace

SyntheticSirekapRecord MakeSyntheticSirekapRecord(const std::string& tps_code,
                                                  uint64_t seed) {
  std::mt19937_64 random(std::hash<std::string>()(tps_code) ^ seed);
  SyntheticSirekapRecord record;
  const int64_t kind = Between(random, 0, 999);
  record.state = kind < 422   ? SirekapState::kEmpty
                 : kind < 535 ? SirekapState::kChartOnly
                 : kind < 652 ? SirekapState::kAdministrasiOnly
                              : SirekapState::kComplete;
  const bool chart = record.state == SirekapState::kChartOnly ||
                     record.state == SirekapState::kComplete;
  const bool administrasi = record.state == SirekapState::kAdministrasiOnly ||
                            record.state == SirekapState::kComplete;

  // A consistent count: roll, turnout, votes split like 2024's result.
  const int64_t dpt = Between(random, 150, 300);
  const int64_t dptb = Between(random, 0, 5);
  const int64_t dpk = Between(random, 0, 3);
  const int64_t used_dpt = dpt * Between(random, 65, 90) / 100;
  const int64_t total = used_dpt + dptb + dpk;
  const int64_t invalid = Between(random, 0, std::min<int64_t>(6, total));
  const int64_t valid = total - invalid;
  const int64_t pair1 = valid * Between(random, 15, 35) / 100;
  const int64_t pair2 = (valid - pair1) * Between(random, 60, 85) / 100;
  int64_t pairs[3] = {pair1, pair2, valid - pair1 - pair2};
  if (record.state == SirekapState::kComplete &&
      Between(random, 0, 9999) < kSyntheticMisreadShare * 10000) {
    // An X or a digit read as another: off by hundreds, still 3 digits.
    pairs[Between(random, 0, 2)] += 100 * Between(random, 1, 3);
    record.chart_misread = true;
  }

  std::string json = "{";
  if (Between(random, 0, 99) < 12) absl::StrAppend(&json, "\"mode\":\"hhcw\",");
  if (chart) {
    absl::StrAppend(&json, "\"chart\":{\"null\":null,\"100025\":", pairs[0],
                    ",\"100026\":", pairs[1], ",\"100027\":", pairs[2], "},");
  } else {
    absl::StrAppend(&json, "\"chart\":null,");
  }
  absl::StrAppend(&json, "\"images\":[");
  for (int slot = 0; slot < 3; ++slot) {
    if (slot > 0) json += ",";
    const bool photo =
        record.state != SirekapState::kEmpty && Between(random, 0, 9) < 9;
    absl::StrAppend(&json, photo ? ImageUrl(tps_code, random) : "null");
  }
  absl::StrAppend(&json, "],");
  if (administrasi) {
    absl::StrAppend(&json, "\"administrasi\":{\"suara_sah\":", valid,
                    ",\"suara_tidak_sah\":", invalid,
                    ",\"suara_total\":", total, ",",
                    Gendered("pemilih_dpt", dpt, random), ",",
                    Gendered("pengguna_dpt", used_dpt, random), ",",
                    Gendered("pengguna_dptb", dptb, random), ",",
                    Gendered("pengguna_non_dpt", dpk, random), ",",
                    Gendered("pengguna_total", total, random), "},");
  } else {
    absl::StrAppend(&json, "\"administrasi\":null,");
  }
  absl::StrAppend(&json, "\"psu\":null,\"ts\":\"2024-02-16 ",
                  absl::Dec(Between(random, 0, 23), absl::kZeroPad2), ":",
                  absl::Dec(Between(random, 0, 59), absl::kZeroPad2), ":",
                  absl::Dec(Between(random, 0, 59), absl::kZeroPad2),
                  "\",\"status_suara\":", chart ? "true" : "false",
                  ",\"status_adm\":", administrasi ? "true" : "false", "}");
  record.json = std::move(json);
  return record;
}

}  // namespace c1tally
