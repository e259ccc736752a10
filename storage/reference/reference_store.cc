#include "storage/reference/reference_store.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace c1tally {

absl::StatusOr<std::string> ReferenceStore::ReadRaw(absl::string_view key,
                                                    bool* found) const {
  std::string value;
  absl::Status read = db_->Get(Family::kReference, key, &value, key);
  *found = read.ok();
  if (absl::IsNotFound(read)) return std::string();
  RETURN_IF_ERROR(read);
  return value;
}

template <typename Message>
absl::StatusOr<Message> ReferenceStore::Read(const std::string& key,
                                             absl::string_view what) const {
  bool found = false;
  ASSIGN_OR_RETURN(std::string value, ReadRaw(key, &found));
  if (!found) return absl::NotFoundError(absl::StrCat(what, " is not known"));
  Message message;
  if (!message.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat(what,
                                            ": the stored record is "
                                            "corrupt"));
  }
  return message;
}

absl::StatusOr<v1::Party> ReferenceStore::GetParty(int32_t id) const {
  return Read<v1::Party>(keys::ReferenceParty(id), absl::StrCat("party ", id));
}

absl::StatusOr<v1::Dapil> ReferenceStore::GetDapil(
    absl::string_view race, absl::string_view code) const {
  return Read<v1::Dapil>(keys::ReferenceDapil(race, code),
                         absl::StrCat("dapil ", code, " of ", race));
}

absl::StatusOr<v1::Ballot> ReferenceStore::GetBallot(
    absl::string_view race, absl::string_view dapil) const {
  return Read<v1::Ballot>(
      keys::ReferenceBallot(race, dapil),
      absl::StrCat("the ballot of dapil ", dapil, " of ", race));
}

absl::StatusOr<std::string> ReferenceStore::DapilOfCandidate(
    absl::string_view race, absl::string_view id) const {
  bool found = false;
  ASSIGN_OR_RETURN(std::string dapil,
                   ReadRaw(keys::ReferenceCandidate(race, id), &found));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("candidate ", id, " is on no ", race, " ballot"));
  }
  return dapil;
}

namespace {

// Calls `visit(key without prefix, value)` for every key under `prefix`.
template <typename Visit>
absl::Status Scan(Database* db, Family family, const std::string& prefix,
                  Visit visit) {
  std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(family);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix);
       it->Next()) {
    RETURN_IF_ERROR(
        visit(View(it->key()).substr(prefix.size()), View(it->value())));
  }
  return FromRocksStatus(it->status(), "reading reference data");
}

template <typename Message>
absl::Status ParseInto(absl::string_view value, std::vector<Message>* out) {
  Message message;
  if (!message.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError("a stored reference record is corrupt");
  }
  out->push_back(std::move(message));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<v1::Party>> ReferenceStore::ListParties() const {
  std::vector<v1::Party> parties;
  RETURN_IF_ERROR(Scan(db_, Family::kReference, keys::ReferencePartyPrefix(),
                       [&](absl::string_view, absl::string_view value) {
                         return ParseInto(value, &parties);
                       }));
  return parties;
}

absl::StatusOr<std::vector<v1::Dapil>> ReferenceStore::ListDapil(
    absl::string_view race) const {
  std::vector<v1::Dapil> list;
  RETURN_IF_ERROR(Scan(db_, Family::kReference,
                       keys::ReferenceDapilPrefix(race),
                       [&](absl::string_view, absl::string_view value) {
                         return ParseInto(value, &list);
                       }));
  return list;
}

absl::StatusOr<std::string> ReferenceStore::DapilOf(
    absl::string_view race, const RegionCode& code) const {
  if (race == "pdpd") {
    if (code.is_national()) {
      return absl::NotFoundError("the nation is in no DPD dapil");
    }
    const std::string province = code.str().substr(0, 2);
    bool found = false;
    RETURN_IF_ERROR(
        ReadRaw(keys::ReferenceBallot(race, province), &found).status());
    if (!found) {
      return absl::NotFoundError(
          absl::StrCat("no DPD ballot is imported for province ", province));
    }
    return province;
  }
  // The deepest mapped ancestor wins: try the code, then each ancestor.
  for (size_t width :
       {size_t{13}, size_t{10}, size_t{6}, size_t{4}, size_t{2}}) {
    if (width > code.str().size()) continue;
    bool found = false;
    ASSIGN_OR_RETURN(
        std::string dapil,
        ReadRaw(keys::ReferenceArea(race, code.str().substr(0, width)),
                &found));
    if (found) return dapil;
  }
  return absl::NotFoundError(
      absl::StrCat(code.str(), " is in no ", race, " dapil"));
}

absl::StatusOr<std::vector<ReferenceStore::Area>> ReferenceStore::ListAreas(
    absl::string_view race, absl::string_view within) const {
  std::vector<Area> areas;
  // Codes are their ancestors' plus digits: what lies below is a key range.
  RETURN_IF_ERROR(
      Scan(db_, Family::kReference, keys::ReferenceArea(race, within),
           [&](absl::string_view below, absl::string_view dapil) {
             areas.push_back({absl::StrCat(within, below), std::string(dapil)});
             return absl::OkStatus();
           }));
  return areas;
}

absl::StatusOr<std::vector<ReferenceStore::Version>> ReferenceStore::History(
    absl::string_view key) const {
  std::vector<Version> versions;
  RETURN_IF_ERROR(
      Scan(db_, Family::kReferenceHistory, keys::ReferenceHistoryPrefix(key),
           [&](absl::string_view when, absl::string_view value) {
             if (when.size() != 8) return absl::OkStatus();  // a longer key's
             versions.push_back({absl::FromUnixMicros(static_cast<int64_t>(
                                     keys::ParseSequence(when))),
                                 std::string(value)});
             return absl::OkStatus();
           }));
  return versions;
}

absl::StatusOr<bool> ReferenceStore::Stage(absl::string_view key,
                                           const std::string& value,
                                           absl::Time at,
                                           rocksdb::WriteBatch* batch) const {
  bool found = false;
  ASSIGN_OR_RETURN(std::string stored, ReadRaw(key, &found));
  if (found && stored == value) return false;
  rocksdb::Status put =
      batch->Put(db_->handle(Family::kReference),
                 rocksdb::Slice(key.data(), key.size()), value);
  if (put.ok()) {
    const std::string history = keys::ReferenceHistory(
        key, static_cast<uint64_t>(absl::ToUnixMicros(at)));
    put = batch->Put(db_->handle(Family::kReferenceHistory), history, stored);
  }
  RETURN_IF_ERROR(FromRocksStatus(put, "staging reference data"));
  return true;
}

}  // namespace c1tally
