// RegionTree: reads of the region tree (nation, provinces, ..., kelurahan,
// TPS) kept in the kRegions, kTps and kChildren families.
//
// Writes go through RegionImporter (storage/region_import.h). A RegionTree
// holds a pointer to its Database, which must outlive it; it keeps no other
// state and is safe to use from many threads.
#ifndef C1TALLY_STORAGE_REGION_TREE_H_
#define C1TALLY_STORAGE_REGION_TREE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"
#include "storage/listing_page.h"
#include "storage/region_code.h"

namespace c1tally {

class RegionTree {
 public:
  explicit RegionTree(Database* db) : db_(db) {}

  // A region (not a TPS); NOT_FOUND if it was never imported. The nation
  // always exists.
  absl::StatusOr<v1::Region> GetRegion(
      const RegionCode& code,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // A TPS without results; NOT_FOUND if unknown.
  absl::StatusOr<v1::Tps> GetTps(
      const RegionCode& code,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // Codes of the direct children of `parent`, in code order, from
  // `page_token` (listing_page.h) on.
  absl::StatusOr<Page<std::string>> ListChildren(
      const RegionCode& parent, int page_size, const std::string& page_token,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // TPS anywhere below `parent`, in code order, from `page_token` on.
  absl::StatusOr<Page<v1::Tps>> ListTps(
      const RegionCode& parent, int page_size, const std::string& page_token,
      const rocksdb::Snapshot* snapshot = nullptr) const;

  // Calls `visit` with every region below the nation (not TPS), in code
  // order, so parents before their children; stops at the first error.
  absl::Status ForEachRegion(
      const std::function<absl::Status(const v1::Region&)>& visit) const;

 private:
  Database* db_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REGION_TREE_H_
