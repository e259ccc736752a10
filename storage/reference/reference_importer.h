// ReferenceImporter: imports KPU's reference files of the legislative
// races (kpu_reference_parser.h has the shapes) and our TPS -> dapil map
// into the ReferenceStore, in one atomic write.
//
// Sources are added first (a file that cannot be read at all fails AddPath
// and nothing is written by Commit then, as for the region importer); a
// file that is read but malformed is refused whole at Commit, with the
// reason, and the other files still count. Commit checks every record
// against what is stored and what this import brings, in this order:
// parties, dapil lists, ballots (each candidate list's race is the race
// whose dapil list has its code), DPD ballots (a dapil per province, named
// after it), map rows. Refused with the reason: a dapil listed by two files,
// a candidate list for a dapil no list names (or that two races name), a
// party the party list lacks, a candidate already standing in another dapil
// of the race, a DPD list for a province the tree lacks, a map row for an
// unknown dapil or a region mapped by two files. Map rows whose region the
// tree lacks are reported as unplaced. A record that says what is stored
// already is left alone (counted unchanged); one that changes keeps the
// version it replaces in the history under the import's time.
//
// Not thread-safe; one import at a time per database. `db` must outlive it.
#ifndef C1TALLY_STORAGE_REFERENCE_REFERENCE_IMPORTER_H_
#define C1TALLY_STORAGE_REFERENCE_REFERENCE_IMPORTER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "c1tally/v1/reference.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/reference/reference_report.h"
#include "storage/reference/reference_store.h"
#include "storage/region_tree.h"

namespace c1tally {

class ReferenceImporter {
 public:
  // `import_time` dates the versions this import replaces.
  ReferenceImporter(Database* db, absl::Time import_time);

  // Reads a reference file, or every *.json(.gz) file below a folder (a map
  // CSV is given as a file). Fails, adding nothing, when a file cannot be
  // read; a file that is no known reference file is refused at Commit.
  absl::Status AddPath(const std::string& path);
  // One source's text; its kind comes from `path`.
  void AddText(const std::string& path, const std::string& text);

  // Checks and writes everything added. Fails only on a database error
  // (then nothing is written); refusals are in the report.
  absl::StatusOr<ReferenceReport> Commit();

 private:
  template <typename T>
  struct From {
    std::string path;
    T value;
  };
  using Key = std::pair<std::string, std::string>;  // race, code

  void Refuse(const std::string& path, absl::string_view reason);
  // Stages `message` at `key`, counting it under `kind`.
  absl::Status Put(const std::string& kind, const std::string& key,
                   const google::protobuf::Message& message);

  absl::Status CommitParties();
  absl::Status CommitDapil();
  absl::Status CommitBallots();
  absl::Status CommitDpdBallots();
  absl::Status CommitAreas();
  // Checks a ballot's candidates against the others of its race and stages
  // it with its candidate index; refuses it otherwise.
  absl::Status StageBallot(const std::string& path, v1::Ballot ballot);
  // After the write: dapil without TPS, TPS without dapil.
  absl::Status ReportCoverage();

  Database* const db_;
  const absl::Time import_time_;
  ReferenceStore store_;
  RegionTree tree_;

  std::vector<From<std::vector<v1::Party>>> parties_;
  std::vector<From<std::vector<v1::Dapil>>> dapil_lists_;
  std::vector<From<v1::Ballot>> ballots_;
  std::vector<From<v1::Ballot>> dpd_ballots_;
  std::vector<From<DapilMap>> maps_;

  // While committing.
  ReferenceReport report_;
  rocksdb::WriteBatch batch_;
  std::set<int32_t> known_parties_;
  std::set<Key> known_dapil_;
  // (race, candidate) -> dapil, for the ballots of this import.
  std::map<Key, std::string> candidates_;
  // (race, dapil) of the ballots this import brings, and of those staged.
  std::set<Key> replacing_;
  std::set<Key> ballots_staged_;
  std::set<std::string> races_touched_;
};

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_REFERENCE_REFERENCE_IMPORTER_H_
