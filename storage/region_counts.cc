#include "storage/region_counts.h"

#include <algorithm>
#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/batch_writer.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

namespace problem = import_problem;

// Domestic TPS from 900 up are special-location TPS, outside the 1..N
// numbering.
constexpr int kFirstSpecialTpsNumber = 900;

using Counts = absl::flat_hash_map<std::string, int64_t>;

bool Touched(const std::vector<std::string>& touched,
             absl::string_view kelurahan) {
  return std::binary_search(touched.begin(), touched.end(), kelurahan);
}

// Direct children of every parent, from kChildren (whose keys of one parent
// are contiguous).
absl::Status CountChildren(Database* db, Counts* children) {
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kChildren);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    const size_t slash = key.find('/');
    if (slash != absl::string_view::npos) ++(*children)[key.substr(0, slash)];
  }
  return FromRocksStatus(it->status(), "counting children");
}

// The TPS of one kelurahan, as CountTps meets them in key order.
struct KelurahanRun {
  std::string kelurahan;
  int64_t tps = 0;
  // TPS that take part in the 1..N numbering, and the highest number.
  int regular = 0;
  int highest_regular = 0;
};

void EndRun(const KelurahanRun& run, const std::vector<std::string>& touched,
            Counts* below, ImportReport* report) {
  if (run.tps == 0) return;
  // The kelurahan and its ancestors, nation included.
  for (size_t width : {10, 6, 4, 2, 0}) {
    (*below)[absl::string_view(run.kelurahan).substr(0, width)] += run.tps;
  }
  if (run.regular != run.highest_regular && Touched(touched, run.kelurahan)) {
    report->Add(
        problem::kTpsNumberingGaps,
        absl::StrCat(run.kelurahan, ": ", run.regular,
                     " regular TPS numbered up to ", run.highest_regular));
  }
}

// TPS below every region, from kTps; notes numbering gaps of the touched
// kelurahan.
absl::Status CountTps(Database* db, const std::vector<std::string>& touched,
                      Counts* below, ImportReport* report) {
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kTps);
  KelurahanRun run;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (key.size() != RegionCode::kTpsWidth) continue;
    if (key.substr(0, 10) != run.kelurahan) {
      EndRun(run, touched, below, report);
      run = KelurahanRun{std::string(key.substr(0, 10))};
    }
    ++run.tps;
    int number = 0;
    absl::SimpleAtoi(key.substr(10), &number);
    // Abroad, 9xx numbers are ordinary.
    if (number < kFirstSpecialTpsNumber || absl::StartsWith(key, "99")) {
      ++run.regular;
      run.highest_regular = std::max(run.highest_regular, number);
    }
  }
  EndRun(run, touched, below, report);
  return FromRocksStatus(it->status(), "counting TPS");
}

int64_t CountOf(const Counts& counts, const std::string& code) {
  auto it = counts.find(code);
  return it == counts.end() ? 0 : it->second;
}

// Rewrites the regions whose counts differ from `children` and `tps`; notes
// the touched kelurahan without TPS.
absl::Status RewriteCounts(Database* db, const Counts& children,
                           const Counts& tps,
                           const std::vector<std::string>& touched,
                           ImportReport* report) {
  BatchWriter writer(db);
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(Family::kRegions);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string code = it->key().ToString();
    v1::Region region;
    if (!region.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("stored region \"", code, "\" is unreadable"));
    }
    const int64_t child_count = CountOf(children, code);
    const int64_t tps_count = CountOf(tps, code);
    if (region.level() == v1::REGION_LEVEL_KELURAHAN && tps_count == 0 &&
        Touched(touched, code)) {
      report->Add(problem::kKelurahanWithoutTps,
                  absl::StrCat(code, ": ", region.name()));
    }
    if (region.child_count() == child_count &&
        region.tps_count() == tps_count) {
      continue;
    }
    region.set_child_count(child_count);
    region.set_tps_count(tps_count);
    RETURN_IF_ERROR(
        writer.Put(Family::kRegions, code, region.SerializeAsString()));
    ++report->counts_updated;
    RETURN_IF_ERROR(writer.EndRecord());
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "recounting");
  return writer.Flush();
}

}  // namespace

absl::Status RecountRegions(Database* db,
                            const std::vector<std::string>& touched_kelurahan,
                            ImportReport* report) {
  Counts children;
  Counts tps;
  RETURN_IF_ERROR(CountChildren(db, &children));
  RETURN_IF_ERROR(CountTps(db, touched_kelurahan, &tps, report));
  return RewriteCounts(db, children, tps, touched_kelurahan, report);
}

}  // namespace c1tally
