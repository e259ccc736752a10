// c1ctl: the admin, auditor and OCR command line of c1tally.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "tools/c1ctl/command.h"

ABSL_FLAG(std::string, data, "./data", "data directory of the database");
ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "gRPC address of a running c1tallyd");

namespace c1tally::c1ctl {

int Fail(const absl::Status& status) {
  if (status.ok()) return 0;
  std::cerr << "c1ctl: " << status.message() << "\n";
  return 1;
}

absl::StatusOr<std::unique_ptr<Database>> OpenDataDir(bool read_only) {
  Database::Options options;
  if (read_only) {
    options.read_only = true;
    options.create_if_missing = false;
  }
  return Database::Open(absl::GetFlag(FLAGS_data), options);
}

namespace {

constexpr char kUsage[] = R"(c1ctl GROUP VERB [ARGS] [--flags]

  regions import PATH...   import KPU region JSON (files or folders) and the
                           wilayah CSVs (.csv or .csv.gz) into --data
  regions generate         build a synthetic tree with the national shape
  reference import PATH... import the legislative races' reference data
                           (KPU's parties, dapil and candidate lists, our
                           TPS -> dapil map CSV) into --data
  reference generate       synthetic reference data for the stored tree
  reference ballot|dapil|history   a dapil's ballot, the dapil of a region
                           or TPS, a ballot's replaced versions
  tally verify             recompute every aggregate and re-check the journal
  bench tally              national commit and read benchmark
  bench ocr                OCR speed on the real photos vs a plain decode
  ocr read IMAGE...        read form photos; one JSON object per image
  ocr digits DIR           classify digit-box crops; one JSON object each
                           (DIR/<class>/ crops are labelled: figures on
                           stderr)
  ocr boxes IMAGE... --out DIR [--truth FILE]   the digit box crops of
                           photos, by class when their truth is known
  ocr model show|install|compare|retrain   the installed digit models;
                           retrain learns from verified boxes and installs
                           the candidate only when it is no worse
  ocr eval DIR             accuracy and coverage on generated forms
  forms generate --out DIR generate filled, photographed forms with truth
  audit sirekap check PATH...   check Sirekap JSON files or folders (no
                           server); --json: one object per flagged TPS
  audit sirekap import PATH...  import Sirekap JSON into --data, with history
                           (--fetch_time, default now)
  audit sirekap history CODE    what Sirekap said about a TPS or region, when
  audit compare            verified results vs Sirekap below --region,
                           ranked (--csv for a table)
  bench audit              import and check 823k synthetic Sirekap records
  bench ingest             blob stores (RocksDB blob files vs fsynced files)
                           and whole uploads through a server
  bench pipeline           photos to verified results with 1 and 2 OCR
                           workers and simulated volunteers
  bench http               c1tallyd's web (national JSON, a kelurahan page)
                           vs nginx serving the same bytes, with wrk
  users create NAME        add a user to --data (--roles=uploader,...;
                           password from C1TALLY_PASSWORD or stdin)
  users list | users disable NAME | users token NAME   (--data, offline)
  login USER               get a token from --server (password as above)
  upload --tps CODE FILE...     upload photos to --server (--token or
                           C1TALLY_TOKEN); one JSON line per file
  submissions get NAME | submissions list [--tps CODE] [--uploader NAME]
  review export-crops --out DIR   digit boxes people verified, for
                           train_digits --extra=DIR (--data, read-only)

Run 'c1ctl --helpfull' for every flag.)";

}  // namespace
}  // namespace c1tally::c1ctl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(c1tally::c1ctl::kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  if (args.size() < 2) {
    std::cerr << c1tally::c1ctl::kUsage << "\n";
    return 2;
  }
  const std::string group = args[0];
  args.erase(args.begin());
  if (group == "regions") return c1tally::c1ctl::RunRegions(args);
  if (group == "reference") return c1tally::c1ctl::RunReference(args);
  if (group == "tally") return c1tally::c1ctl::RunTally(args);
  if (group == "bench") return c1tally::c1ctl::RunBench(args);
  if (group == "ocr") return c1tally::c1ctl::RunOcr(args);
  if (group == "forms") return c1tally::c1ctl::RunForms(args);
  if (group == "audit") return c1tally::c1ctl::RunAudit(args);
  if (group == "users") return c1tally::c1ctl::RunUsers(args);
  if (group == "login") return c1tally::c1ctl::RunLogin(args);
  if (group == "upload") return c1tally::c1ctl::RunUpload(args);
  if (group == "submissions") return c1tally::c1ctl::RunSubmissions(args);
  if (group == "review") return c1tally::c1ctl::RunReview(args);
  std::cerr << "c1ctl: unknown group \"" << group << "\"\n"
            << c1tally::c1ctl::kUsage << "\n";
  return 2;
}
