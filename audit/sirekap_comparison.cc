#include "audit/sirekap_comparison.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit/sirekap_race.h"
#include "audit/sirekap_record.h"
#include "storage/keys.h"

namespace c1tally {
namespace {

using Kind = v1::FieldDiscrepancy::Kind;

// Accumulates TPS by TPS, in code order.
class Merger {
 public:
  Merger(const v1::FormKind& kind, const SirekapRace& race,
         const RegionCode& region)
      : kind_(kind), region_(region) {
    for (const auto& [id, field] : race.candidates) candidates_.insert(field);
    result_.total.set_code(region.str());
  }

  // One TPS; either side may be null.
  void Add(const std::string& code, const v1::TpsResult* ours,
           const v1::SirekapRecord* sirekap, const SirekapRace& race) {
    const std::map<std::string, int64_t> theirs =
        sirekap == nullptr ? std::map<std::string, int64_t>()
                           : FormValues(*sirekap, race);
    const bool has_ours = ours != nullptr && !ours->values().empty();
    const bool has_theirs =
        std::any_of(kind_.fields().begin(), kind_.fields().end(),
                    [&](const auto& f) { return theirs.count(f.name()) > 0; });
    if (!has_ours && !has_theirs) return;
    ++result_.tps_seen;
    v1::TpsDiscrepancy discrepancy;
    discrepancy.set_tps_code(code);
    std::map<std::string, int64_t> net;
    for (const v1::FormKind::Field& field : kind_.fields()) {
      Compare(field.name(), has_ours ? ours : nullptr, theirs, &discrepancy,
              &net);
    }
    const bool differs =
        std::any_of(discrepancy.fields().begin(), discrepancy.fields().end(),
                    [](const auto& f) {
                      return f.kind() == v1::FieldDiscrepancy::KIND_DIFFERS;
                    });
    for (v1::RegionDiscrepancy* rollup : {&result_.total, ChildOf(code)}) {
      if (rollup == nullptr) continue;
      if (has_ours && has_theirs) {
        rollup->set_tps_compared(rollup->tps_compared() + 1);
        if (differs) rollup->set_tps_differing(rollup->tps_differing() + 1);
      } else if (has_ours) {
        rollup->set_tps_only_ours(rollup->tps_only_ours() + 1);
      } else {
        rollup->set_tps_only_sirekap(rollup->tps_only_sirekap() + 1);
      }
      for (const auto& [field, difference] : net) {
        (*rollup->mutable_net_difference())[field] += difference;
      }
      rollup->set_size(rollup->size() + discrepancy.size());
    }
    if (discrepancy.fields().empty()) return;
    if (sirekap != nullptr && has_theirs) {
      discrepancy.set_sirekap_time(sirekap->sirekap_time());
      *discrepancy.mutable_sirekap_fetch_time() = sirekap->fetch_time();
    }
    if (has_ours) {
      *discrepancy.mutable_submission_ids() =
          ours->provenance().submission_ids();
    }
    result_.tps.push_back(std::move(discrepancy));
  }

  SirekapComparison Finish() {
    std::sort(
        result_.tps.begin(), result_.tps.end(),
        [](const v1::TpsDiscrepancy& a, const v1::TpsDiscrepancy& b) {
          return std::make_tuple(-a.size(), -a.fields_size(), a.tps_code()) <
                 std::make_tuple(-b.size(), -b.fields_size(), b.tps_code());
        });
    for (auto& [code, child] : children_) {
      result_.children.push_back(std::move(child));
    }
    std::sort(
        result_.children.begin(), result_.children.end(),
        [](const v1::RegionDiscrepancy& a, const v1::RegionDiscrepancy& b) {
          return std::make_tuple(-a.size(), a.code()) <
                 std::make_tuple(-b.size(), b.code());
        });
    return std::move(result_);
  }

 private:
  // Adds `field`'s discrepancy, if any, and its difference to `net` when
  // both sides have it.
  void Compare(const std::string& field, const v1::TpsResult* ours,
               const std::map<std::string, int64_t>& theirs,
               v1::TpsDiscrepancy* discrepancy,
               std::map<std::string, int64_t>* net) const {
    const bool has_ours = ours != nullptr && ours->values().count(field) > 0;
    auto sirekap = theirs.find(field);
    const bool has_theirs = sirekap != theirs.end();
    if (!has_ours && !has_theirs) return;
    v1::FieldDiscrepancy entry;
    entry.set_field(field);
    if (has_ours) entry.set_ours(ours->values().at(field));
    if (has_theirs) entry.set_sirekap(sirekap->second);
    if (has_ours && has_theirs) {
      const int64_t difference = entry.sirekap() - entry.ours();
      (*net)[field] += difference;
      if (difference == 0) return;
      entry.set_kind(v1::FieldDiscrepancy::KIND_DIFFERS);
      if (candidates_.count(field) > 0) {
        discrepancy->set_size(discrepancy->size() + std::llabs(difference));
      }
    } else {
      entry.set_kind(has_ours ? v1::FieldDiscrepancy::KIND_ONLY_OURS
                              : v1::FieldDiscrepancy::KIND_ONLY_SIREKAP);
    }
    *discrepancy->add_fields() = std::move(entry);
  }

  // The rollup of the child of the region that holds `tps`; null when the
  // region is the TPS itself.
  v1::RegionDiscrepancy* ChildOf(const std::string& tps) {
    if (region_.is_tps()) return nullptr;
    const v1::RegionLevel level =
        region_.is_national()
            ? v1::REGION_LEVEL_PROVINCE
            : static_cast<v1::RegionLevel>(region_.level() + 1);
    const std::string code = tps.substr(0, RegionCode::WidthOf(level));
    v1::RegionDiscrepancy& child = children_[code];
    child.set_code(code);
    return &child;
  }

  const v1::FormKind& kind_;
  const RegionCode region_;
  std::set<std::string> candidates_;
  std::map<std::string, v1::RegionDiscrepancy> children_;
  SirekapComparison result_;
};

}  // namespace

absl::StatusOr<SirekapComparison> CompareWithSirekap(
    Database* db, const SirekapStore& store, const v1::FormKind& kind,
    const RegionCode& region, const rocksdb::Snapshot* snapshot) {
  const SirekapRace* race = FindSirekapRaceForFormKind(kind.name());
  if (race == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Sirekap has no race for form kind \"", kind.name(), "\""));
  }
  Merger merger(kind, *race, region);
  // Our results in code order, merged with Sirekap's as they come.
  const std::string prefix = keys::Result(kind.name(), region.str());
  const size_t code_start = keys::ResultPrefix(kind.name()).size();
  std::unique_ptr<rocksdb::Iterator> ours =
      db->NewIterator(Family::kResults, snapshot);
  ours->Seek(prefix);
  v1::TpsResult result;
  auto read_current = [&](const std::string& code) -> absl::Status {
    if (!result.ParseFromArray(ours->value().data(),
                               static_cast<int>(ours->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("stored result of ", code, " is corrupt"));
    }
    return absl::OkStatus();
  };
  // Feeds our results with codes before `limit` (all when empty) as
  // "only ours".
  auto drain_before = [&](const std::string& limit) -> absl::Status {
    for (; ours->Valid() && absl::StartsWith(View(ours->key()), prefix);
         ours->Next()) {
      const std::string code(View(ours->key()).substr(code_start));
      if (!limit.empty() && code >= limit) break;
      if (absl::Status read = read_current(code); !read.ok()) return read;
      merger.Add(code, &result, nullptr, *race);
    }
    return FromRocksStatus(ours->status(), "reading results");
  };
  absl::Status merged = store.ForEachLatestTps(
      race->name, region,
      [&](const v1::SirekapRecord& record) -> absl::Status {
        if (absl::Status drained = drain_before(record.code()); !drained.ok()) {
          return drained;
        }
        const bool same = ours->Valid() &&
                          absl::StartsWith(View(ours->key()), prefix) &&
                          View(ours->key()).substr(code_start) == record.code();
        if (!same) {
          merger.Add(record.code(), nullptr, &record, *race);
          return absl::OkStatus();
        }
        if (absl::Status read = read_current(record.code()); !read.ok()) {
          return read;
        }
        merger.Add(record.code(), &result, &record, *race);
        ours->Next();
        return absl::OkStatus();
      },
      snapshot);
  if (!merged.ok()) return merged;
  if (absl::Status drained = drain_before(""); !drained.ok()) return drained;
  return merger.Finish();
}

}  // namespace c1tally
