// ReferenceReport: what one reference import did: records written and
// left as they were, per kind; files and map rows refused with the reason;
// map rows whose region the tree lacks (unplaced: reported, never dropped
// silently); and what the data leaves uncovered: dapil no region is mapped
// to, and per race how many TPS belong to no dapil.
#ifndef C1TALLY_STORAGE_REFERENCE_REFERENCE_REPORT_H_
#define C1TALLY_STORAGE_REFERENCE_REFERENCE_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace c1tally {

struct ReferenceReport {
  struct Count {
    int64_t written = 0;
    int64_t unchanged = 0;
  };
  // Keyed by "parties", "dapil", "ballots", "candidates", "areas".
  std::map<std::string, Count> counts;
  // "PATH: reason" for a file refused whole; "PATH line N: reason" for a
  // map row.
  std::vector<std::string> refused;
  // "PATH line N: race kode_dapil wilayah" for a map row whose region is
  // not in the tree.
  std::vector<std::string> unplaced;
  // "race kode_dapil (name)" for a dapil of a party race with no region
  // mapped to it.
  std::vector<std::string> dapil_without_tps;
  // Per race: TPS in the tree that belong to no dapil of it.
  std::map<std::string, int64_t> tps_without_dapil;

  // True when something given was not written (refused or unplaced).
  bool HasErrors() const { return !refused.empty() || !unplaced.empty(); }
  // Lines for people, ending with a "reference:" summary of key=value pairs.
  std::string ToString() const;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_REFERENCE_REPORT_H_
