#include "tests/test_support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "storage/region_import.h"

namespace c1tally::testing {

TempDir::TempDir() {
  std::random_device seed;
  path_ = (std::filesystem::temp_directory_path() /
           absl::StrCat("c1tally-test-", getpid(), "-", seed()))
              .string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Sub(const std::string& name) const {
  return absl::StrCat(path_, "/", name);
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void ImportFixtureTree(Database* db, const TempDir& dir) {
  const std::string regions = dir.Sub("fixture-regions.csv");
  const std::string tps = dir.Sub("fixture-tps.csv");
  WriteFile(regions,
            "kode,nama,tingkat,kpu_id\n"
            "11,ACEH,1,1\n"
            "1101,ACEH SELATAN,2,2\n"
            "110101,BAKONGAN,3,3\n"
            "1101012001,KEUDE BAKONGAN,4,4\n"
            "1101012002,UJONG MANGKI,4,5\n"
            "110102,KLUET UTARA,3,6\n"
            "1101022001,\"PASAR, LAMA\",4,7\n"
            "31,DKI JAKARTA,1,8\n"
            "3101,KEPULAUAN SERIBU,2,9\n"
            "310101,KEPULAUAN SERIBU UTARA,3,10\n"
            "3101011001,PULAU PANGGANG,4,11\n");
  WriteFile(tps,
            "kode_kelurahan,nama_kelurahan,jumlah_tps,"
            "tps_suffixes_if_noncontiguous\n"
            "1101012001,KEUDE BAKONGAN,3,\n"
            "1101012002,UJONG MANGKI,2,\n"
            "1101022001,\"PASAR, LAMA\",3,001 002 901\n"
            "3101011001,PULAU PANGGANG,4,\n");
  RegionImporter importer(db);
  ASSERT_TRUE(importer.AddPath(regions).ok());
  ASSERT_TRUE(importer.AddPath(tps).ok());
  absl::StatusOr<ImportReport> report = importer.Commit();
  ASSERT_TRUE(report.ok()) << report.status();
}

std::vector<std::string> FixtureTpsCodes() {
  return {"1101012001001", "1101012001002", "1101012001003", "1101012002001",
          "1101012002002", "1101022001001", "1101022001002", "1101022001901",
          "3101011001001", "3101011001002", "3101011001003", "3101011001004"};
}

std::unique_ptr<Database> OpenDatabase(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(dir, {});
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

absl::StatusOr<HttpResult> HttpGet(int port, const std::string& target,
                                   const std::string& if_none_match) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context context;
  boost::asio::ip::tcp::socket socket(context);
  beast::error_code error;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(port)},
                 error);
  if (error) return absl::UnavailableError(error.message());
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!if_none_match.empty())
    request.set(http::field::if_none_match, if_none_match);
  http::write(socket, request, error);
  if (error) return absl::UnavailableError(error.message());
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response, error);
  if (error) return absl::UnavailableError(error.message());
  HttpResult result;
  result.status = response.result_int();
  result.body = response.body();
  auto etag = response.find(http::field::etag);
  if (etag != response.end()) {
    result.etag = std::string(etag->value().data(), etag->value().size());
  }
  return result;
}

ProgramResult RunProgram(const std::vector<std::string>& argv) {
  std::vector<std::string> quoted;
  for (const std::string& arg : argv) {
    std::string escaped = "'";
    for (char c : arg) {
      if (c == '\'') {
        escaped += "'\\''";
      } else {
        escaped += c;
      }
    }
    quoted.push_back(escaped + "'");
  }
  const std::string command = absl::StrCat(absl::StrJoin(quoted, " "), " 2>&1");
  ProgramResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.output.append(buffer, n);
  }
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::string& log_path)
    : log_path_(log_path) {
  pid_ = fork();
  if (pid_ == 0) {
    FILE* log = fopen(log_path.c_str(), "w");
    if (log != nullptr) {
      dup2(fileno(log), 1);
      dup2(fileno(log), 2);
    }
    std::vector<char*> args;
    for (const std::string& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Stop(SIGKILL);
}

std::string ChildProcess::WaitForLine(const std::string& needle,
                                      int timeout_seconds) {
  for (int i = 0; i < timeout_seconds * 20; ++i) {
    std::istringstream log(ReadFile(log_path_));
    for (std::string line; std::getline(log, line);) {
      if (line.find(needle) != std::string::npos) return line;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "";
    }
    usleep(50 * 1000);
  }
  return "";
}

int ChildProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string BinaryPath(const std::string& name) {
  return absl::StrCat(C1TALLY_BIN_DIR, "/", name);
}

std::string SharedDataDir() {
  std::error_code error;
  return std::filesystem::is_directory(C1TALLY_SHARED_DATA, error)
             ? C1TALLY_SHARED_DATA
             : "";
}

}  // namespace c1tally::testing
