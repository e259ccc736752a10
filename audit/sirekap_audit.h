// SirekapAudit: checks a set of Sirekap records (files given to `c1ctl
// audit sirekap check`, or a benchmark's records): each record on its own
// (audit/sirekap_checks.h) and each region aggregate against the records
// of its children that are in the set.
//
// Given reference data (SirekapBallotChecks), legislative records are also
// checked against the ballot of their dapil and our TPS -> dapil map.
//
// The same TPS, region or dapil may come twice (overlapping folders, two
// fetches); the record with the newer Sirekap time counts, the other is a
// duplicate. Memory per record is small (its state, issues and a compact
// copy of its chart); aggregates are kept whole. Not thread-safe.
#ifndef C1TALLY_AUDIT_SIREKAP_AUDIT_H_
#define C1TALLY_AUDIT_SIREKAP_AUDIT_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "audit/sirekap_ballot_checks.h"
#include "audit/sirekap_checks.h"
#include "audit/sirekap_record.h"
#include "c1tally/v1/audit.pb.h"

namespace c1tally {

class SirekapAudit {
 public:
  // A record with at least one issue.
  struct Finding {
    std::string race;
    // TPS or region code ("" = nation), or a dapil aggregate's kode_dapil.
    std::string code;
    bool is_tps = true;
    bool is_dapil = false;
    std::vector<SirekapIssue> issues;
  };

  // Counts over every record kept (duplicates not counted twice).
  struct Summary {
    int64_t tps_records = 0;
    int64_t aggregate_records = 0;
    // Records replaced by another record of the same TPS or region.
    int64_t duplicates = 0;
    // Per-TPS records by SirekapState.
    std::array<int64_t, kSirekapStateCount> states{};
    // Records (TPS or regions) with each issue kind.
    std::map<std::string, int64_t> issues;
    // Files that could not be used: (path, reason).
    std::vector<std::pair<std::string, std::string>> rejected;
  };

  // `ballots` (may be null: no reference checks) must outlive the audit.
  explicit SirekapAudit(const SirekapBallotChecks* ballots = nullptr)
      : ballots_(ballots) {}

  // Checks `record` and keeps it (see the class comment for duplicates). A
  // record whose reference data cannot be read is rejected with the reason.
  void Add(const v1::SirekapRecord& record);
  // Notes a file that could not be read or parsed.
  void Reject(std::string path, std::string reason);

  // Runs the checks across records and returns the findings in race and
  // code order, and the counts. Call once, after every Add().
  std::vector<Finding> Finish(Summary* summary);

 private:
  struct Kept {
    int64_t sirekap_seconds = 0;
    bool is_tps = true;
    bool is_dapil = false;
    SirekapState state = SirekapState::kEmpty;
    std::vector<SirekapIssue> issues;
    CandidateVotes votes;
  };

  const SirekapBallotChecks* const ballots_;
  // Keyed by race + "/" + SirekapStoredCode.
  absl::flat_hash_map<std::string, Kept> kept_;
  // Aggregates whole (their tables), same keys.
  std::map<std::string, v1::SirekapRecord> aggregates_;
  int64_t duplicates_ = 0;
  std::vector<std::pair<std::string, std::string>> rejected_;
};

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_AUDIT_H_
