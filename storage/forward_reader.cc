#include "storage/forward_reader.h"

namespace c1tally {

ForwardReader::ForwardReader(Database* db, Family family)
    : it_(db->NewIterator(family)) {}

absl::StatusOr<bool> ForwardReader::Find(const std::string& key,
                                         std::string* value) {
  // A few steps forward, then a seek: imports are usually dense.
  constexpr int kMaxSteps = 8;
  if (!positioned_) {
    it_->Seek(key);
    positioned_ = true;
  } else {
    for (int i = 0; i < kMaxSteps && Before(key); ++i) it_->Next();
    if (Before(key)) it_->Seek(key);
  }
  if (!it_->Valid()) {
    if (!it_->status().ok()) return FromRocksStatus(it_->status(), "read");
    return false;
  }
  if (it_->key() != rocksdb::Slice(key)) return false;
  value->assign(it_->value().data(), it_->value().size());
  return true;
}

bool ForwardReader::Before(const std::string& key) const {
  return it_->Valid() && it_->key().compare(rocksdb::Slice(key)) < 0;
}

}  // namespace c1tally
