// c1ctl audit: Sirekap as a second source.
//
//   c1ctl audit sirekap check PATH... [--json] [--race=ppwp]
//                                     [--ballots --data DIR]
//       Reads Sirekap per-TPS and aggregate JSON files or folders directly
//       (no server; no database unless --ballots) and prints every flagged
//       TPS, region or dapil: with --json one object per line on stdout,
//       {"tps":CODE,"issues":[...],"details":[...]} ({"region":CODE,...}
//       for region aggregates, {"dapil":KODE,...} for dapil aggregates,
//       "race" added for races other than ppwp). With --ballots the
//       legislative records are also checked against the reference data
//       in --data (opened read-only): dapil_mismatch, unknown_party,
//       not_on_ballot. Files that could not be used go to stderr as
//       {"file":PATH,"error":REASON}, so that stdout holds only flagged
//       records as the contract says; the counts follow on stderr. Exit 0,
//       or 3 when some files could not be used.
//   c1ctl audit sirekap import PATH... --data DIR [--fetch_time=RFC3339]
//       Imports into the database as fetched at --fetch_time (default now),
//       keeping the history. Exit 0, or 3 when some files were rejected
//       (the others are imported).
//   c1ctl audit sirekap history CODE --data DIR [--race=ppwp] [--dapil]
//       Every stored version of a TPS or region (with --dapil: of the
//       aggregate of the dapil CODE), newest first, one JSON object per
//       line.
//   c1ctl audit compare --data DIR [--region=CODE] [--csv [--by_region]]
//       Verified results against Sirekap's latest records below a region
//       (see audit_compare_command.cc).
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "audit/sirekap_audit.h"
#include "audit/sirekap_ballot_checks.h"
#include "audit/sirekap_files.h"
#include "audit/sirekap_importer.h"
#include "audit/sirekap_record.h"
#include "audit/sirekap_store.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "storage/database.h"
#include "storage/reference/reference_store.h"
#include "tools/c1ctl/command.h"

ABSL_FLAG(bool, json, false,
          "audit sirekap check: one JSON object per line (the contract's "
          "format)");
ABSL_FLAG(std::string, race, "ppwp",
          "audit: Sirekap race of files whose path names none; upload: the "
          "race of the form photographed (legislative: typed by people)");
ABSL_FLAG(bool, ballots, false,
          "audit sirekap check: also check legislative records against the "
          "reference data in --data (ballots, the TPS -> dapil map)");
ABSL_FLAG(bool, dapil, false,
          "audit sirekap history: CODE is a kode_dapil (a dapil aggregate)");
ABSL_FLAG(std::string, fetch_time, "",
          "audit sirekap import: when the files were fetched (RFC 3339, "
          "e.g. 2024-02-16T09:00:00Z); default now");

namespace c1tally::c1ctl {

int RunAuditCompare(const std::vector<std::string>& args);

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitSomeRejected = 3;

// Keys in insertion order, so that "tps" leads as in the contract.
using OrderedJson = nlohmann::ordered_json;

std::string Dump(const OrderedJson& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void PrintFinding(const SirekapAudit::Finding& finding, bool json) {
  if (!json) {
    for (const SirekapIssue& issue : finding.issues) {
      std::cout << (finding.is_dapil ? "dapil "
                    : finding.is_tps ? "tps "
                                     : "region ")
                << finding.race << "/" << finding.code << " " << issue.kind
                << ": " << issue.detail << "\n";
    }
    return;
  }
  OrderedJson line = OrderedJson::object();
  line[finding.is_dapil ? "dapil"
       : finding.is_tps ? "tps"
                        : "region"] = finding.code;
  if (finding.race != "ppwp") line["race"] = finding.race;
  line["issues"] = OrderedJson::array();
  line["details"] = OrderedJson::array();
  for (const SirekapIssue& issue : finding.issues) {
    line["issues"].push_back(issue.kind);
    line["details"].push_back(issue.detail);
  }
  std::cout << Dump(line) << "\n";
}

std::string SummaryLine(const SirekapAudit::Summary& summary) {
  std::string text =
      absl::StrCat("tps_records=", summary.tps_records,
                   " aggregate_records=", summary.aggregate_records,
                   " duplicates=", summary.duplicates,
                   " rejected=", summary.rejected.size());
  for (int state = 0; state < kSirekapStateCount; ++state) {
    absl::StrAppend(&text, " ", StateName(static_cast<SirekapState>(state)),
                    "=", summary.states[state]);
  }
  for (const std::string& kind : SirekapIssueKinds()) {
    auto it = summary.issues.find(kind);
    absl::StrAppend(&text, " ", kind, "=",
                    it == summary.issues.end() ? 0 : it->second);
  }
  return text;
}

int Check(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    std::cerr << "c1ctl: audit sirekap check needs at least one PATH\n";
    return kExitUsage;
  }
  absl::StatusOr<std::vector<std::string>> files = ExpandSirekapPaths(paths);
  if (!files.ok()) return Fail(files.status());
  const bool json = absl::GetFlag(FLAGS_json);
  // Reference data only when asked for: the check needs no database.
  std::unique_ptr<Database> db;
  std::optional<ReferenceStore> reference;
  std::optional<SirekapBallotChecks> ballots;
  if (absl::GetFlag(FLAGS_ballots)) {
    absl::StatusOr<std::unique_ptr<Database>> opened = OpenDataDir(true);
    if (!opened.ok()) return Fail(opened.status());
    db = *std::move(opened);
    ballots.emplace(&reference.emplace(db.get()));
  }
  SirekapAudit audit(ballots ? &*ballots : nullptr);
  for (const std::string& file : *files) {
    absl::StatusOr<v1::SirekapRecord> record =
        LoadSirekapFile(file, absl::GetFlag(FLAGS_race), /*keep_raw=*/false);
    if (!record.ok()) {
      audit.Reject(file, std::string(record.status().message()));
      continue;
    }
    audit.Add(*record);
  }
  SirekapAudit::Summary summary;
  for (const SirekapAudit::Finding& finding : audit.Finish(&summary)) {
    PrintFinding(finding, json);
  }
  for (const auto& [file, reason] : summary.rejected) {
    if (json) {
      OrderedJson line = OrderedJson::object();
      line["file"] = file;
      line["error"] = reason;
      std::cerr << Dump(line) << "\n";
    } else {
      std::cout << "rejected " << file << ": " << reason << "\n";
    }
  }
  (json ? std::cerr : std::cout) << SummaryLine(summary) << "\n";
  return summary.rejected.empty() ? 0 : kExitSomeRejected;
}

absl::StatusOr<absl::Time> FetchTime() {
  const std::string text = absl::GetFlag(FLAGS_fetch_time);
  if (text.empty()) return absl::Now();
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--fetch_time \"", text, "\" is not RFC 3339 (", error, ")"));
  }
  return time;
}

int Import(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    std::cerr << "c1ctl: audit sirekap import needs at least one PATH\n";
    return kExitUsage;
  }
  absl::StatusOr<absl::Time> fetch_time = FetchTime();
  if (!fetch_time.ok()) return Fail(fetch_time.status());
  absl::StatusOr<std::vector<std::string>> files = ExpandSirekapPaths(paths);
  if (!files.ok()) return Fail(files.status());
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(false);
  if (!db.ok()) return Fail(db.status());
  SirekapStore store(db->get());
  SirekapImporter importer(&store, *fetch_time, absl::GetFlag(FLAGS_race));
  for (const std::string& file : *files) {
    if (absl::Status added = importer.AddFile(file); !added.ok()) {
      return Fail(added);
    }
  }
  absl::StatusOr<SirekapImportReport> report = importer.Finish();
  if (!report.ok()) return Fail(report.status());
  std::cout << report->ToString();
  return report->rejected.empty() ? 0 : kExitSomeRejected;
}

int History(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "c1ctl: audit sirekap history needs exactly one CODE\n";
    return kExitUsage;
  }
  const bool dapil = absl::GetFlag(FLAGS_dapil);
  absl::StatusOr<RegionCode> code =
      dapil ? absl::StatusOr<RegionCode>(RegionCode())
            : RegionCode::Parse(args[0]);
  if (!code.ok()) return Fail(code.status());
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  SirekapStore store(db->get());
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  const std::string race = absl::GetFlag(FLAGS_race);
  std::string token;
  do {
    absl::StatusOr<Page<v1::SirekapRecord>> page =
        dapil ? store.DapilHistory(race, args[0], kMaxPageSize, token)
              : store.History(race, *code, kMaxPageSize, token);
    if (!page.ok()) return Fail(page.status());
    for (const v1::SirekapRecord& record : page->items) {
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(record, &json, print)
               .ok()) {
        return Fail(absl::InternalError("cannot print a record as JSON"));
      }
      std::cout << json << "\n";
    }
    token = page->next_page_token;
  } while (!token.empty());
  return 0;
}

int RunSirekap(const std::vector<std::string>& args) {
  const std::string verb = args.empty() ? "" : args[0];
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1),
                                      args.end());
  if (verb == "check") return Check(rest);
  if (verb == "import") return Import(rest);
  if (verb == "history") return History(rest);
  std::cerr << "c1ctl: unknown verb \"audit sirekap " << verb
            << "\"; use check, import or history\n";
  return kExitUsage;
}

}  // namespace

int RunAudit(const std::vector<std::string>& args) {
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "sirekap") return RunSirekap(rest);
  if (args[0] == "compare") return RunAuditCompare(rest);
  std::cerr << "c1ctl: unknown verb \"audit " << args[0]
            << "\"; use sirekap or compare\n";
  return kExitUsage;
}

}  // namespace c1tally::c1ctl
