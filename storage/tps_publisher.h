// TpsPublisher: the result of a TPS from its settled photos, published
// through the TallyStore.
//
// The results are the joins of the TPS's settled pages (tps_pages.h), one
// per race its photos are of: ppwp, and each legislative race whose sheets
// are all settled (its form kind from RaceForms, per the TPS's dapil); the
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
  // `kind`: the kind of ppwp's results. The legislative races' kinds come
  // from the tally store's RaceForms.
  TpsPublisher(const SubmissionStore* submissions, const ReviewStore* reviews,
               TallyStore* tally, const v1::FormKind* kind);

  // The results of `tps` as its photos stand, one per race that has one,
  // with `changed` (one photo of `tps` as it is about to be stored; null:
  // none) in place of its stored version. None for ppwp while pages 2 and
  // 3 are not both settled, nor for a legislative race while any sheet is
  // not (tps_pages.h). A race the TPS has no dapil in contributes nothing.
  absl::StatusOr<std::vector<v1::TpsResult>> ResultsOf(
      absl::string_view tps, const v1::Submission* changed) const;

  // Publishes ResultsOf(tps, changed) and writes `batch` (the caller's
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
