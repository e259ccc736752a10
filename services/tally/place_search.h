// PlaceSearch: finds regions and TPS by code or by place name, for the
// search box of the public pages (TallyService.SearchPlaces).
//
// A query of digits is a code: a whole TPS or region code finds that one
// place. Otherwise every word of the query (in any case) must appear in the
// name of the place or of one of its ancestors ("menteng jakarta"). The index
// of names is built from the region tree on the first search (about a second
// for the national tree) and kept; regions imported later are found after a
// restart. `tree` must outlive the PlaceSearch. Thread-safe.
#ifndef C1TALLY_SERVICES_TALLY_PLACE_SEARCH_H_
#define C1TALLY_SERVICES_TALLY_PLACE_SEARCH_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "c1tally/v1/tally.pb.h"
#include "storage/region_tree.h"

namespace c1tally {

class PlaceSearch {
 public:
  static constexpr int kMaxMatches = 50;

  explicit PlaceSearch(const RegionTree* tree) : tree_(tree) {}

  // At most kMaxMatches places, upper levels first. INVALID_ARGUMENT for a
  // query shorter than 3 characters (too many matches to be useful) or
  // longer than 100.
  absl::StatusOr<std::vector<v1::Place>> Find(const std::string& query)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Entry {
    v1::Place place;
    // Lower-case name and ancestors' names, for matching.
    std::string haystack;
  };

  absl::StatusOr<std::vector<v1::Place>> FindCode(const std::string& code);
  absl::Status BuildIndex() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RegionTree* tree_;
  absl::Mutex mu_;
  bool built_ ABSL_GUARDED_BY(mu_) = false;
  // Regions only (TPS are found by code); in code order.
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_TALLY_PLACE_SEARCH_H_
