#include "tools/bench/audit_bench.h"

#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/sirekap_audit.h"
#include "audit/sirekap_comparison.h"
#include "audit/sirekap_importer.h"
#include "audit/sirekap_store.h"
#include "audit/sirekap_synthetic.h"
#include "storage/database.h"
#include "storage/form_kind.h"
#include "storage/sample_results.h"
#include "storage/status_macros.h"
#include "storage/synthetic_tree.h"
#include "storage/tally_store.h"
#include "tools/bench/bench_util.h"

namespace c1tally {
namespace {

// Fetch time of the benchmark's one Sirekap fetch (16 Feb 2024, 09:00 UTC).
constexpr int64_t kFetchSeconds = 1708074000;
constexpr uint64_t kSeed = 2024;

// Every TPS code of the tree, in code order (set-up, not timed).
absl::StatusOr<std::vector<std::string>> TpsCodes(Database* db) {
  std::vector<std::string> codes;
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kTps);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    codes.emplace_back(View(it->key()));
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "listing TPS"));
  return codes;
}

// What the generator made, to hold the check to.
struct Made {
  int64_t incomplete = 0;
  int64_t misread = 0;
  int64_t bytes = 0;
};

// Imports one record per TPS; only the importer's calls are timed.
absl::StatusOr<SirekapImportReport> Import(
    Database* db, const std::vector<std::string>& codes, Made* made,
    double* seconds) {
  SirekapStore store(db);
  SirekapImporter importer(&store, absl::FromUnixSeconds(kFetchSeconds),
                           "ppwp");
  std::vector<std::pair<std::string, std::string>> batch;
  double timed = 0;
  for (size_t start = 0; start < codes.size();
       start += SirekapImporter::kBatch) {
    batch.clear();
    for (size_t i = start;
         i < std::min(codes.size(), start + SirekapImporter::kBatch); ++i) {
      SyntheticSirekapRecord record =
          MakeSyntheticSirekapRecord(codes[i], kSeed);
      made->incomplete += record.state != SirekapState::kComplete;
      made->misread += record.chart_misread;
      made->bytes += static_cast<int64_t>(record.json.size());
      batch.emplace_back(codes[i] + ".json", std::move(record.json));
    }
    Stopwatch watch;
    for (const auto& [path, json] : batch) {
      RETURN_IF_ERROR(importer.AddText(path, json));
    }
    timed += watch.seconds();
  }
  Stopwatch watch;
  absl::StatusOr<SirekapImportReport> report = importer.Finish();
  *seconds = timed + watch.seconds();
  return report;
}

// Reads every latest record back and checks it.
absl::StatusOr<SirekapAudit::Summary> Check(Database* db) {
  SirekapStore store(db);
  SirekapAudit audit;
  RETURN_IF_ERROR(store.ForEachLatestTps(
      "ppwp", RegionCode(), [&audit](const v1::SirekapRecord& record) {
        audit.Add(record);
        return absl::OkStatus();
      }));
  SirekapAudit::Summary summary;
  audit.Finish(&summary);
  return summary;
}

// Verified results for every `every`-th TPS, as the crowd might have them
// part way through the count (set-up, not timed).
absl::Status SeedVerifiedResults(Database* db,
                                 const std::vector<std::string>& codes,
                                 size_t every) {
  ASSIGN_OR_RETURN(FormKinds kinds, FormKinds::Builtin());
  ASSIGN_OR_RETURN(std::unique_ptr<TallyStore> store,
                   TallyStore::Open(db, &kinds));
  std::vector<v1::TpsResult> batch;
  for (size_t i = 0; i < codes.size(); i += every) {
    batch.push_back(SamplePpwpResult(codes[i], kSeed));
    if (batch.size() == TallyStore::kMaxBatch || i + every >= codes.size()) {
      ASSIGN_OR_RETURN(TallyStore::Outcome set,
                       store->SetResults(std::move(batch)));
      batch.clear();
    }
  }
  return absl::OkStatus();
}

int64_t IssueCount(const SirekapAudit::Summary& summary, const char* kind) {
  auto it = summary.issues.find(kind);
  return it == summary.issues.end() ? 0 : it->second;
}

}  // namespace

absl::Status RunAuditBench(const AuditBenchOptions& bench) {
  std::unique_ptr<ScratchDir> scratch;
  const std::string dir = BenchDir(bench.dir, "c1tally-bench-audit", &scratch);
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(dir, Database::Options()));
  SyntheticTreeOptions tree_options;
  tree_options.scale = bench.scale;
  absl::StatusOr<ImportReport> tree =
      GenerateSyntheticTree(db.get(), tree_options);
  if (!tree.ok()) return tree.status();
  ASSIGN_OR_RETURN(std::vector<std::string> codes, TpsCodes(db.get()));
  std::cerr << "tree: " << codes.size() << " TPS\n";

  Made made;
  double import_s = 0;
  ASSIGN_OR_RETURN(SirekapImportReport report,
                   Import(db.get(), codes, &made, &import_s));
  std::cerr << "imported " << report.imported << " records ("
            << made.bytes / (1 << 20) << " MB of JSON) in " << import_s
            << " s; rejected " << report.rejected.size() << "\n";

  Stopwatch check_watch;
  ASSIGN_OR_RETURN(SirekapAudit::Summary summary, Check(db.get()));
  const double check_s = check_watch.seconds();
  // The national comparison with a tenth of the TPS verified.
  RETURN_IF_ERROR(SeedVerifiedResults(db.get(), codes, 10));
  ASSIGN_OR_RETURN(FormKinds kinds, FormKinds::Builtin());
  SirekapStore store(db.get());
  Stopwatch compare_watch;
  ASSIGN_OR_RETURN(
      SirekapComparison comparison,
      CompareWithSirekap(db.get(), store, **kinds.Find("ppwp"), RegionCode()));
  const double compare_s = compare_watch.seconds();
  const int64_t records = static_cast<int64_t>(codes.size());
  const bool counts_match =
      report.imported == records && report.rejected.empty() &&
      report.not_in_tree == 0 && summary.tps_records == records &&
      IssueCount(summary, "incomplete") == made.incomplete &&
      IssueCount(summary, "chart_sum_mismatch") == made.misread;
  std::cout << std::fixed << std::setprecision(3) << "records=" << records
            << " import_s=" << import_s << " check_s=" << check_s
            << " records_per_s=" << std::setprecision(0)
            << records / (import_s + check_s)
            << " json_mb=" << made.bytes / (1 << 20)
            << " incomplete=" << IssueCount(summary, "incomplete")
            << " chart_sum_mismatch="
            << IssueCount(summary, "chart_sum_mismatch")
            << " compare_s=" << std::setprecision(3) << compare_s
            << " compared_tps=" << comparison.tps_seen
            << " discrepant_tps=" << comparison.tps.size()
            << " counts_match=" << (counts_match ? 1 : 0) << std::endl;
  if (!counts_match) {
    return absl::InternalError(absl::StrCat(
        "the check found other counts than the generator made (incomplete ",
        made.incomplete, ", misread ", made.misread, ")"));
  }
  return absl::OkStatus();
}

}  // namespace c1tally
