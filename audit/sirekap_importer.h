// SirekapImporter: Sirekap files of one fetch into a SirekapStore.
//
// Each file is parsed and checked for types and ranges before anything is
// written; a bad file is reported with its reason and the import goes on.
// Good records are stored in batches of kBatch, each batch one atomic
// write, so no record is ever half-written. Not thread-safe.
#ifndef C1TALLY_AUDIT_SIREKAP_IMPORTER_H_
#define C1TALLY_AUDIT_SIREKAP_IMPORTER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "audit/sirekap_store.h"
#include "storage/region_tree.h"

namespace c1tally {

struct SirekapImportReport {
  int64_t files = 0;
  // Stored as new versions.
  int64_t imported = 0;
  // Same as the version before; not stored again.
  int64_t unchanged = 0;
  // Files not imported: (path, reason).
  std::vector<std::pair<std::string, std::string>> rejected;
  // Records imported (or unchanged) whose TPS or region is not in the
  // database's region tree, when it has one: Sirekap's list and ours can
  // differ, so they are kept and counted, never dropped.
  int64_t not_in_tree = 0;
  // The first kMaxSamples of those codes.
  std::vector<std::string> not_in_tree_samples;
  static constexpr size_t kMaxSamples = 5;

  // "files=N imported=N unchanged=N rejected=N not_in_tree=N", then one
  // line per rejected file and the samples of codes not in the tree.
  std::string ToString() const;
};

class SirekapImporter {
 public:
  static constexpr size_t kBatch = 1000;

  // `store` must outlive the importer. Records are stored as fetched at
  // `fetch_time`; files whose path names no race are `default_race`.
  SirekapImporter(SirekapStore* store, absl::Time fetch_time,
                  std::string default_race);

  // Adds one file's JSON text. Bad content is a rejection in the report,
  // not an error; an error means the database failed.
  absl::Status AddText(const std::string& path, absl::string_view json);
  // Reads and adds a file; an unreadable file is a rejection.
  absl::Status AddFile(const std::string& path);
  // Stores what is queued and returns the report.
  absl::StatusOr<SirekapImportReport> Finish();

 private:
  absl::Status Queue(const std::string& path,
                     absl::StatusOr<v1::SirekapRecord> record);
  absl::Status Flush();

  // Counts a record whose code the region tree lacks (nullopt: a dapil
  // aggregate, which has no region).
  void NoteIfNotInTree(const std::optional<std::string>& code);

  SirekapStore* const store_;
  RegionTree tree_;
  // False when the database has no TPS at all (then nothing is noted).
  bool tree_known_ = false;
  const absl::Time fetch_time_;
  const std::string default_race_;
  std::vector<v1::SirekapRecord> queued_;
  std::vector<std::string> queued_paths_;
  SirekapImportReport report_;
};

}  // namespace c1tally

#endif  // C1TALLY_AUDIT_SIREKAP_IMPORTER_H_
