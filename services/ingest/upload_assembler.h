// UploadAssembler: puts one photo together from the chunks of a
// CreateSubmission stream, enforcing the size limit and the offsets.
//
// Rules: the first chunk names the TPS, the race ("ppwp" when empty) and
// the total size (at most
// `max_bytes`; refused before any byte is kept). Each chunk's offset must be
// where the bytes so far end; a chunk at an earlier offset is a retry and
// is accepted only if it carries exactly the bytes already there (and then
// ignored); a gap or an overlap with other bytes is refused. Later chunks
// may repeat the TPS and size but not change them.
//
// Holds the bytes in memory until Finish(): nothing is stored while the
// stream runs, so a stream that is cancelled leaves nothing behind. Not
// thread-safe (one per stream).
#ifndef C1TALLY_SERVICES_INGEST_UPLOAD_ASSEMBLER_H_
#define C1TALLY_SERVICES_INGEST_UPLOAD_ASSEMBLER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "c1tally/v1/ingest.pb.h"

namespace c1tally {

class UploadAssembler {
 public:
  explicit UploadAssembler(int64_t max_bytes) : max_bytes_(max_bytes) {}

  // Takes one chunk. INVALID_ARGUMENT (with the offsets in the message) for
  // anything the rules above refuse, and for a size above max_bytes.
  absl::Status Add(const v1::CreateSubmissionRequest& chunk);

  // The whole photo. INVALID_ARGUMENT when no chunk came or fewer bytes
  // than announced arrived.
  absl::StatusOr<std::string> Finish();

  const std::string& tps_code() const { return tps_code_; }
  // "ppwp" unless the first chunk said otherwise.
  const std::string& form_kind() const { return form_kind_; }

 private:
  absl::Status Start(const v1::CreateSubmissionRequest& chunk);
  absl::Status CheckRepeatedFields(const v1::CreateSubmissionRequest& chunk);
  absl::Status Place(int64_t offset, const std::string& data);

  int64_t max_bytes_;
  bool started_ = false;
  std::string tps_code_;
  std::string form_kind_;
  int64_t size_bytes_ = 0;
  std::string bytes_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_INGEST_UPLOAD_ASSEMBLER_H_
