#include "storage/batch_writer.h"

namespace c1tally {

BatchWriter::BatchWriter(Database* db, size_t records_per_batch)
    : db_(db), records_per_batch_(records_per_batch) {}

absl::Status BatchWriter::Put(Family family, const std::string& key,
                              const std::string& value) {
  return FromRocksStatus(batch_.Put(db_->handle(family), key, value), "batch");
}

absl::Status BatchWriter::EndRecord() {
  if (++records_ < records_per_batch_) return absl::OkStatus();
  return Flush();
}

absl::Status BatchWriter::Flush() {
  if (records_ == 0) return absl::OkStatus();
  absl::Status written = db_->Write(&batch_);
  batch_.Clear();
  records_ = 0;
  return written;
}

}  // namespace c1tally
