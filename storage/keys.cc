#include "storage/keys.h"

#include "absl/strings/str_cat.h"

namespace c1tally {
namespace keys {

std::string Child(absl::string_view parent, absl::string_view child) {
  return absl::StrCat(parent, "/", child);
}

std::string ChildPrefix(absl::string_view parent) {
  return absl::StrCat(parent, "/");
}

std::string Result(absl::string_view form_kind, absl::string_view tps) {
  return absl::StrCat(form_kind, "/", tps);
}

std::string ResultPrefix(absl::string_view form_kind) {
  return absl::StrCat(form_kind, "/");
}

std::string Aggregate(absl::string_view form_kind, absl::string_view region) {
  return absl::StrCat(form_kind, "/", region);
}

std::string DapilAggregate(absl::string_view form_kind,
                           absl::string_view dapil) {
  return absl::StrCat(form_kind, "/d/", dapil);
}

std::string Sequence(uint64_t sequence) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i) {
    key[i] = static_cast<char>(sequence & 0xff);
    sequence >>= 8;
  }
  return key;
}

uint64_t ParseSequence(absl::string_view key) {
  if (key.size() != 8) return 0;
  uint64_t sequence = 0;
  for (unsigned char c : key) sequence = (sequence << 8) | c;
  return sequence;
}

std::string JournalByTps(absl::string_view tps, uint64_t sequence) {
  return absl::StrCat(tps, Sequence(sequence));
}

std::string SirekapVersion(absl::string_view race, absl::string_view code,
                           uint64_t fetch_micros) {
  return absl::StrCat(SirekapVersionPrefix(race, code), Sequence(fetch_micros));
}

std::string SirekapVersionPrefix(absl::string_view race,
                                 absl::string_view code) {
  return absl::StrCat(race, "/", code, "/");
}

std::string SirekapLatest(absl::string_view race, absl::string_view code) {
  return absl::StrCat(race, "/", code);
}

std::string SirekapLatestPrefix(absl::string_view race,
                                absl::string_view region) {
  return absl::StrCat(race, "/", region);
}

std::string Submission(absl::string_view tps, absl::string_view sha256_hex) {
  return absl::StrCat(SubmissionPrefix(tps), sha256_hex);
}

std::string SubmissionPrefix(absl::string_view tps) {
  return absl::StrCat(tps, "/");
}

std::string SubmissionBySha(absl::string_view sha256_hex,
                            absl::string_view tps) {
  return absl::StrCat(SubmissionByShaPrefix(sha256_hex), tps);
}

std::string SubmissionByShaPrefix(absl::string_view sha256_hex) {
  return absl::StrCat(sha256_hex, "/");
}

std::string SubmissionByUploader(absl::string_view uploader,
                                 uint64_t upload_micros,
                                 absl::string_view submission) {
  return absl::StrCat(SubmissionByUploaderPrefix(uploader),
                      Sequence(upload_micros), submission);
}

std::string SubmissionByUploaderPrefix(absl::string_view uploader) {
  return absl::StrCat(uploader, "/");
}

std::string Received(uint64_t upload_micros, absl::string_view submission) {
  return absl::StrCat(Sequence(upload_micros), submission);
}

std::string ReferenceParty(int32_t id) {
  return absl::StrCat(ReferencePartyPrefix(), absl::Dec(id, absl::kZeroPad3));
}

std::string ReferencePartyPrefix() { return "party/"; }

std::string ReferenceDapil(absl::string_view race, absl::string_view code) {
  return absl::StrCat(ReferenceDapilPrefix(race), code);
}

std::string ReferenceDapilPrefix(absl::string_view race) {
  return absl::StrCat("dapil/", race, "/");
}

std::string ReferenceBallot(absl::string_view race, absl::string_view dapil) {
  return absl::StrCat("ballot/", race, "/", dapil);
}

std::string ReferenceCandidate(absl::string_view race, absl::string_view id) {
  return absl::StrCat("candidate/", race, "/", id);
}

std::string ReferenceArea(absl::string_view race, absl::string_view region) {
  return absl::StrCat(ReferenceAreaPrefix(race), region);
}

std::string ReferenceAreaPrefix(absl::string_view race) {
  return absl::StrCat("area/", race, "/");
}

std::string ReferenceHistory(absl::string_view key, uint64_t import_micros) {
  return absl::StrCat(ReferenceHistoryPrefix(key), Sequence(import_micros));
}

std::string ReferenceHistoryPrefix(absl::string_view key) {
  return absl::StrCat(key, "/");
}

}  // namespace keys
}  // namespace c1tally
