#include "storage/tally_verifier.h"

#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/journal.h"
#include "storage/keys.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"
#include "storage/tally_store.h"

namespace c1tally {
namespace {

// Expected content of one aggregate.
struct Expected {
  std::map<std::string, int64_t> sums;
  int64_t with_result = 0;
  int64_t flagged = 0;
};

std::string Describe(const std::map<std::string, int64_t>& sums) {
  std::string text;
  for (const auto& [name, value] : sums) {
    absl::StrAppend(&text, text.empty() ? "" : " ", name, "=", value);
  }
  return text.empty() ? "(none)" : text;
}

class Verifier {
 public:
  explicit Verifier(Database* db)
      : db_(db), snapshot_(db->db()->GetSnapshot()) {}
  ~Verifier() { db_->db()->ReleaseSnapshot(snapshot_); }

  absl::StatusOr<TallyVerification> Run() {
    RETURN_IF_ERROR(ScanResults());
    RETURN_IF_ERROR(ScanAggregates());
    RETURN_IF_ERROR(ScanTpsCounts());
    RETURN_IF_ERROR(ScanJournal());
    return std::move(report_);
  }

 private:
  void Differ(std::string line) {
    report_.differences.push_back(std::move(line));
  }

  absl::Status ScanResults() {
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Family::kResults, snapshot_);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.results;
      const std::string key = it->key().ToString();
      v1::TpsResult result;
      if (!result.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
        Differ(absl::StrCat("result ", key, ": unreadable"));
        continue;
      }
      if (keys::Result(result.form_kind(), result.tps_code()) != key) {
        Differ(absl::StrCat("result ", key, ": holds TPS ", result.tps_code(),
                            " kind ", result.form_kind()));
      }
      absl::StatusOr<RegionCode> code =
          RegionCode::ParseAt(result.tps_code(), v1::REGION_LEVEL_TPS);
      if (!code.ok()) {
        Differ(absl::StrCat("result ", key, ": ", code.status().message()));
        continue;
      }
      std::string ignored;
      if (!db_->Get(Family::kTps, code->str(), &ignored, "TPS", snapshot_)
               .ok()) {
        Differ(absl::StrCat("result ", key, ": TPS not in the region tree"));
      }
      std::vector<std::string> counted_in;
      for (const RegionCode& region : code->ancestors()) {
        counted_in.push_back(keys::Aggregate(result.form_kind(), region.str()));
      }
      // A legislative result counts in its dapil's aggregate too.
      if (!result.dapil().empty()) {
        counted_in.push_back(
            keys::DapilAggregate(result.form_kind(), result.dapil()));
      }
      for (const std::string& aggregate : counted_in) {
        Expected& expected = expected_[aggregate];
        for (const auto& [name, value] : result.values()) {
          expected.sums[name] += value;
        }
        ++expected.with_result;
        if (result.flags_size() > 0) ++expected.flagged;
      }
      results_[key] = std::move(result);
    }
    return FromRocksStatus(it->status(), "scanning results");
  }

  absl::Status ScanAggregates() {
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Family::kAggregates, snapshot_);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.aggregates;
      const std::string key = it->key().ToString();
      v1::Aggregate aggregate;
      if (!aggregate.ParseFromArray(it->value().data(),
                                    static_cast<int>(it->value().size()))) {
        Differ(absl::StrCat("aggregate ", key, ": unreadable"));
        continue;
      }
      Expected expected;
      if (auto found = expected_.find(key); found != expected_.end()) {
        expected = std::move(found->second);
        expected_.erase(found);
      }
      std::map<std::string, int64_t> stored(aggregate.sums().begin(),
                                            aggregate.sums().end());
      for (auto sum = expected.sums.begin(); sum != expected.sums.end();) {
        sum = sum->second == 0 ? expected.sums.erase(sum) : std::next(sum);
      }
      if (stored != expected.sums) {
        Differ(absl::StrCat("aggregate ", key, ": sums ", Describe(stored),
                            ", recomputed ", Describe(expected.sums)));
      }
      if (aggregate.tps_with_result() != expected.with_result) {
        Differ(absl::StrCat("aggregate ", key, ": tps_with_result ",
                            aggregate.tps_with_result(), ", recomputed ",
                            expected.with_result));
      }
      if (aggregate.tps_flagged() != expected.flagged) {
        Differ(absl::StrCat("aggregate ", key, ": tps_flagged ",
                            aggregate.tps_flagged(), ", recomputed ",
                            expected.flagged));
      }
    }
    for (const auto& [key, expected] : expected_) {
      Differ(absl::StrCat("aggregate ", key, ": missing; recomputed ",
                          Describe(expected.sums), " over ",
                          expected.with_result, " TPS"));
    }
    return FromRocksStatus(it->status(), "scanning aggregates");
  }

  absl::Status ScanTpsCounts() {
    absl::flat_hash_map<std::string, int64_t> counts;
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Family::kTps, snapshot_);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      absl::StatusOr<RegionCode> code =
          RegionCode::ParseAt(View(it->key()), v1::REGION_LEVEL_TPS);
      if (!code.ok()) {
        Differ(absl::StrCat("TPS record \"", absl::CHexEscape(View(it->key())),
                            "\": ", code.status().message()));
        continue;
      }
      for (const RegionCode& region : code->ancestors()) ++counts[region.str()];
    }
    if (!it->status().ok())
      return FromRocksStatus(it->status(), "scanning TPS");
    it = db_->NewIterator(Family::kRegions, snapshot_);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.regions;
      v1::Region region;
      if (!region.ParseFromArray(it->value().data(),
                                 static_cast<int>(it->value().size()))) {
        Differ(absl::StrCat("region ", it->key().ToString(), ": unreadable"));
        continue;
      }
      const int64_t counted = counts[it->key().ToString()];
      if (region.tps_count() != counted) {
        Differ(absl::StrCat("region \"", it->key().ToString(), "\": tps_count ",
                            region.tps_count(), ", counted ", counted));
      }
    }
    return FromRocksStatus(it->status(), "scanning regions");
  }

  absl::Status ScanJournal() {
    // Last entry per result key, to compare the replayed state.
    absl::flat_hash_map<std::string, v1::JournalEntry> last;
    uint64_t expected_sequence = 1;
    std::string previous_hash = Journal::GenesisHash();
    std::unique_ptr<rocksdb::Iterator> it =
        db_->NewIterator(Family::kJournal, snapshot_);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      ++report_.journal_entries;
      absl::StatusOr<v1::JournalEntry> entry =
          ParseJournalEntry(it->key(), it->value());
      if (!entry.ok()) {
        Differ(std::string(entry.status().message()));
        continue;
      }
      const uint64_t key_sequence = keys::ParseSequence(View(it->key()));
      if (entry->sequence() != expected_sequence ||
          key_sequence != expected_sequence) {
        Differ(absl::StrCat("journal: expected entry ", expected_sequence,
                            ", found ", entry->sequence(), " under key ",
                            key_sequence));
      }
      if (entry->previous_hash() != previous_hash) {
        Differ(absl::StrCat("journal entry ", entry->sequence(),
                            ": previous_hash does not chain"));
      }
      if (Journal::HashOf(*entry) != entry->entry_hash()) {
        Differ(absl::StrCat("journal entry ", entry->sequence(),
                            ": entry_hash does not match its content"));
      }
      // The index must point back at the entry.
      std::string ignored;
      if (!db_->Get(Family::kJournalByTps,
                    keys::JournalByTps(entry->tps_code(), entry->sequence()),
                    &ignored, "journal index", snapshot_)
               .ok()) {
        Differ(absl::StrCat("journal entry ", entry->sequence(),
                            ": missing from the per-TPS index"));
      }
      expected_sequence = entry->sequence() + 1;
      previous_hash = entry->entry_hash();
      last[keys::Result(entry->form_kind(), entry->tps_code())] =
          *std::move(entry);
    }
    if (!it->status().ok())
      return FromRocksStatus(it->status(), "scanning journal");

    for (const auto& [key, entry] : last) {
      auto stored = results_.find(key);
      if (!entry.has_current()) {
        if (stored != results_.end()) {
          Differ(absl::StrCat("result ", key, ": present, but journal entry ",
                              entry.sequence(), " cleared it"));
        }
        continue;
      }
      if (stored == results_.end()) {
        Differ(absl::StrCat("result ", key, ": missing, but journal entry ",
                            entry.sequence(), " set it"));
        continue;
      }
      if (!SameResult(entry.current(), stored->second) ||
          stored->second.journal_sequence() != entry.sequence()) {
        Differ(absl::StrCat("result ", key,
                            ": differs from what journal entry ",
                            entry.sequence(), " set"));
      }
    }
    for (const auto& [key, result] : results_) {
      if (!last.contains(key)) {
        Differ(absl::StrCat("result ", key, ": has no journal entry"));
      }
    }
    return absl::OkStatus();
  }

  Database* db_;
  const rocksdb::Snapshot* snapshot_;
  TallyVerification report_;
  absl::flat_hash_map<std::string, Expected> expected_;
  absl::flat_hash_map<std::string, v1::TpsResult> results_;
};

}  // namespace

absl::StatusOr<TallyVerification> VerifyTally(Database* db) {
  return Verifier(db).Run();
}

}  // namespace c1tally
