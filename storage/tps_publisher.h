// TpsPublisher: the result of a TPS from its settled photos, published
// through the TallyStore.
//
// The result is the join of the TPS's settled pages (tps_pages.h); the
// reasons moderators gave for any of its review tasks travel with it in
// its provenance (and so into the tally journal). Publishing the same
// result again changes nothing (the TallyStore writes nothing for it).
//
// The publisher writes only through TallyStore::SetResults, which owns the
// results, aggregates and journal; the photo that changes the result rides
// in the same write (see Publish). Thread-safe as far as the stores are;
// callers serialize the publishing of one TPS (PhotoLifecycle does) so
// that two photos settling at once do not each join without the other.
// The stores and the form kind must outlive the publisher.
#ifndef C1TALLY_STORAGE_TPS_PUBLISHER_H_
#define C1TALLY_STORAGE_TPS_PUBLISHER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "c1tally/v1/ingest.pb.h"
#include "c1tally/v1/resources.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/review_store.h"
#include "storage/submission_store.h"
#include "storage/tally_store.h"

namespace c1tally {

class TpsPublisher {
 public:
  // `kind`: the kind of the results published ("ppwp").
  TpsPublisher(const SubmissionStore* submissions, const ReviewStore* reviews,
               TallyStore* tally, const v1::FormKind* kind);

  // The result of `tps` as its photos stand, with `changed` (one photo of
  // `tps` as it is about to be stored; null: none) in place of its stored
  // version. Nothing while pages 2 and 3 are not both settled.
  absl::StatusOr<std::optional<v1::TpsResult>> ResultOf(
      absl::string_view tps, const v1::Submission* changed) const;

  // Publishes ResultOf(tps, changed) and writes `batch` (the caller's
  // changes, e.g. `changed` itself) in the same atomic write: the photo
  // never stands settled without its TPS's result, nor the other way
  // round. With no result yet, `batch` alone is written. On an error
  // nothing is written and the TallyStore's reason is returned (e.g.
  // INVALID_ARGUMENT for a value out of the form kind's range).
  absl::Status Publish(absl::string_view tps, const v1::Submission* changed,
                       rocksdb::WriteBatch* batch) const;

 private:
  // The moderators' reasons for the tasks of `tps`, one line each.
  absl::StatusOr<std::string> ModeratorNote(absl::string_view tps) const;

  const SubmissionStore* submissions_;
  const ReviewStore* reviews_;
  TallyStore* tally_;
  const v1::FormKind* kind_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_TPS_PUBLISHER_H_
