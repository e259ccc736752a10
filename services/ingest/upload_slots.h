// UploadSlots: a bound on the uploads in progress at once.
//
// Each upload holds its photo in memory until the last chunk (so that an
// aborted one leaves nothing behind), up to 25 MB; without a bound, a crowd
// of slow uploads on election night could exhaust the server's memory. An
// upload beyond the bound is refused at once with UNAVAILABLE, which
// clients retry with backoff. Thread-safe.
#ifndef C1TALLY_SERVICES_INGEST_UPLOAD_SLOTS_H_
#define C1TALLY_SERVICES_INGEST_UPLOAD_SLOTS_H_

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace c1tally {

class UploadSlots {
 public:
  // Holds one slot while alive. The UploadSlots must outlive it.
  class Held {
   public:
    explicit Held(UploadSlots* slots) : slots_(slots) {}
    ~Held() { slots_->Release(); }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    UploadSlots* slots_;
  };

  // `limit` uploads at once; 0 or less means no bound.
  explicit UploadSlots(int limit) : limit_(limit) {}

  // Takes a slot (release it by constructing a Held right after), or
  // UNAVAILABLE when all are taken.
  absl::Status Acquire() ABSL_LOCKS_EXCLUDED(mu_);

  int in_use() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Release() ABSL_LOCKS_EXCLUDED(mu_);

  const int limit_;
  mutable absl::Mutex mu_;
  int in_use_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_INGEST_UPLOAD_SLOTS_H_
