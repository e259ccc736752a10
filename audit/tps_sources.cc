#include "audit/tps_sources.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::Status ForEachTpsOfBothSources(Database* db, const SirekapStore& store,
                                     absl::string_view form_kind,
                                     absl::string_view race,
                                     const RegionCode& region,
                                     const TpsSourcesVisit& visit,
                                     const rocksdb::Snapshot* snapshot) {
  // Our results in code order, merged with Sirekap's as they come.
  const std::string prefix = keys::Result(form_kind, region.str());
  const size_t code_start = keys::ResultPrefix(form_kind).size();
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
  // Visits our results with codes before `limit` (all when empty) alone.
  auto drain_before = [&](const std::string& limit) -> absl::Status {
    for (; ours->Valid() && absl::StartsWith(View(ours->key()), prefix);
         ours->Next()) {
      const std::string code(View(ours->key()).substr(code_start));
      if (!limit.empty() && code >= limit) break;
      RETURN_IF_ERROR(read_current(code));
      RETURN_IF_ERROR(visit(code, &result, nullptr));
    }
    return FromRocksStatus(ours->status(), "reading results");
  };
  RETURN_IF_ERROR(store.ForEachLatestTps(
      race, region,
      [&](const v1::SirekapRecord& record) -> absl::Status {
        RETURN_IF_ERROR(drain_before(record.code()));
        const bool same = ours->Valid() &&
                          absl::StartsWith(View(ours->key()), prefix) &&
                          View(ours->key()).substr(code_start) == record.code();
        if (!same) return visit(record.code(), nullptr, &record);
        RETURN_IF_ERROR(read_current(record.code()));
        RETURN_IF_ERROR(visit(record.code(), &result, &record));
        ours->Next();
        return absl::OkStatus();
      },
      snapshot));
  return drain_before("");
}

}  // namespace c1tally
