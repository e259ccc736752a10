// RateLimiter: token buckets per key (an IP address, a user name): each key
// may spend `burst` requests at once and regains `per_second` a second.
//
// Keys are forgotten once their bucket is full again, so memory follows the
// keys active in the last burst/per_second seconds, capped at `max_keys`
// (beyond it, new keys are refused until old ones fill up: under a flood
// of addresses the limiter fails closed). Thread-safe.
#ifndef C1TALLY_SERVICES_GATEWAY_RATE_LIMITER_H_
#define C1TALLY_SERVICES_GATEWAY_RATE_LIMITER_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace c1tally {

class RateLimiter {
 public:
  struct Limit {
    double per_second = 10;
    double burst = 20;
  };

  // A limit with per_second <= 0 allows everything.
  explicit RateLimiter(Limit limit, size_t max_keys = 1 << 20,
                       std::function<absl::Time()> clock = absl::Now);

  // Takes one token from `key`'s bucket; false when it is empty.
  bool Allow(const std::string& key) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Bucket {
    double tokens;
    absl::Time last;
  };
  void Prune(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Limit limit_;
  const size_t max_keys_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  absl::Time last_prune_ ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_RATE_LIMITER_H_
