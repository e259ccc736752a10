// SourceRecords: the region and TPS records an import has read from its
// sources (storage/region_import.h), before they are placed in the tree,
// with where each came from and the problems found while reading.
//
// Admit() applies the checks that need no other record: a valid,
// non-national code; a level (tingkat), when the source claims one, that
// matches the code's width; a name that is not blank. A record that fails
// is reported and dropped; one that passes is kept with its code and name
// trimmed and its level set from the code. Checks that need the other
// records (parents, conflicts) are RegionPlacer's (storage/region_placer.h).
//
// Records remember their origin as an index into `names` and a position,
// so that millions of them do not each copy a path. Plain data apart from
// that; movable, not thread-safe.
#ifndef C1TALLY_STORAGE_SOURCE_RECORDS_H_
#define C1TALLY_STORAGE_SOURCE_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/import_report.h"

namespace c1tally {

// One record as a source gave it.
struct SourceRecord {
  std::string code;
  std::string name;
  int64_t kpu_id = 0;
  // Index into SourceRecords::names, and the CSV line or JSON element
  // (1-based; 0 for none).
  uint32_t source = 0;
  uint32_t position = 0;
  // The level the source claims; 0 when it claims none.
  int tingkat = 0;
  // A kelurahan named by the TPS CSV: it checks the name of the kelurahan
  // defined elsewhere in the import and defines nothing itself.
  bool reference_only = false;
};

struct SourceRecords {
  // A source's name as samples show it.
  struct Name {
    std::string name;
    // Positions are JSON array elements, not CSV lines.
    bool json = false;
  };

  // Admitted records, in the order added.
  std::vector<SourceRecord> records;
  std::vector<Name> names;
  // Problems found while reading, and records_read. The level counts are
  // not used.
  ImportReport report;

  // Adds a source name; returns its index.
  uint32_t AddName(absl::string_view name, bool json);
  // The index of `name` if it is the last name added (as a non-JSON
  // name), else AddName(name, false): callers that add records one by one
  // pass the same origin many times.
  uint32_t LastOrNewName(absl::string_view name);

  // "file:line", "file: element N" or just the name (position 0).
  std::string Origin(uint32_t source, uint32_t position) const;
  std::string Origin(const SourceRecord& record) const {
    return Origin(record.source, record.position);
  }

  // Reports a problem of `kind` at that origin.
  void Problem(absl::string_view kind, uint32_t source, uint32_t position,
               absl::string_view reason);

  // Checks what can be checked of one record alone and keeps it, or
  // reports why not (see above). Does not count it as read: what a source
  // counts as one record read is the reader's to say.
  void Admit(SourceRecord record);

  // Moves the records, names and problems of `other` after this one's,
  // adding to records_read.
  void Append(SourceRecords&& other);
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_SOURCE_RECORDS_H_
