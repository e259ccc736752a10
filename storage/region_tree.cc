#include "storage/region_tree.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// A listing's name in its page tokens.
std::string ChildrenListing(const RegionCode& parent) {
  return absl::StrCat("children/", parent.str());
}
std::string TpsListing(const RegionCode& parent) {
  return absl::StrCat("tps/", parent.str());
}

}  // namespace

absl::StatusOr<v1::Region> RegionTree::GetRegion(
    const RegionCode& code, const rocksdb::Snapshot* snapshot) const {
  if (code.is_tps()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", code.str(), "\" is a TPS, not a region"));
  }
  std::string value;
  absl::Status read = db_->Get(
      Family::kRegions, code.str(), &value,
      absl::StrCat(RegionCode::LevelName(code.level()), " ", code.str()),
      snapshot);
  v1::Region region;
  if (absl::IsNotFound(read) && code.is_national()) {
    // The nation exists before any import.
    region.set_level(v1::REGION_LEVEL_NATIONAL);
    region.set_name("Indonesia");
    return region;
  }
  if (!read.ok()) return read;
  if (!region.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("region record ", code.str(), " is unreadable"));
  }
  return region;
}

absl::StatusOr<v1::Tps> RegionTree::GetTps(
    const RegionCode& code, const rocksdb::Snapshot* snapshot) const {
  if (!code.is_tps()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", code.str(), "\" is not a TPS code (13 digits)"));
  }
  std::string value;
  RETURN_IF_ERROR(db_->Get(Family::kTps, code.str(), &value,
                           absl::StrCat("TPS ", code.str()), snapshot));
  v1::Tps tps;
  if (!tps.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("TPS record ", code.str(), " is unreadable"));
  }
  return tps;
}

absl::StatusOr<Page<std::string>> RegionTree::ListChildren(
    const RegionCode& parent, int page_size, const std::string& page_token,
    const rocksdb::Snapshot* snapshot) const {
  ASSIGN_OR_RETURN(const std::string last,
                   DecodePageToken(ChildrenListing(parent), page_token));
  page_size = ClampPageSize(page_size);
  const std::string prefix = keys::ChildPrefix(parent.str());
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kChildren, snapshot);
  if (last.empty()) {
    it->Seek(prefix);
  } else {
    const std::string after = keys::Child(parent.str(), last);
    it->Seek(after);
    if (it->Valid() && it->key() == after) it->Next();
  }
  Page<std::string> page;
  for (; it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_page_token =
          EncodePageToken(ChildrenListing(parent), page.items.back());
      break;
    }
    page.items.push_back(it->key().ToString().substr(prefix.size()));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing");
  return page;
}

absl::StatusOr<Page<v1::Tps>> RegionTree::ListTps(
    const RegionCode& parent, int page_size, const std::string& page_token,
    const rocksdb::Snapshot* snapshot) const {
  ASSIGN_OR_RETURN(const std::string last,
                   DecodePageToken(TpsListing(parent), page_token));
  page_size = ClampPageSize(page_size);
  std::unique_ptr<rocksdb::Iterator> it =
      db_->NewIterator(Family::kTps, snapshot);
  if (last.empty()) {
    it->Seek(parent.str());
  } else {
    it->Seek(last);
    if (it->Valid() && it->key() == last) it->Next();
  }
  Page<v1::Tps> page;
  for (; it->Valid() && it->key().starts_with(parent.str()); it->Next()) {
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_page_token =
          EncodePageToken(TpsListing(parent), page.items.back().code());
      break;
    }
    v1::Tps& tps = page.items.emplace_back();
    if (!tps.ParseFromArray(it->value().data(),
                            static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          absl::StrCat("TPS record ", it->key().ToString(), " is unreadable"));
    }
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing");
  return page;
}

absl::Status RegionTree::ForEachRegion(
    const std::function<absl::Status(const v1::Region&)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it = db_->NewIterator(Family::kRegions);
  v1::Region region;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().empty()) continue;  // the nation, when stored
    if (!region.ParseFromArray(it->value().data(),
                               static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat(
          "region record ", it->key().ToString(), " is unreadable"));
    }
    RETURN_IF_ERROR(visit(region));
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "listing");
  return absl::OkStatus();
}

}  // namespace c1tally
