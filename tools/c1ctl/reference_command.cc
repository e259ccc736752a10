// c1ctl reference: the legislative races' reference data of a data
// directory (docs/LEGISLATIVE.md). Offline like `regions import`: the
// server must not be running on it, except for the read-only verbs.
//
//   c1ctl reference import PATH... --data DIR [--import_time=RFC3339]
//       Imports KPU's party list, dapil lists and candidate lists (files or
//       folders) and our TPS -> dapil map CSVs, and prints the report.
//       Exit 0 if everything was written, 3 if something was refused or
//       unplaced (the rest is written), 1 on a fatal error (nothing is
//       written if a source cannot be read at all).
//   c1ctl reference generate --data DIR [--seed=N]
//       Imports synthetic reference data for the (synthetic) region tree
//       of DIR (storage/reference/synthetic_reference.h), for demos, load
//       tests and benchmarks. Refused when DIR holds reference data.
//   c1ctl reference ballot RACE KODE_DAPIL --data DIR
//       Prints a dapil's ballot (parties and candidates) as JSON.
//   c1ctl reference dapil RACE CODE --data DIR
//       Prints the dapil a region or TPS belongs to in RACE.
//   c1ctl reference history RACE KODE_DAPIL --data DIR
//       Prints when a dapil's ballot was replaced and what it said before.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "storage/keys.h"
#include "storage/reference/reference_importer.h"
#include "storage/reference/reference_store.h"
#include "storage/reference/synthetic_reference.h"
#include "tools/c1ctl/command.h"

ABSL_DECLARE_FLAG(uint64_t, seed);  // regions_command.cc

ABSL_FLAG(std::string, import_time, "",
          "reference import: when the files were published (RFC 3339); "
          "the versions it replaces are kept under this time (default now)");

namespace c1tally::c1ctl {
namespace {

constexpr int kExitSomeNotWritten = 3;
constexpr int kExitUsage = 2;

std::string Json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

int Import(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    std::cerr << "c1ctl: reference import needs at least one PATH\n";
    return kExitUsage;
  }
  absl::Time when = absl::Now();
  const std::string given = absl::GetFlag(FLAGS_import_time);
  std::string error;
  if (!given.empty() &&
      !absl::ParseTime(absl::RFC3339_full, given, &when, &error)) {
    std::cerr << "c1ctl: --import_time \"" << given << "\": " << error << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(false);
  if (!db.ok()) return Fail(db.status());
  ReferenceImporter importer(db->get(), when);
  for (const std::string& path : paths) {
    if (absl::Status added = importer.AddPath(path); !added.ok()) {
      return Fail(added);
    }
  }
  absl::StatusOr<ReferenceReport> report = importer.Commit();
  if (!report.ok()) return Fail(report.status());
  std::cout << report->ToString();
  return report->HasErrors() ? kExitSomeNotWritten : 0;
}

int Generate(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "c1ctl: reference generate takes no arguments\n";
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(false);
  if (!db.ok()) return Fail(db.status());
  SyntheticReferenceOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  absl::StatusOr<ReferenceReport> report =
      GenerateSyntheticReference(db->get(), options, absl::Now());
  if (!report.ok()) return Fail(report.status());
  std::cout << report->ToString();
  return 0;
}

int Ballot(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    std::cerr << "c1ctl: reference ballot needs RACE and KODE_DAPIL\n";
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  ReferenceStore store(db->get());
  absl::StatusOr<v1::Ballot> ballot = store.GetBallot(args[0], args[1]);
  if (!ballot.ok()) return Fail(ballot.status());
  std::cout << Json(*ballot);
  return 0;
}

int DapilOf(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    std::cerr << "c1ctl: reference dapil needs RACE and a region or TPS "
                 "CODE\n";
    return kExitUsage;
  }
  absl::StatusOr<RegionCode> code = RegionCode::Parse(args[1]);
  if (!code.ok()) return Fail(code.status());
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  ReferenceStore store(db->get());
  absl::StatusOr<std::string> dapil = store.DapilOf(args[0], *code);
  if (!dapil.ok()) return Fail(dapil.status());
  absl::StatusOr<v1::Dapil> record = store.GetDapil(args[0], *dapil);
  if (!record.ok()) return Fail(record.status());
  std::cout << Json(*record);
  return 0;
}

int History(const std::vector<std::string>& args) {
  if (args.size() != 2) {
    std::cerr << "c1ctl: reference history needs RACE and KODE_DAPIL\n";
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  ReferenceStore store(db->get());
  absl::StatusOr<std::vector<ReferenceStore::Version>> versions =
      store.History(keys::ReferenceBallot(args[0], args[1]));
  if (!versions.ok()) return Fail(versions.status());
  for (const ReferenceStore::Version& version : *versions) {
    std::cout << "replaced "
              << absl::FormatTime(absl::RFC3339_sec, version.replaced_at,
                                  absl::UTCTimeZone())
              << ": ";
    v1::Ballot before;
    if (version.value.empty()) {
      std::cout << "(none before)\n";
    } else if (before.ParseFromString(version.value)) {
      std::cout << Json(before);
    } else {
      std::cout << "(corrupt)\n";
    }
  }
  return 0;
}

}  // namespace

int RunReference(const std::vector<std::string>& args) {
  const std::string verb = args.empty() ? "" : args[0];
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1),
                                      args.end());
  if (verb == "import") return Import(rest);
  if (verb == "generate") return Generate(rest);
  if (verb == "ballot") return Ballot(rest);
  if (verb == "dapil") return DapilOf(rest);
  if (verb == "history") return History(rest);
  std::cerr << "c1ctl: unknown verb \"reference " << verb
            << "\"; use import, generate, ballot, dapil or history\n";
  return kExitUsage;
}

}  // namespace c1tally::c1ctl
