// RegionSnapshot: the ready responses (JSON and HTML) of the upper levels of
// the tree (the nation, provinces and kabupaten/kota), kept in memory so that
// the pages everyone opens on election night cost a lookup, not a walk of
// the database.
//
// A background thread refreshes it every `interval`: it reads the nation
// and rebuilds the responses of every region whose aggregate changed since
// (a region's aggregate changes whenever anything below it does, so an
// unchanged region is skipped together with everything below it). Until the
// first refresh completes, Find() finds nothing and callers render live.
//
// `results` must outlive the snapshot; Stop() (or the destructor) joins the
// thread, and must run before the services `results` reads through stop.
// Thread-safe.
#ifndef C1TALLY_SERVICES_GATEWAY_REGION_SNAPSHOT_H_
#define C1TALLY_SERVICES_GATEWAY_REGION_SNAPSHOT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/gateway/http_server.h"
#include "services/gateway/public_results.h"

namespace c1tally {

class RegionSnapshot {
 public:
  enum class Format { kJson, kHtml };
  // Renders a region's response in one format from its view.
  using Render = std::function<HttpResponse(const RegionView&, Format)>;

  // Deepest code width kept: kabupaten/kota (4).
  static constexpr size_t kMaxCodeWidth = 4;

  RegionSnapshot(const PublicResults* results, Render render,
                 absl::Duration interval);
  ~RegionSnapshot();

  // Starts the refreshing thread.
  void Start();
  // Joins it. Idempotent.
  void Stop();

  // The response of region `code` ("" = nation) in `format`, if kept.
  std::optional<HttpResponse> Find(const std::string& code, Format format) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // One refresh now (the thread's step). Returns the number of regions
  // rebuilt.
  absl::StatusOr<int> Refresh();

 private:
  struct Entry {
    google::protobuf::Timestamp update_time;
    HttpResponse json;
    HttpResponse html;
  };
  // Rebuilds `code` and, below the depth limit, its changed children.
  absl::Status RefreshRegion(const std::string& code, int* rebuilt);
  bool Unchanged(const v1::Region& region) const ABSL_LOCKS_EXCLUDED(mu_);

  const PublicResults* results_;
  const Render render_;
  const absl::Duration interval_;
  absl::Notification stop_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const Entry>> entries_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_REGION_SNAPSHOT_H_
