// Helpers shared by the test suites: scratch directories, files, a small
// region tree imported through the real importer, an HTTP client and a
// child-process runner for the server binary.
#ifndef C1TALLY_TESTS_TEST_SUPPORT_H_
#define C1TALLY_TESTS_TEST_SUPPORT_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/database.h"

namespace c1tally::testing {

// A fresh directory, removed with everything in it when this dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Sub(const std::string& name) const;

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

// Writes the fixture region CSVs into `dir` and imports them into `db`:
// provinces 11 and 31, four kelurahan and 12 TPS:
//   1101012001 (TPS 001-003), 1101012002 (001-002),
//   1101022001 (001, 002, 901), 3101011001 (001-004).
void ImportFixtureTree(Database* db, const TempDir& dir);
// The 12 TPS codes of the fixture tree.
std::vector<std::string> FixtureTpsCodes();

// Imports the fixture reference data of the legislative races into `db`
// (which holds the fixture tree): parties 1 (PKB), 2 (Gerindra), 24
// (Ummat), 18 (PNA, Aceh); DPR dapil 1101 ACEH I (province 11 but kecamatan
// 110102), 1102 ACEH II (110102), 1103 ACEH III (no region), 3101 DKI
// JAKARTA I (31); DPRD-provinsi dapil 110001 (11); DPD in 11. Ballots:
//   pdpr 1101: PKB 100281, 100282; Gerindra 100291; Ummat 100301
//   pdpr 3101: PKB 300001
//   pdpd 11:   500001, 500002
// Fails the test unless everything lands.
void ImportFixtureReference(Database* db);
// The fixture reference files, path -> text, in the order to import them.
std::vector<std::pair<std::string, std::string>> FixtureReferenceFiles();

// Votes on the fixture's ACEH I DPR ballot; the defaults make PKB 10 + 20 +
// 5 = 35, Gerindra 3 + 7 = 10, Ummat 0 + 5 = 5.
struct AcehIVotes {
  int64_t pkb = 10;  // party only
  int64_t a_satu = 20;
  int64_t a_dua = 5;
  int64_t gerindra = 3;
  int64_t b_satu = 7;
  int64_t ummat = 0;
  int64_t c_satu = 5;
};
// A DPR result of `tps` (in ACEH I) with those votes, each party's total
// and suara_sah their sums, 2 invalid votes; set by an operator.
v1::TpsResult AcehIResult(const std::string& tps, const AcehIVotes& votes = {});
// A DPD result of `tps` (in Aceh): E. SATU `e_satu`, E. DUA `e_dua`, 1
// invalid vote.
v1::TpsResult AcehDpdResult(const std::string& tps, int64_t e_satu,
                            int64_t e_dua);

// Opens a fresh database in `dir`.
std::unique_ptr<Database> OpenDatabase(const std::string& dir);

// A plain HTTP/1.1 GET to 127.0.0.1:`port`; returns status and body.
struct HttpResult {
  int status = 0;
  std::string body;
  std::string etag;
  // Header names in lower case; the last value of each.
  std::map<std::string, std::string> headers;
};
absl::StatusOr<HttpResult> HttpGet(int port, const std::string& target,
                                   const std::string& if_none_match = "");

// Any request: `headers` added as given (Host is set), `body` sent with its
// Content-Length.
struct HttpCall {
  std::string method = "GET";
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
absl::StatusOr<HttpResult> HttpFetch(int port, const HttpCall& call);
// Sends `raw` bytes as they are (a request head claiming a huge body, say)
// and reads one response.
absl::StatusOr<HttpResult> HttpRaw(int port, const std::string& raw);

// Runs a program (a built binary) and returns its exit code and output.
struct ProgramResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
ProgramResult RunProgram(const std::vector<std::string>& argv);

// A program running in the background with its output going to a file.
class ChildProcess {
 public:
  // Starts argv[0] with its arguments; output goes to `log_path`.
  ChildProcess(const std::vector<std::string>& argv,
               const std::string& log_path);
  // Kills it with SIGKILL if it still runs.
  ~ChildProcess();
  pid_t pid() const { return pid_; }
  // Waits until the log holds a line containing `needle` and returns it;
  // "" after `timeout_seconds`.
  std::string WaitForLine(const std::string& needle, int timeout_seconds);
  // Sends `signal` and waits for the exit; returns the exit code, or
  // 128 + signal when killed by one.
  int Stop(int signal);

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Path of a built binary (build/bin/NAME).
std::string BinaryPath(const std::string& name);

// The shared real data folder (../shared/data beside the clone, or the
// environment's C1TALLY_SHARED_DATA), or "" when it is absent.
std::string SharedDataDir();

// True under CI (the environment sets CI=true): there a test may not skip
// for want of ../shared/data or an installed tool.
bool InCi();

}  // namespace c1tally::testing

// In a TEST body or SetUp: when `available` is false, skips the test (ctest
// reports it as skipped, not passed) or, under CI, fails it.
#define C1TALLY_NEED(available, what)                          \
  if (available) {                                             \
  } else if (::c1tally::testing::InCi())                       \
    FAIL() << (what) << " is missing (required when CI=true)"; \
  else                                                         \
    GTEST_SKIP() << (what) << " is missing"

#endif  // C1TALLY_TESTS_TEST_SUPPORT_H_
