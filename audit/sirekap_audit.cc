#include "audit/sirekap_audit.h"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "audit/sirekap_race.h"
#include "storage/region_code.h"

namespace c1tally {
namespace {

// Sirekap's "ts" as seconds; 0 when it has none, so any dated record wins.
int64_t SirekapSeconds(const std::string& text) {
  absl::Time time;
  std::string error;
  if (text.empty() ||
      !absl::ParseTime("%Y-%m-%d %H:%M:%S", text, &time, &error)) {
    return 0;
  }
  return absl::ToUnixSeconds(time);
}

std::string KeyOf(const std::string& race, const std::string& code) {
  return absl::StrCat(race, "/", code);
}

}  // namespace

void SirekapAudit::Add(const v1::SirekapRecord& record) {
  const SirekapRace* race = FindSirekapRace(record.race());
  if (race == nullptr) {
    Reject(KeyOf(record.race(), record.code()), "unknown race");
    return;
  }
  Kept entry;
  entry.sirekap_seconds = SirekapSeconds(record.sirekap_time());
  entry.is_dapil = record.dapil_aggregate();
  entry.is_tps =
      !entry.is_dapil && record.code().size() == RegionCode::kTpsWidth;
  entry.votes = ChartVotesOf(record);
  if (entry.is_tps) {
    entry.state = StateOf(record);
    entry.issues = CheckTpsRecord(record, *race);
  } else {
    entry.issues = CheckAggregateRecord(record);
  }
  const std::string key = KeyOf(record.race(), SirekapStoredCode(record));
  if (ballots_ != nullptr) {
    absl::StatusOr<std::vector<SirekapIssue>> on_ballot =
        ballots_->Check(record);
    if (!on_ballot.ok()) {
      Reject(key,
             absl::StrCat("reference data: ", on_ballot.status().message()));
      return;
    }
    for (SirekapIssue& issue : *on_ballot) {
      entry.issues.push_back(std::move(issue));
    }
  }
  auto [it, inserted] = kept_.try_emplace(key);
  if (!inserted) {
    ++duplicates_;
    if (entry.sirekap_seconds < it->second.sirekap_seconds) return;
  }
  it->second = std::move(entry);
  if (!it->second.is_tps) aggregates_[key] = record;
}

void SirekapAudit::Reject(std::string path, std::string reason) {
  rejected_.emplace_back(std::move(path), std::move(reason));
}

std::vector<SirekapAudit::Finding> SirekapAudit::Finish(Summary* summary) {
  // Each aggregate's rows against its children's own records; one issue
  // per aggregate, naming every row that differs.
  for (const auto& [key, aggregate] : aggregates_) {
    std::vector<std::string> rows;
    for (const auto& [child, row] : aggregate.table()) {
      auto found = kept_.find(KeyOf(aggregate.race(), child));
      if (found == kept_.end()) continue;
      if (std::optional<SirekapIssue> issue =
              CheckChildRow(aggregate, child, found->second.votes)) {
        rows.push_back(std::move(issue->detail));
      }
    }
    if (rows.empty()) continue;
    std::sort(rows.begin(), rows.end());
    kept_[key].issues.push_back(SirekapIssue{
        sirekap_issue::kAggregateChildMismatch, absl::StrJoin(rows, "; ")});
  }
  *summary = Summary();
  summary->duplicates = duplicates_;
  summary->rejected = rejected_;
  std::vector<Finding> findings;
  for (const auto& [key, kept] : kept_) {
    if (kept.is_tps) {
      ++summary->tps_records;
      ++summary->states[static_cast<int>(kept.state)];
    } else {
      ++summary->aggregate_records;
    }
    for (const SirekapIssue& issue : kept.issues) ++summary->issues[issue.kind];
    if (kept.issues.empty()) continue;
    const size_t slash = key.find('/');
    std::string code = key.substr(slash + 1);
    if (kept.is_dapil) code.erase(0, std::strlen(kSirekapDapilPrefix));
    findings.push_back(Finding{key.substr(0, slash), std::move(code),
                               kept.is_tps, kept.is_dapil, kept.issues});
  }
  std::sort(findings.begin(), findings.end(),
            [](const Finding& a, const Finding& b) {
              return std::tie(a.race, a.is_dapil, a.code) <
                     std::tie(b.race, b.is_dapil, b.code);
            });
  return findings;
}

}  // namespace c1tally
