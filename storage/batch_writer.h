// BatchWriter: writes many records through WriteBatches of a bounded
// number of records, for bulk loads (the region importer) that need not
// be atomic as a whole but must never leave a record half-written.
//
// A record is the puts made between two EndRecord() calls (a region and
// its kChildren entry, say). A batch is written only at a record's end, so
// each record's puts reach the database together in one atomic
// WriteBatch, or not at all: after a failure or a crash the database
// holds whole records only, never part of one.
//
// Puts are buffered in memory until their batch is written: the caller
// must Flush() at the end. A writer destroyed without Flush() drops what
// it holds; nothing of it is written. A write that fails drops its batch
// too (it is not retried with the next one), so a caller that goes on
// after a failure loses those records, and knows it from the status.
//
// A BatchWriter is not thread-safe.
#ifndef C1TALLY_STORAGE_BATCH_WRITER_H_
#define C1TALLY_STORAGE_BATCH_WRITER_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"

namespace c1tally {

class BatchWriter {
 public:
  // Large enough that the per-batch WAL sync costs little, small enough to
  // bound memory.
  static constexpr size_t kDefaultRecordsPerBatch = 10000;

  // `db` must outlive the writer. `records_per_batch` must be at least 1.
  explicit BatchWriter(Database* db,
                       size_t records_per_batch = kDefaultRecordsPerBatch);

  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Adds a put to the current record.
  absl::Status Put(Family family, const std::string& key,
                   const std::string& value);

  // Ends the current record; writes the batch when it holds
  // records_per_batch records. A record with no puts still counts.
  absl::Status EndRecord();

  // Writes the records ended so far, if any. Call it between records: the
  // puts of a record not yet ended would go into the same batch, which
  // would break the promise above.
  absl::Status Flush();

 private:
  Database* const db_;
  const size_t records_per_batch_;
  rocksdb::WriteBatch batch_;
  size_t records_ = 0;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_BATCH_WRITER_H_
