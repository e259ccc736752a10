// c1ctl tally verify: recompute aggregates and re-check the journal.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "storage/database.h"
#include "storage/tally_verifier.h"
#include "tools/c1ctl/command.h"

namespace c1tally::c1ctl {
namespace {

int Verify() {
  Database::Options options;
  // Read-only, so that it also runs beside a live c1tallyd.
  options.read_only = true;
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(absl::GetFlag(FLAGS_data), options);
  if (!db.ok()) return Fail(db.status());
  absl::StatusOr<TallyVerification> report = VerifyTally(db->get());
  if (!report.ok()) return Fail(report.status());
  for (const std::string& line : report->differences) {
    std::cout << "DIFF " << line << "\n";
  }
  std::cout << "regions=" << report->regions << " results=" << report->results
            << " aggregates=" << report->aggregates
            << " journal_entries=" << report->journal_entries
            << " differences=" << report->differences.size() << "\n";
  return report->ok() ? 0 : 4;
}

}  // namespace

int RunTally(const std::vector<std::string>& args) {
  if (args[0] == "verify" && args.size() == 1) return Verify();
  std::cerr << "c1ctl: usage: c1ctl tally verify --data DIR\n";
  return 2;
}

}  // namespace c1tally::c1ctl
