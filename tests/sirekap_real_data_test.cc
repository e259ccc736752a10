// The checks on KPU's real Sirekap records in ../shared/data/sirekap.
//
// The expected counts are not the program's output copied in: the test
// derives them itself by reading the same files with plain nlohmann::json
// and applying DOMAIN.md's arithmetic in straight-line code that shares
// nothing with audit/ (no parser, no protos). A few records are also
// checked against numbers read off the files by hand.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "audit/sirekap_audit.h"
#include "audit/sirekap_comparison.h"
#include "audit/sirekap_files.h"
#include "audit/sirekap_importer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "storage/form_kind.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

std::string SirekapDir() {
  const std::string shared = testing::SharedDataDir();
  return shared.empty() ? "" : shared + "/sirekap";
}

#define SKIP_WITHOUT_DATA() \
  C1TALLY_NEED(!SirekapDir().empty(), "../shared/data/sirekap")

// What the independent reading of one per-TPS file found.
struct Expected {
  std::string state;
  std::set<std::string> issues;
};

// DOMAIN.md's arithmetic over the raw JSON of one per-TPS record.
Expected Derive(const nlohmann::json& record) {
  const nlohmann::json& chart = record["chart"];
  const nlohmann::json& adm = record["administrasi"];
  // Candidate votes are the chart's numeric values ("null" is null).
  long long chart_sum = 0;
  int candidates = 0;
  if (chart.is_object()) {
    for (auto& [key, value] : chart.items()) {
      if (value.is_number()) {
        chart_sum += value.get<long long>();
        ++candidates;
      }
    }
  }
  const bool has_adm = adm.is_object() && !adm.empty();
  Expected expected;
  expected.state = candidates > 0 ? (has_adm ? "complete" : "chart_only")
                                  : (has_adm ? "administrasi_only" : "empty");
  auto get = [&](const char* key) -> long long {
    return has_adm && adm.contains(key) && adm[key].is_number()
               ? adm[key].get<long long>()
               : -1;
  };
  const long long sah = get("suara_sah"), tidak_sah = get("suara_tidak_sah"),
                  total = get("suara_total");
  if (candidates < 3 || sah < 0 || tidak_sah < 0 || total < 0) {
    expected.issues.insert("incomplete");
  }
  if (candidates == 3 && sah >= 0 && chart_sum != sah) {
    expected.issues.insert("chart_sum_mismatch");
  }
  if (sah >= 0 && tidak_sah >= 0 && total >= 0 && sah + tidak_sah != total) {
    expected.issues.insert("total_mismatch");
  }
  // The ballots the record shows: the largest of its three ways to say it.
  const long long invalid = tidak_sah < 0 ? 0 : tidak_sah;
  long long votes = -1;
  if (total >= 0) votes = total;
  if (sah >= 0 && sah + invalid > votes) votes = sah + invalid;
  if (candidates > 0 && chart_sum + invalid > votes) {
    votes = chart_sum + invalid;
  }
  if (get("pemilih_dpt_j") >= 0 && votes >= 0) {
    long long voters = get("pemilih_dpt_j");
    if (get("pengguna_dptb_j") > 0) voters += get("pengguna_dptb_j");
    if (get("pengguna_non_dpt_j") > 0) voters += get("pengguna_non_dpt_j");
    if (votes > voters) expected.issues.insert("votes_above_voters");
  }
  bool above = votes > 306;
  if (chart.is_object()) {
    for (auto& [key, value] : chart.items()) {
      above |= value.is_number() && value.get<long long>() > 306;
    }
  }
  if (has_adm) {
    for (auto& [key, value] : adm.items()) {
      above |= value.is_number() && value.get<long long>() > 306;
    }
  }
  if (above) expected.issues.insert("above_tps_capacity");
  if (total >= 0 && get("pengguna_total_j") >= 0 &&
      total != get("pengguna_total_j")) {
    expected.issues.insert("voters_mismatch");
  }
  if (get("pengguna_dpt_j") >= 0 && get("pengguna_dptb_j") >= 0 &&
      get("pengguna_non_dpt_j") >= 0 && get("pengguna_total_j") >= 0 &&
      get("pengguna_dpt_j") + get("pengguna_dptb_j") +
              get("pengguna_non_dpt_j") !=
          get("pengguna_total_j")) {
    expected.issues.insert("voters_sum_mismatch");
  }
  for (std::string group : {"pemilih_dpt", "pengguna_dpt", "pengguna_dptb",
                            "pengguna_non_dpt", "pengguna_total"}) {
    const long long l = get((group + "_l").c_str());
    const long long p = get((group + "_p").c_str());
    const long long j = get((group + "_j").c_str());
    if (l >= 0 && p >= 0 && j >= 0 && l + p != j) {
      expected.issues.insert("gender_sum_mismatch");
    }
  }
  return expected;
}

struct Tally {
  std::map<std::string, int> states;
  std::map<std::string, int> issues;
  std::map<std::string, std::set<std::string>> by_tps;
};

Tally DeriveFolder(const std::string& dir) {
  Tally tally;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    const nlohmann::json record = nlohmann::json::parse(in);
    const Expected expected = Derive(record);
    const std::string code = entry.path().stem().string();
    ++tally.states[expected.state];
    for (const std::string& issue : expected.issues) ++tally.issues[issue];
    if (!expected.issues.empty()) tally.by_tps[code] = expected.issues;
  }
  return tally;
}

SirekapAudit::Summary Audit(const std::vector<std::string>& paths,
                            std::vector<SirekapAudit::Finding>* findings) {
  absl::StatusOr<std::vector<std::string>> files = ExpandSirekapPaths(paths);
  EXPECT_TRUE(files.ok()) << files.status();
  SirekapAudit audit;
  for (const std::string& file : files.value_or(std::vector<std::string>())) {
    absl::StatusOr<v1::SirekapRecord> record =
        LoadSirekapFile(file, "ppwp", /*keep_raw=*/false);
    if (record.ok()) {
      audit.Add(*record);
    } else {
      audit.Reject(file, std::string(record.status().message()));
    }
  }
  SirekapAudit::Summary summary;
  *findings = audit.Finish(&summary);
  return summary;
}

TEST(SirekapRealDataTest, ThousandTpsOfJakarta) {
  SKIP_WITHOUT_DATA();
  const std::string dir = SirekapDir() + "/ppwp-tps-2024-02-16";
  const Tally expected = DeriveFolder(dir);
  std::vector<SirekapAudit::Finding> findings;
  const SirekapAudit::Summary summary = Audit({dir}, &findings);

  EXPECT_EQ(summary.tps_records, 1000);
  EXPECT_EQ(summary.aggregate_records, 0);
  EXPECT_TRUE(summary.rejected.empty());
  for (int state = 0; state < kSirekapStateCount; ++state) {
    const std::string name(StateName(static_cast<SirekapState>(state)));
    EXPECT_EQ(summary.states[state],
              expected.states.count(name) ? expected.states.at(name) : 0)
        << name;
  }
  for (const std::string& kind : SirekapIssueKinds()) {
    const int want = expected.issues.count(kind) ? expected.issues.at(kind) : 0;
    const int64_t got =
        summary.issues.count(kind) ? summary.issues.at(kind) : 0;
    EXPECT_EQ(got, want) << kind;
  }
  // Flagged TPS by TPS, not just in total.
  std::map<std::string, std::set<std::string>> found;
  for (const SirekapAudit::Finding& finding : findings) {
    for (const SirekapIssue& issue : finding.issues) {
      found[finding.code].insert(issue.kind);
    }
  }
  EXPECT_EQ(found, expected.by_tps);
  // Every state and the main issue kinds occur in the real data, so the
  // comparison above is not vacuous.
  EXPECT_EQ(expected.states.size(), 4u);
  EXPECT_GT(expected.issues.at("chart_sum_mismatch"), 0);
  EXPECT_GT(expected.issues.at("above_tps_capacity"), 0);
}

TEST(SirekapRealDataTest, RecordsCheckedByHand) {
  SKIP_WITHOUT_DATA();
  std::vector<SirekapAudit::Finding> findings;
  Audit({SirekapDir() + "/ppwp-tps-310101"}, &findings);
  std::map<std::string, std::vector<std::string>> by_tps;
  for (const SirekapAudit::Finding& finding : findings) {
    for (const SirekapIssue& issue : finding.issues) {
      by_tps[finding.code].push_back(issue.kind);
    }
  }
  // 3101011003008: chart 71 + 641 + 511 = 1223, suara_sah 185; 1223 + 1
  // invalid > 213 DPT + 4 DPTb + 4 DPK, and 641 > 306 ballots.
  EXPECT_THAT(by_tps["3101011003008"],
              ElementsAre("chart_sum_mismatch", "votes_above_voters",
                          "above_tps_capacity"));
  // 3101011001003: chart 86 + 119 + 38 = 243, suara_sah 235; pengguna DPT
  // 116 men + 126 women = 242, jumlah 237.
  EXPECT_THAT(by_tps["3101011001003"],
              ElementsAre("chart_sum_mismatch", "gender_sum_mismatch"));
  // 3101011001004: chart and administrasi both null.
  EXPECT_THAT(by_tps["3101011001004"], ElementsAre("incomplete"));
}

TEST(SirekapRealDataTest, OverlappingFoldersCountEachTpsOnce) {
  SKIP_WITHOUT_DATA();
  // The 53 records of 310101 are also among the 1,000.
  std::vector<SirekapAudit::Finding> findings;
  const SirekapAudit::Summary summary =
      Audit({SirekapDir() + "/ppwp-tps-2024-02-16",
             SirekapDir() + "/ppwp-tps-310101"},
            &findings);
  EXPECT_EQ(summary.tps_records, 1000);
  EXPECT_EQ(summary.duplicates, 53);
}

TEST(SirekapRealDataTest, AggregateTree) {
  SKIP_WITHOUT_DATA();
  const std::string dir = SirekapDir() + "/kpu-tree-pemilu";
  // Count the files by kind and check every aggregate's chart against its
  // rows and its rows against the children's files, independently.
  int aggregates = 0, tps = 0, internal = 0, child = 0, compared = 0;
  std::map<std::string, nlohmann::json> by_code;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string code = entry.path().stem().string();
    if (code == "ppwp") code = "";
    by_code[code] = nlohmann::json::parse(in);
  }
  const std::vector<std::string> pairs = {"100025", "100026", "100027"};
  for (const auto& [code, record] : by_code) {
    if (!record.contains("table")) {
      ++tps;
      continue;
    }
    ++aggregates;
    for (const std::string& pair : pairs) {
      long long sum = 0;
      for (auto& [row_code, row] : record["table"].items()) {
        if (row.contains(pair)) sum += row[pair].get<long long>();
      }
      internal += sum != record["chart"][pair].get<long long>();
    }
    for (auto& [row_code, row] : record["table"].items()) {
      auto found = by_code.find(row_code);
      if (found == by_code.end() || !row.contains(pairs[0])) continue;
      ++compared;
      for (const std::string& pair : pairs) {
        if (row[pair] != found->second["chart"][pair]) {
          ++child;
          break;
        }
      }
    }
  }
  std::vector<SirekapAudit::Finding> findings;
  const SirekapAudit::Summary summary = Audit({dir}, &findings);
  EXPECT_EQ(summary.aggregate_records, aggregates);
  EXPECT_EQ(summary.tps_records, tps);
  EXPECT_TRUE(summary.rejected.empty());
  EXPECT_GT(compared, 0);  // rows that do have a child file to compare with
  const auto count = [&](const char* kind) {
    return summary.issues.count(kind) ? summary.issues.at(kind) : 0;
  };
  EXPECT_EQ(count("aggregate_sum_mismatch") > 0, internal > 0);
  EXPECT_EQ(count("aggregate_child_mismatch") > 0, child > 0);
}

TEST(SirekapRealDataTest, RegionListsAreNotSirekapRecords) {
  SKIP_WITHOUT_DATA();
  // KPU's region lists are JSON arrays: each is refused, none is dropped
  // silently.
  const std::string dir = SirekapDir() + "/kpu-tree-wilayah";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    files += entry.is_regular_file() && entry.path().extension() == ".json";
  }
  std::vector<SirekapAudit::Finding> findings;
  const SirekapAudit::Summary summary = Audit({dir}, &findings);
  EXPECT_EQ(static_cast<int>(summary.rejected.size()), files);
  EXPECT_EQ(summary.tps_records + summary.aggregate_records, 0);
}

TEST(SirekapRealDataTest, ImportedAndComparedWithNoVerifiedResults) {
  SKIP_WITHOUT_DATA();
  const std::string dir = SirekapDir() + "/ppwp-tps-2024-02-16";
  // Independently: the records with any number, per kabupaten.
  std::map<std::string, int64_t> with_numbers;
  int64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    if (Derive(nlohmann::json::parse(in)).state == "empty") continue;
    ++with_numbers[entry.path().stem().string().substr(0, 4)];
    ++total;
  }
  testing::TempDir scratch;
  auto db = testing::OpenDatabase(scratch.Sub("db"));
  SirekapStore store(db.get());
  SirekapImporter importer(&store, absl::FromUnixSeconds(1708074000), "ppwp");
  absl::StatusOr<std::vector<std::string>> files = ExpandSirekapPaths({dir});
  ASSERT_TRUE(files.ok());
  for (const std::string& file : *files) {
    ASSERT_TRUE(importer.AddFile(file).ok());
  }
  absl::StatusOr<SirekapImportReport> report = importer.Finish();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->imported, 1000);

  absl::StatusOr<FormKinds> kinds = FormKinds::Builtin();
  ASSERT_TRUE(kinds.ok());
  absl::StatusOr<SirekapComparison> comparison = CompareWithSirekap(
      db.get(), store, **kinds->Find("ppwp"), *RegionCode::Parse("31"));
  ASSERT_TRUE(comparison.ok()) << comparison.status();
  // Nothing verified yet: every TPS Sirekap has numbers for is only theirs.
  EXPECT_EQ(comparison->total.tps_only_sirekap(), total);
  EXPECT_EQ(comparison->total.tps_compared(), 0);
  EXPECT_EQ(static_cast<int64_t>(comparison->tps.size()), total);
  ASSERT_EQ(comparison->children.size(), with_numbers.size());
  for (const v1::RegionDiscrepancy& child : comparison->children) {
    EXPECT_EQ(child.tps_only_sirekap(), with_numbers[child.code()])
        << child.code();
  }
}

TEST(SirekapRealDataTest, CheckCommandPrintsTheContractFormat) {
  SKIP_WITHOUT_DATA();
  const std::string dir = SirekapDir() + "/ppwp-tps-2024-02-16";
  const Tally expected = DeriveFolder(dir);
  testing::ProgramResult result =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "audit", "sirekap",
                           "check", dir, "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(result.output, '\n')) {
    if (line.empty() || line[0] != '{') continue;
    const nlohmann::json parsed = nlohmann::json::parse(line);
    ASSERT_TRUE(parsed.contains("tps")) << line;
    ASSERT_TRUE(parsed["issues"].is_array()) << line;
    const std::string tps = parsed["tps"];
    std::set<std::string> issues(parsed["issues"].begin(),
                                 parsed["issues"].end());
    EXPECT_EQ(issues, expected.by_tps.at(tps)) << tps;
    ++lines;
  }
  EXPECT_EQ(lines, static_cast<int>(expected.by_tps.size()));
}

TEST(SirekapRealDataTest, CheckCommandReportsBadFilesAndGoesOn) {
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("3101011001001.json"),
                     R"({"chart":{"100025":1,"100026":2,"100027":3},
                         "administrasi":{"suara_sah":7,"suara_tidak_sah":0,
                                         "suara_total":7}})");
  testing::WriteFile(dir.Sub("3101011001002.json"), R"({"chart":{"100025":)");
  testing::WriteFile(dir.Sub("3101011001.json"),
                     R"({"administrasi":{"suara_sah":1}})");
  testing::ProgramResult result =
      testing::RunProgram({testing::BinaryPath("c1ctl"), "audit", "sirekap",
                           "check", dir.path(), "--json"});
  EXPECT_EQ(result.exit_code, 3) << result.output;
  std::map<std::string, nlohmann::json> by_key;
  for (absl::string_view line : absl::StrSplit(result.output, '\n')) {
    if (line.empty() || line[0] != '{') continue;
    nlohmann::json parsed = nlohmann::json::parse(line);
    by_key[parsed.contains("tps") ? std::string(parsed["tps"])
                                  : std::string(parsed["file"])] = parsed;
  }
  ASSERT_EQ(by_key.size(), 3u) << result.output;
  // 1 + 2 + 3 = 6 != 7.
  EXPECT_THAT(by_key["3101011001001"]["issues"],
              Contains("chart_sum_mismatch"));
  EXPECT_THAT(std::string(by_key[dir.Sub("3101011001002.json")]["error"]),
              ::testing::HasSubstr("malformed JSON"));
  EXPECT_THAT(std::string(by_key[dir.Sub("3101011001.json")]["error"]),
              ::testing::HasSubstr("not a TPS"));
}

}  // namespace
}  // namespace c1tally
