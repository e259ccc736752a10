#include "services/gateway/rate_limiter.h"

#include <algorithm>

namespace c1tally {

RateLimiter::RateLimiter(Limit limit, size_t max_keys,
                         std::function<absl::Time()> clock)
    : limit_(limit), max_keys_(max_keys), clock_(std::move(clock)) {}

bool RateLimiter::Allow(const std::string& key) {
  if (limit_.per_second <= 0) return true;
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  if (now - last_prune_ > absl::Seconds(limit_.burst / limit_.per_second)) {
    Prune(now);
  }
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) return false;
    it = buckets_.emplace(key, Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = std::min(
      limit_.burst, bucket.tokens + absl::ToDoubleSeconds(now - bucket.last) *
                                        limit_.per_second);
  bucket.last = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

void RateLimiter::Prune(absl::Time now) {
  last_prune_ = now;
  absl::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& bucket = entry.second;
    return bucket.tokens +
               absl::ToDoubleSeconds(now - bucket.last) * limit_.per_second >=
           limit_.burst;
  });
}

}  // namespace c1tally
