#include "services/server/demo_data.h"

#include <iostream>
#include <random>

#include "storage/reference/ballot_form.h"
#include "storage/reference/ballot_index.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/reference/synthetic_reference.h"
#include "storage/region_tree.h"
#include "storage/sample_results.h"
#include "storage/status_macros.h"
#include "storage/synthetic_tree.h"

namespace c1tally {

absl::Status LoadDemoData(Database* db, TallyStore* store, double scale) {
  RegionTree tree(db);
  ASSIGN_OR_RETURN(Page<std::string> provinces,
                   tree.ListChildren(RegionCode(), 1, ""));
  if (!provinces.items.empty()) {
    std::cerr << "c1tallyd: the data directory already holds a region tree; "
                 "--demo loads nothing\n";
    return absl::OkStatus();
  }
  SyntheticTreeOptions options;
  options.scale = scale;
  ASSIGN_OR_RETURN(ImportReport report, GenerateSyntheticTree(db, options));
  RETURN_IF_ERROR(
      GenerateSyntheticReference(db, SyntheticReferenceOptions(), absl::Now())
          .status());
  ASSIGN_OR_RETURN(BallotIndex ballots, BallotIndex::Load(ReferenceStore(db)));

  std::mt19937_64 random(2024);
  std::vector<v1::TpsResult> batch;
  auto flush = [&]() -> absl::Status {
    absl::StatusOr<TallyStore::Outcome> outcome =
        store->SetResults(std::move(batch));
    batch.clear();
    return outcome.status();
  };
  std::string token;
  do {
    ASSIGN_OR_RETURN(Page<v1::Tps> page,
                     tree.ListTps(RegionCode(), kMaxPageSize, token));
    for (const v1::Tps& tps : page.items) {
      // About 70% of TPS verified, as on the second night of a count.
      if (std::uniform_real_distribution<double>(0, 1)(random) > 0.7) continue;
      v1::TpsResult result = SamplePpwpResult(tps.code(), 2024);
      // One TPS in 200 with a slip in the sum, so that flags show.
      if (std::uniform_int_distribution<int>(0, 199)(random) == 0) {
        (*result.mutable_values())["suara_sah"] += 10;
      }
      batch.push_back(std::move(result));
      for (const char* race : kLegislativeRaces) {
        const v1::Ballot* ballot = ballots.For(race, tps.code());
        if (ballot == nullptr) continue;  // abroad: president and DPR only
        batch.push_back(
            SampleLegislativeResult(tps.code(), race, *ballot, 2024));
        batch.back().mutable_provenance()->set_source(
            v1::Provenance::SOURCE_OPERATOR);
        batch.back().mutable_provenance()->set_note("demo data");
      }
    }
    if (!batch.empty()) {
      RETURN_IF_ERROR(flush());
    }
    token = page.next_page_token;
  } while (!token.empty());
  return absl::OkStatus();
}

}  // namespace c1tally
