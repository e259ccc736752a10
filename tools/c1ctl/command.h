// Subcommands of c1ctl. Each Run* function takes the positional arguments
// after its group name (args[0] is the verb) and returns the exit code.
// Flags are absl flags, parsed once by main(); the ones shared by several
// groups are declared here.
#ifndef C1TALLY_TOOLS_C1CTL_COMMAND_H_
#define C1TALLY_TOOLS_C1CTL_COMMAND_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "storage/database.h"

// Data directory of the c1tally database (offline commands).
ABSL_DECLARE_FLAG(std::string, data);
// gRPC address of a running c1tallyd (online commands).
ABSL_DECLARE_FLAG(std::string, server);

namespace c1tally::c1ctl {

int RunRegions(const std::vector<std::string>& args);
int RunReference(const std::vector<std::string>& args);
int RunTally(const std::vector<std::string>& args);
int RunBench(const std::vector<std::string>& args);
int RunOcr(const std::vector<std::string>& args);
// `ocr model VERB ...`: args[0] is "model".
int RunOcrModel(const std::vector<std::string>& args);
int RunForms(const std::vector<std::string>& args);
int RunAudit(const std::vector<std::string>& args);
int RunUsers(const std::vector<std::string>& args);
// `login`, `upload`: args are everything after the group name.
int RunLogin(const std::vector<std::string>& args);
int RunUpload(const std::vector<std::string>& args);
int RunSubmissions(const std::vector<std::string>& args);
int RunReview(const std::vector<std::string>& args);

// A channel to --server, and the caller's token (--token, else the
// C1TALLY_TOKEN environment variable; "" when neither).
std::shared_ptr<grpc::Channel> ServerChannel();
std::string CallerToken();
// The password for `users create` and `login`: C1TALLY_PASSWORD, else one
// line of stdin (not echoed when stdin is a terminal).
absl::StatusOr<std::string> ReadPassword();

// Prints `status` as "c1ctl: <message>" on stderr and returns 1 (or 0 if
// ok).
int Fail(const absl::Status& status);

// Opens the database in --data. Read-only never creates one and runs beside
// a live c1tallyd; read-write creates it when the directory is empty.
absl::StatusOr<std::unique_ptr<Database>> OpenDataDir(bool read_only);

}  // namespace c1tally::c1ctl

#endif  // C1TALLY_TOOLS_C1CTL_COMMAND_H_
