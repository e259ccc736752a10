#include "services/gateway/region_snapshot.h"

#include <iostream>

#include "storage/status_macros.h"

namespace c1tally {
namespace {

bool SameTime(const google::protobuf::Timestamp& a,
              const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

}  // namespace

RegionSnapshot::RegionSnapshot(const PublicResults* results, Render render,
                               absl::Duration interval)
    : results_(results), render_(std::move(render)), interval_(interval) {}

RegionSnapshot::~RegionSnapshot() { Stop(); }

void RegionSnapshot::Start() {
  thread_ = std::thread([this] {
    do {
      if (absl::StatusOr<int> refreshed = Refresh(); !refreshed.ok()) {
        std::cerr << "c1tallyd: refreshing the page snapshot: "
                  << refreshed.status().message() << std::endl;
      }
    } while (!stop_.WaitForNotificationWithTimeout(interval_));
  });
}

void RegionSnapshot::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

std::optional<HttpResponse> RegionSnapshot::Find(const std::string& code,
                                                 Format format) const {
  std::shared_ptr<const Entry> entry;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(code);
    if (it == entries_.end()) return std::nullopt;
    entry = it->second;
  }
  return format == Format::kJson ? entry->json : entry->html;
}

absl::StatusOr<int> RegionSnapshot::Refresh() {
  int rebuilt = 0;
  RETURN_IF_ERROR(RefreshRegion("", &rebuilt));
  return rebuilt;
}

bool RegionSnapshot::Unchanged(const v1::Region& region) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = entries_.find(region.code());
  return it != entries_.end() &&
         SameTime(it->second->update_time, region.aggregate().update_time());
}

absl::Status RegionSnapshot::RefreshRegion(const std::string& code,
                                           int* rebuilt) {
  ASSIGN_OR_RETURN(RegionView view, results_->GetRegion(code, "", 0, ""));
  if (!Unchanged(view.region)) {
    auto entry = std::make_shared<Entry>();
    entry->update_time = view.region.aggregate().update_time();
    entry->json = render_(view, Format::kJson);
    entry->html = render_(view, Format::kHtml);
    absl::MutexLock lock(&mu_);
    entries_[code] = std::move(entry);
    ++*rebuilt;
  }
  // Deeper levels are rendered live (and cached by Cache-Control longer).
  if (code.size() >= kMaxCodeWidth) return absl::OkStatus();
  for (const v1::Region& child : view.children) {
    if (stop_.HasBeenNotified()) break;
    if (Unchanged(child)) continue;
    RETURN_IF_ERROR(RefreshRegion(child.code(), rebuilt));
  }
  return absl::OkStatus();
}

}  // namespace c1tally
