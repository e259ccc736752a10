// Key layouts of the column families (see Family in storage/database.h).
//
//   kMeta          "c1tally.schema" -> layout version
//   kRegions       region code ("" = nation)      -> v1::Region (no aggregate)
//   kTps           13-digit TPS code               -> v1::Tps (no results)
//   kChildren      parent code + '/' + child code  -> ""
//   kResults       form kind + '/' + TPS code      -> v1::TpsResult
//   kAggregates    form kind + '/' + region code   -> v1::Aggregate
//                  form kind + "/d/" + kode_dapil  -> v1::Aggregate
//   kJournal       sequence, 8 bytes big-endian    -> v1::JournalEntry
//   kJournalByTps  TPS code + sequence (8 bytes)   -> ""
//   kSirekap       race + '/' + code + '/' + fetch time (microseconds,
//                  8 bytes big-endian)             -> v1::SirekapRecord
//   kSirekapLatest race + '/' + code               -> v1::SirekapRecord
//                  (the newest version, without raw_json)
//   kUsers         login name                      -> storage::StoredUser
//   kTokens        SHA-256 of the token (32 bytes) -> storage::StoredToken
//   kSubmissions   TPS code + '/' + SHA-256 hex    -> v1::Submission
//   kSubmissionsBySha  SHA-256 hex + '/' + TPS code -> ""
//   kSubmissionsByUploader  uploader + '/' + upload time (microseconds,
//                  8 bytes) + submission key       -> size, 8 bytes
//   kReceived      upload time (microseconds, 8 bytes) + submission key
//                  -> "": submissions waiting for OCR, oldest first
//   kBlobs         SHA-256 hex                     -> photo bytes (blob files)
//   kOcrJobs       submission key                  -> storage::StoredOcrJob
//                  (jobs leased at least once and not yet ended)
//   kReviewTasks   TPS + '-' + SHA-256 hex + '-' + field (or "page")
//                  -> storage::StoredReviewTask
//   kReviewOpen    creation time (microseconds, 8 bytes) + task key -> "":
//                  tasks waiting for entries, oldest first
//   kVolunteerStats  login name                    -> v1::VolunteerStats
//   kReference     "party/" + id (3 digits)        -> v1::Party
//                  "dapil/" + race + '/' + kode    -> v1::Dapil
//                  "ballot/" + race + '/' + kode   -> v1::Ballot
//                  "candidate/" + race + '/' + id  -> kode_dapil
//                  "area/" + race + '/' + region   -> kode_dapil
//   kReferenceHistory  kReference key + '/' + import time (microseconds,
//                  8 bytes big-endian) -> the value that import replaced
//                  ("" when there was none)
//
// Codes are digit strings and '/' sorts before digits, so the children of a
// parent are one contiguous, code-ordered range, as are the TPS below any
// region in kTps.
#ifndef C1TALLY_STORAGE_KEYS_H_
#define C1TALLY_STORAGE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace c1tally {
namespace keys {

std::string Child(absl::string_view parent, absl::string_view child);
// Prefix of every Child key of `parent`.
std::string ChildPrefix(absl::string_view parent);

std::string Result(absl::string_view form_kind, absl::string_view tps);
std::string ResultPrefix(absl::string_view form_kind);

std::string Aggregate(absl::string_view form_kind, absl::string_view region);
// The aggregate of a dapil of a legislative race: form kind + "/d/" + kode
// (no region code has a letter, so it never meets a region's).
std::string DapilAggregate(absl::string_view form_kind,
                           absl::string_view dapil);

std::string Sequence(uint64_t sequence);
// Inverse of Sequence(); 0 when `key` is not 8 bytes.
uint64_t ParseSequence(absl::string_view key);

std::string JournalByTps(absl::string_view tps, uint64_t sequence);

// A Sirekap record version; `fetch_micros` is microseconds since the epoch.
std::string SirekapVersion(absl::string_view race, absl::string_view code,
                           uint64_t fetch_micros);
// Prefix of every version of one code.
std::string SirekapVersionPrefix(absl::string_view race,
                                 absl::string_view code);
std::string SirekapLatest(absl::string_view race, absl::string_view code);
// Prefix of the latest records of `region` and everything below it.
std::string SirekapLatestPrefix(absl::string_view race,
                                absl::string_view region);

// A submission: its TPS and the hex SHA-256 of its photo.
std::string Submission(absl::string_view tps, absl::string_view sha256_hex);
// Prefix of every submission of `tps`.
std::string SubmissionPrefix(absl::string_view tps);
std::string SubmissionBySha(absl::string_view sha256_hex,
                            absl::string_view tps);
std::string SubmissionByShaPrefix(absl::string_view sha256_hex);
// `submission` is a Submission() key.
std::string SubmissionByUploader(absl::string_view uploader,
                                 uint64_t upload_micros,
                                 absl::string_view submission);
std::string SubmissionByUploaderPrefix(absl::string_view uploader);
std::string Received(uint64_t upload_micros, absl::string_view submission);

// Reference data of the legislative races (docs/LEGISLATIVE.md).
std::string ReferenceParty(int32_t id);
std::string ReferencePartyPrefix();
std::string ReferenceDapil(absl::string_view race, absl::string_view code);
std::string ReferenceDapilPrefix(absl::string_view race);
std::string ReferenceBallot(absl::string_view race, absl::string_view dapil);
std::string ReferenceCandidate(absl::string_view race, absl::string_view id);
std::string ReferenceArea(absl::string_view race, absl::string_view region);
std::string ReferenceAreaPrefix(absl::string_view race);
// A replaced version of the kReference record at `key`.
std::string ReferenceHistory(absl::string_view key, uint64_t import_micros);
std::string ReferenceHistoryPrefix(absl::string_view key);

}  // namespace keys
}  // namespace c1tally

#endif  // C1TALLY_STORAGE_KEYS_H_
