// c1ctl regions: import, generate and look up the region tree of a data
// directory (offline: the server must not be running on it, except for
// `get`, which opens the database read-only).
//
//   c1ctl regions import PATH... --data DIR
//       Imports KPU region JSON (files or folders) and the wilayah CSVs and
//       prints the report. Exit 0 if every record was placed, 3 if some
//       were not (the valid ones are written), 1 on a fatal error (nothing
//       is written if a source cannot be read at all).
//   c1ctl regions generate --data DIR [--seed N] [--scale X]
//       Builds a synthetic tree with the national shape in an empty DIR.
//   c1ctl regions get CODE --data DIR
//       Prints a region (with its child and TPS counts) or a TPS as JSON.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "storage/database.h"
#include "storage/region_code.h"
#include "storage/region_import.h"
#include "storage/region_tree.h"
#include "storage/synthetic_tree.h"
#include "tools/c1ctl/command.h"

ABSL_FLAG(uint64_t, seed, 1,
          "regions generate, reference generate: seed of the synthetic data");
ABSL_FLAG(double, scale, 1.0,
          "regions generate: size of the synthetic tree below province level "
          "(1.0 = national, 0.01 = demo)");

namespace c1tally::c1ctl {
namespace {

// Exit code when some records were not written.
constexpr int kExitSomeNotWritten = 3;
// Exit code for a wrong command line.
constexpr int kExitUsage = 2;

int Import(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    std::cerr << "c1ctl: regions import needs at least one PATH\n";
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(false);
  if (!db.ok()) return Fail(db.status());
  RegionImporter importer(db->get());
  // Every source is read before anything is written, so an unreadable one
  // leaves the database as it was.
  for (const std::string& path : paths) {
    if (absl::Status added = importer.AddPath(path); !added.ok()) {
      return Fail(added);
    }
  }
  absl::StatusOr<ImportReport> report = importer.Commit();
  if (!report.ok()) return Fail(report.status());
  std::cout << report->ToString();
  return report->HasErrors() ? kExitSomeNotWritten : 0;
}

int Generate() {
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(false);
  if (!db.ok()) return Fail(db.status());
  SyntheticTreeOptions options;
  options.seed = absl::GetFlag(FLAGS_seed);
  options.scale = absl::GetFlag(FLAGS_scale);
  absl::StatusOr<ImportReport> report =
      GenerateSyntheticTree(db->get(), options);
  if (!report.ok()) return Fail(report.status());
  std::cout << report->ToString();
  return report->HasErrors() ? kExitSomeNotWritten : 0;
}

int PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = true;
  std::string json;
  auto printed =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!printed.ok()) {
    return Fail(absl::InternalError(
        absl::StrCat("cannot print as JSON: ", printed.ToString())));
  }
  std::cout << json;
  return 0;
}

int Get(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "c1ctl: regions get needs exactly one CODE\n";
    return kExitUsage;
  }
  absl::StatusOr<RegionCode> code = RegionCode::Parse(args[0]);
  if (!code.ok()) return Fail(code.status());
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  RegionTree tree(db->get());
  if (code->is_tps()) {
    absl::StatusOr<v1::Tps> tps = tree.GetTps(*code);
    if (!tps.ok()) return Fail(tps.status());
    return PrintJson(*tps);
  }
  absl::StatusOr<v1::Region> region = tree.GetRegion(*code);
  if (!region.ok()) return Fail(region.status());
  return PrintJson(*region);
}

}  // namespace

int RunRegions(const std::vector<std::string>& args) {
  const std::string verb = args.empty() ? "" : args[0];
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1),
                                      args.end());
  if (verb == "import") return Import(rest);
  if (verb == "generate") {
    if (!rest.empty()) {
      std::cerr << "c1ctl: regions generate takes no arguments\n";
      return kExitUsage;
    }
    return Generate();
  }
  if (verb == "get") return Get(rest);
  std::cerr << "c1ctl: unknown verb \"regions " << verb
            << "\"; use import, generate or get\n";
  return kExitUsage;
}

}  // namespace c1tally::c1ctl
