#include "storage/submission_store.h"

#include <google/protobuf/util/time_util.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "storage/keys.h"
#include "storage/listing_page.h"
#include "storage/region_code.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kShaHexLength = 64;

bool IsHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

uint64_t MicrosOf(absl::Time time) {
  return static_cast<uint64_t>(absl::ToUnixMicros(time));
}

// A submission key from the tail of an index key (after its fixed part).
std::string SubmissionKeyAfter(absl::string_view key, size_t fixed_length) {
  return std::string(key.substr(fixed_length));
}

}  // namespace

SubmissionStore::SubmissionStore(Database* db, BlobStore* blobs,
                                 std::function<absl::Time()> clock)
    : db_(db), blobs_(blobs), tree_(db), clock_(std::move(clock)) {}

std::string SubmissionStore::NameOf(absl::string_view tps,
                                    absl::string_view sha256_hex) {
  return absl::StrCat(kNamePrefix, tps, "-", sha256_hex);
}

absl::Status SubmissionStore::CheckTps(absl::string_view tps) const {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(tps);
  if (!code.ok()) return code.status();
  if (code->level() != v1::REGION_LEVEL_TPS) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", tps, "\" is a ", RegionCode::LevelName(code->level()),
        " code; a photo belongs to a TPS (13 digits)"));
  }
  absl::StatusOr<v1::Tps> found = tree_.GetTps(*code);
  if (absl::IsNotFound(found.status())) {
    return absl::NotFoundError(
        absl::StrCat("TPS ", tps, " is not in the region tree"));
  }
  return found.status();
}

absl::StatusOr<v1::Submission> SubmissionStore::ReadKey(
    absl::string_view key) const {
  std::string value;
  RETURN_IF_ERROR(db_->Get(Family::kSubmissions, key, &value,
                           absl::StrCat("submission ", key)));
  v1::Submission submission;
  if (!submission.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("submission ", key, " is corrupt"));
  }
  return submission;
}

absl::Status SubmissionStore::CheckQuota(absl::string_view uploader,
                                         int64_t size, absl::Time now,
                                         const UploadQuota& quota) const {
  if (quota.photos_per_hour <= 0 && quota.bytes_per_day <= 0) {
    return absl::OkStatus();
  }
  const std::string prefix = keys::SubmissionByUploaderPrefix(uploader);
  const uint64_t hour_ago = MicrosOf(now - absl::Hours(1));
  int photos_in_hour = 0;
  int64_t bytes_in_day = 0;
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kSubmissionsByUploader);
  for (it->Seek(keys::SubmissionByUploader(
           uploader, MicrosOf(now - absl::Hours(24)), ""));
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    const uint64_t micros =
        keys::ParseSequence(View(it->key()).substr(prefix.size(), 8));
    photos_in_hour += micros >= hour_ago ? 1 : 0;
    bytes_in_day +=
        static_cast<int64_t>(keys::ParseSequence(View(it->value())));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "quota");
  if (quota.photos_per_hour > 0 && photos_in_hour + 1 > quota.photos_per_hour) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "upload quota reached: ", quota.photos_per_hour,
        " photos per hour for \"", uploader, "\"; try again later"));
  }
  if (quota.bytes_per_day > 0 && bytes_in_day + size > quota.bytes_per_day) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "upload quota reached: ", quota.bytes_per_day, " bytes per day for \"",
        uploader, "\" (", bytes_in_day, " used); try again later"));
  }
  return absl::OkStatus();
}

absl::StatusOr<SubmissionStore::Created> SubmissionStore::Create(
    const NewPhoto& photo, const UploadQuota& quota) {
  RETURN_IF_ERROR(CheckTps(photo.tps_code));
  const std::string sha = ToHex(Sha256(photo.bytes));
  const std::string key = keys::Submission(photo.tps_code, sha);
  const int64_t size = static_cast<int64_t>(photo.bytes.size());
  // Checked once without the lock so that a repeat or an upload over quota
  // writes no blob; checked again under it, where it counts.
  absl::StatusOr<v1::Submission> existing = ReadKey(key);
  if (existing.ok()) return Created{*std::move(existing), false};
  if (!absl::IsNotFound(existing.status())) return existing.status();
  RETURN_IF_ERROR(CheckQuota(photo.uploader, size, clock_(), quota));
  // The bytes first and outside the lock: the fsync of megabytes must not
  // hold up other uploads, and a blob without a submission is harmless.
  RETURN_IF_ERROR(blobs_->Put(sha, photo.bytes));

  absl::MutexLock lock(&write_mu_);
  existing = ReadKey(key);
  if (existing.ok()) return Created{*std::move(existing), false};
  if (!absl::IsNotFound(existing.status())) return existing.status();
  const absl::Time now = clock_();
  RETURN_IF_ERROR(CheckQuota(photo.uploader, size, now, quota));
  ASSIGN_OR_RETURN(v1::Submission inserted, Insert(photo, sha, now));
  return Created{std::move(inserted), true};
}

absl::StatusOr<v1::Submission> SubmissionStore::Insert(
    const NewPhoto& photo, const std::string& sha256_hex, absl::Time now) {
  const std::string key = keys::Submission(photo.tps_code, sha256_hex);
  v1::Submission submission;
  submission.set_name(NameOf(photo.tps_code, sha256_hex));
  submission.set_tps_code(photo.tps_code);
  submission.set_uploader(photo.uploader);
  submission.set_sha256(sha256_hex);
  submission.set_size_bytes(static_cast<int64_t>(photo.bytes.size()));
  *submission.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  submission.set_state(v1::Submission::STATE_RECEIVED);
  submission.set_image_format(photo.image_format);
  submission.set_form_kind(photo.form_kind);
  submission.set_width(photo.width);
  submission.set_height(photo.height);

  rocksdb::WriteBatch batch;
  // The same bytes under other TPS: a photo cannot show two TPS, so every
  // one of them is flagged and none is dropped.
  const std::string prefix = keys::SubmissionByShaPrefix(sha256_hex);
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kSubmissionsBySha);
  for (it->Seek(prefix);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    const std::string other_tps(View(it->key()).substr(prefix.size()));
    ASSIGN_OR_RETURN(v1::Submission other,
                     ReadKey(keys::Submission(other_tps, sha256_hex)));
    submission.add_remarks(
        absl::StrCat("same photo also uploaded for TPS ", other_tps));
    if (other.flags().empty()) other.add_flags(kDuplicateOtherTps);
    other.add_remarks(
        absl::StrCat("same photo also uploaded for TPS ", photo.tps_code));
    batch.Put(db_->handle(Family::kSubmissions),
              keys::Submission(other_tps, sha256_hex),
              other.SerializeAsString());
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "dedup");
  if (submission.remarks_size() > 0) submission.add_flags(kDuplicateOtherTps);

  batch.Put(db_->handle(Family::kSubmissions), key,
            submission.SerializeAsString());
  batch.Put(db_->handle(Family::kSubmissionsBySha),
            keys::SubmissionBySha(sha256_hex, photo.tps_code), "");
  batch.Put(db_->handle(Family::kSubmissionsByUploader),
            keys::SubmissionByUploader(photo.uploader, MicrosOf(now), key),
            keys::Sequence(photo.bytes.size()));
  batch.Put(db_->handle(Family::kReceived), keys::Received(MicrosOf(now), key),
            "");
  RETURN_IF_ERROR(db_->Write(&batch));
  return submission;
}

absl::StatusOr<std::string> SubmissionStore::KeyOf(absl::string_view name) {
  absl::string_view rest = name;
  const size_t tps_width = RegionCode::kTpsWidth;
  if (!absl::ConsumePrefix(&rest, kNamePrefix) ||
      rest.size() != tps_width + 1 + kShaHexLength || rest[tps_width] != '-' ||
      !IsHex(rest.substr(tps_width + 1))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad submission name \"", name,
        "\"; expected submissions/{13-digit TPS}-{64 hex digits}"));
  }
  return keys::Submission(rest.substr(0, tps_width),
                          absl::AsciiStrToLower(rest.substr(tps_width + 1)));
}

absl::StatusOr<v1::Submission> SubmissionStore::Get(
    absl::string_view name) const {
  ASSIGN_OR_RETURN(std::string key, KeyOf(name));
  absl::StatusOr<v1::Submission> found = ReadKey(key);
  if (absl::IsNotFound(found.status())) {
    return absl::NotFoundError(absl::StrCat(name, " not found"));
  }
  return found;
}

SubmissionStore::Edit::Edit(SubmissionStore* store, std::string key,
                            v1::Submission stored)
    : store_(store),
      key_(std::move(key)),
      stored_state_(stored.state()),
      submission_(std::move(stored)) {}

// The lock was taken by BeginEdit(), which handed it to this Edit.
SubmissionStore::Edit::~Edit() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  store_->write_mu_.Unlock();
}

void SubmissionStore::Edit::Stage(rocksdb::WriteBatch* batch) const {
  Database* db = store_->db_;
  batch->Put(db->handle(Family::kSubmissions), key_,
             submission_.SerializeAsString());
  if (stored_state_ == v1::Submission::STATE_RECEIVED &&
      submission_.state() != v1::Submission::STATE_RECEIVED) {
    batch->Delete(
        db->handle(Family::kReceived),
        keys::Received(static_cast<uint64_t>(TimeUtil::TimestampToMicroseconds(
                           submission_.create_time())),
                       key_));
  }
}

absl::StatusOr<std::unique_ptr<SubmissionStore::Edit>>
SubmissionStore::BeginEdit(absl::string_view name)
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  ASSIGN_OR_RETURN(std::string key, KeyOf(name));
  write_mu_.Lock();
  absl::StatusOr<v1::Submission> stored = ReadKey(key);
  if (!stored.ok()) {
    write_mu_.Unlock();
    if (absl::IsNotFound(stored.status())) {
      return absl::NotFoundError(absl::StrCat(name, " not found"));
    }
    return stored.status();
  }
  // The Edit unlocks when it goes.
  return std::unique_ptr<Edit>(
      new Edit(this, std::move(key), *std::move(stored)));
}

absl::Status SubmissionStore::ForEach(
    const std::function<absl::Status(const v1::Submission&)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kSubmissions);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::Submission submission;
    if (!submission.ParseFromString(std::string(View(it->value())))) {
      return absl::DataLossError(
          absl::StrCat("submission ", View(it->key()), " is corrupt"));
    }
    RETURN_IF_ERROR(visit(submission));
  }
  return FromRocksStatus(it->status(), "submissions");
}

absl::StatusOr<SubmissionStore::Queued> SubmissionStore::NextReceived(
    absl::string_view queue_key) const {
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kReceived);
  queue_key.empty()
      ? it->SeekToFirst()
      : it->Seek(rocksdb::Slice(queue_key.data(), queue_key.size()));
  if (!it->status().ok()) return FromRocksStatus(it->status(), "OCR queue");
  if (!it->Valid()) return absl::NotFoundError("no submission waiting");
  // The queue key is the upload time (8 bytes) and the submission key,
  // TPS + '/' + hash.
  const absl::string_view key = View(it->key());
  const absl::string_view submission =
      key.size() > 8 ? key.substr(8) : absl::string_view();
  const size_t slash = submission.find('/');
  if (slash == absl::string_view::npos) {
    return absl::DataLossError("malformed OCR queue entry");
  }
  return Queued{std::string(key), NameOf(submission.substr(0, slash),
                                         submission.substr(slash + 1))};
}

absl::StatusOr<Page<v1::Submission>> SubmissionStore::ListRange(
    Family family, const std::string& prefix, int page_size,
    const std::string& page_token,
    const std::function<absl::StatusOr<v1::Submission>(absl::string_view key)>&
        resolve) const {
  // A token holds the last key returned; the listing is the index and its
  // prefix, so a token of one TPS's listing is refused by another's.
  const std::string listing =
      absl::StrCat("submissions/", static_cast<int>(family), "/", prefix);
  ASSIGN_OR_RETURN(const std::string after,
                   DecodePageToken(listing, page_token));
  const int limit = ClampPageSize(page_size);
  Page<v1::Submission> page;
  std::string last;
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(family);
  for (it->Seek(after.empty() ? prefix : after);
       it->Valid() && absl::StartsWith(View(it->key()), prefix); it->Next()) {
    if (View(it->key()) == after) continue;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_page_token = EncodePageToken(listing, last);
      break;
    }
    ASSIGN_OR_RETURN(v1::Submission submission, resolve(View(it->key())));
    page.items.push_back(std::move(submission));
    last = std::string(View(it->key()));
  }
  if (!it->status().ok()) {
    return FromRocksStatus(it->status(), "listing submissions");
  }
  return page;
}

absl::StatusOr<Page<v1::Submission>> SubmissionStore::ListByTps(
    absl::string_view tps, int page_size, const std::string& page_token) const {
  RETURN_IF_ERROR(CheckTps(tps));
  return ListRange(Family::kSubmissions, keys::SubmissionPrefix(tps), page_size,
                   page_token,
                   [this](absl::string_view key) { return ReadKey(key); });
}

absl::StatusOr<Page<v1::Submission>> SubmissionStore::ListByUploader(
    absl::string_view uploader, int page_size,
    const std::string& page_token) const {
  const std::string prefix = keys::SubmissionByUploaderPrefix(uploader);
  return ListRange(Family::kSubmissionsByUploader, prefix, page_size,
                   page_token, [this, &prefix](absl::string_view key) {
                     // The index key ends with the submission key, after
                     // the 8-byte upload time.
                     return ReadKey(SubmissionKeyAfter(key, prefix.size() + 8));
                   });
}

absl::StatusOr<std::string> SubmissionStore::ReadPhoto(
    const v1::Submission& submission) const {
  return blobs_->Get(submission.sha256());
}

}  // namespace c1tally
