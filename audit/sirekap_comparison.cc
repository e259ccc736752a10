#include "audit/sirekap_comparison.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "audit/sirekap_compared_fields.h"
#include "audit/sirekap_race.h"
#include "audit/sirekap_record.h"
#include "audit/tps_sources.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// One TPS compared: the fields that disagree (with the size) and, per
// field both sides have, the difference sirekap - ours.
struct TpsComparison {
  bool has_ours = false;
  bool has_theirs = false;
  bool differs = false;
  v1::TpsDiscrepancy discrepancy;
  std::map<std::string, int64_t> net;
};

// Adds `field`'s discrepancy, if any, to `out`.
void CompareField(const std::string& field, const v1::TpsResult* ours,
                  const std::map<std::string, int64_t>& theirs,
                  bool is_candidate, TpsComparison* out) {
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
    out->net[field] += difference;
    if (difference == 0) return;
    entry.set_kind(v1::FieldDiscrepancy::KIND_DIFFERS);
    out->differs = true;
    if (is_candidate) {
      out->discrepancy.set_size(out->discrepancy.size() +
                                std::llabs(difference));
    }
  } else {
    entry.set_kind(has_ours ? v1::FieldDiscrepancy::KIND_ONLY_OURS
                            : v1::FieldDiscrepancy::KIND_ONLY_SIREKAP);
  }
  *out->discrepancy.add_fields() = std::move(entry);
}

// Compares one TPS's two sides (either may be null) over the fields
// `fields` gives it. Used by the merge and by DescribeTpsDiscrepancy, so
// both say the same about a TPS.
absl::StatusOr<TpsComparison> CompareTps(SirekapComparedFields& fields,
                                         const SirekapRace& race,
                                         const std::string& code,
                                         const v1::TpsResult* ours,
                                         const v1::SirekapRecord* sirekap) {
  TpsComparison out;
  out.discrepancy.set_tps_code(code);
  const std::map<std::string, int64_t> theirs =
      sirekap == nullptr ? std::map<std::string, int64_t>()
                         : FormValues(*sirekap, race);
  ASSIGN_OR_RETURN(const std::vector<std::string> names,
                   fields.For(code, ours, theirs));
  out.has_ours = ours != nullptr && !ours->values().empty();
  out.has_theirs =
      std::any_of(names.begin(), names.end(),
                  [&](const std::string& f) { return theirs.count(f) > 0; });
  if (!out.has_ours && !out.has_theirs) return out;
  for (const std::string& field : names) {
    CompareField(field, out.has_ours ? ours : nullptr, theirs,
                 race.IsVoteField(field), &out);
  }
  return out;
}

// Accumulates TPS by TPS, in code order.
class Merger {
 public:
  Merger(Database* db, const v1::FormKind& kind, const SirekapRace& race,
         const RegionCode& region)
      : fields_(db, kind, race), race_(race), region_(region) {
    result_.total.set_code(region.str());
  }

  // One TPS; either side may be null.
  absl::Status Add(const std::string& code, const v1::TpsResult* ours,
                   const v1::SirekapRecord* sirekap) {
    ASSIGN_OR_RETURN(const TpsComparison tps,
                     CompareTps(fields_, race_, code, ours, sirekap));
    if (!tps.has_ours && !tps.has_theirs) return absl::OkStatus();
    ++result_.tps_seen;
    for (v1::RegionDiscrepancy* rollup : {&result_.total, ChildOf(code)}) {
      if (rollup != nullptr) RollUp(tps, rollup);
    }
    if (tps.discrepancy.fields().empty()) return absl::OkStatus();
    result_.tps.push_back(SirekapComparison::Ranked{
        code, tps.discrepancy.size(), tps.discrepancy.fields_size()});
    return absl::OkStatus();
  }

  SirekapComparison Finish() {
    std::sort(result_.tps.begin(), result_.tps.end(),
              [](const SirekapComparison::Ranked& a,
                 const SirekapComparison::Ranked& b) {
                return std::make_tuple(-a.size, -a.fields, a.tps_code) <
                       std::make_tuple(-b.size, -b.fields, b.tps_code);
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
  static void RollUp(const TpsComparison& tps, v1::RegionDiscrepancy* rollup) {
    if (tps.has_ours && tps.has_theirs) {
      rollup->set_tps_compared(rollup->tps_compared() + 1);
      if (tps.differs) rollup->set_tps_differing(rollup->tps_differing() + 1);
    } else if (tps.has_ours) {
      rollup->set_tps_only_ours(rollup->tps_only_ours() + 1);
    } else {
      rollup->set_tps_only_sirekap(rollup->tps_only_sirekap() + 1);
    }
    for (const auto& [field, difference] : tps.net) {
      (*rollup->mutable_net_difference())[field] += difference;
    }
    rollup->set_size(rollup->size() + tps.discrepancy.size());
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

  SirekapComparedFields fields_;
  const SirekapRace& race_;
  const RegionCode region_;
  std::map<std::string, v1::RegionDiscrepancy> children_;
  SirekapComparison result_;
};

absl::StatusOr<const SirekapRace*> RaceFor(const v1::FormKind& kind) {
  const SirekapRace* race = FindSirekapRaceForFormKind(kind.name());
  if (race == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Sirekap has no race for form kind \"", kind.name(), "\""));
  }
  return race;
}

}  // namespace

absl::StatusOr<SirekapComparison> CompareWithSirekap(
    Database* db, const SirekapStore& store, const v1::FormKind& kind,
    const RegionCode& region, const rocksdb::Snapshot* snapshot) {
  ASSIGN_OR_RETURN(const SirekapRace* race_or, RaceFor(kind));
  const SirekapRace* race = race_or;
  Merger merger(db, kind, *race, region);
  RETURN_IF_ERROR(ForEachTpsOfBothSources(
      db, store, kind.name(), race->name, region,
      [&](const std::string& code, const v1::TpsResult* ours,
          const v1::SirekapRecord* sirekap) {
        return merger.Add(code, ours, sirekap);
      },
      snapshot));
  return merger.Finish();
}

absl::StatusOr<v1::TpsDiscrepancy> DescribeTpsDiscrepancy(
    Database* db, const SirekapStore& store, const v1::FormKind& kind,
    const RegionCode& tps, const rocksdb::Snapshot* snapshot) {
  absl::StatusOr<const SirekapRace*> race = RaceFor(kind);
  if (!race.ok()) return race.status();
  std::string value;
  absl::Status read =
      db->Get(Family::kResults, keys::Result(kind.name(), tps.str()), &value,
              "result", snapshot);
  if (!read.ok() && !absl::IsNotFound(read)) return read;
  std::optional<v1::TpsResult> ours;
  if (read.ok()) {
    ours.emplace();
    if (!ours->ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("stored result of ", tps.str(), " is corrupt"));
    }
  }
  absl::StatusOr<v1::SirekapRecord> sirekap =
      store.Latest((*race)->name, tps, snapshot);
  if (!sirekap.ok() && !absl::IsNotFound(sirekap.status())) {
    return sirekap.status();
  }
  SirekapComparedFields fields(db, kind, **race);
  ASSIGN_OR_RETURN(
      TpsComparison compared,
      CompareTps(fields, **race, tps.str(), ours ? &*ours : nullptr,
                 sirekap.ok() ? &*sirekap : nullptr));
  v1::TpsDiscrepancy& out = compared.discrepancy;
  if (compared.has_theirs) {
    out.set_sirekap_time(sirekap->sirekap_time());
    *out.mutable_sirekap_fetch_time() = sirekap->fetch_time();
    *out.mutable_sirekap_image_urls() = sirekap->image_urls();
  }
  if (compared.has_ours) {
    *out.mutable_submission_ids() = ours->provenance().submission_ids();
  }
  return std::move(out);
}

}  // namespace c1tally
