#include "tests/test_support.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/reference/reference_importer.h"
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

namespace {

constexpr char kParties[] = R"({
  "1": {"id_partai": 1, "id_pilihan": 900001, "is_aceh": false, "nama": "PKB",
        "nama_lengkap": "Partai Kebangkitan Bangsa", "nomor_urut": 1,
        "warna": "#00A651"},
  "2": {"id_partai": "2", "is_aceh": false, "nama": "Gerindra",
        "nama_lengkap": "Partai Gerakan Indonesia Raya", "nomor_urut": 2},
  "24": {"id_partai": 24, "is_aceh": false, "nama": "Ummat",
         "nomor_urut": 3},
  "18": {"id_partai": 18, "is_aceh": true, "nama": "PNA", "nomor_urut": 18}
})";

constexpr char kDprDapil[] = R"([
  {"id": 1, "nama": "ACEH I", "kode": "1101"},
  {"id": 2, "nama": "ACEH II", "kode": "1102"},
  {"id": 3, "nama": "ACEH III", "kode": "1103"},
  {"id": 4, "nama": "DKI JAKARTA I", "kode": "3101"}
])";

constexpr char kAcehProvinceDapil[] = R"([
  {"id_dapil": 71, "kode_dapil": "110001", "nama_dapil": "ACEH 1"}
])";

// Parties come in id order here; the ballot orders them 1, 2, 24.
constexpr char kAcehICandidates[] = R"({
  "24": {"100301": {"nama": "C. SATU", "nomor_urut": 1,
                    "jenis_kelamin": "P", "tempat_tinggal": "BANDA ACEH"}},
  "1": {"100282": {"nama": "A. DUA", "nomor_urut": 2, "jenis_kelamin": "P"},
        "100281": {"nama": "A. SATU", "nomor_urut": 1, "jenis_kelamin": "L",
                   "tempat_tinggal": "ACEH SELATAN"}},
  "2": {"100291": {"nama": "B. SATU", "nomor_urut": "1"}}
})";

constexpr char kDkiCandidates[] = R"({
  "1": {"300001": {"nama": "D. SATU", "nomor_urut": 1}}
})";

constexpr char kAcehDpd[] = R"({
  "500002": {"nama": "E. DUA", "nomor_urut": 2, "jenis_kelamin": "L"},
  "500001": {"nama": "E. SATU", "nomor_urut": 1, "jenis_kelamin": "P"}
})";

constexpr char kMap[] =
    "race,kode_dapil,wilayah\n"
    "pdpr,1101,11\n"
    "pdpr,1102,110102\n"  // a kecamatan of 11 in another dapil
    "pdpr,3101,31\n"
    "pdprdp,110001,11\n";

}  // namespace

std::vector<std::pair<std::string, std::string>> FixtureReferenceFiles() {
  return {{"pemilu/partai.json", kParties},
          {"wilayah/pemilu/pdpr/dapil_dpr.json", kDprDapil},
          {"wilayah/pemilu/pdprdp/11.json", kAcehProvinceDapil},
          {"pemilu/caleg/partai/1101.json", kAcehICandidates},
          {"pemilu/caleg/partai/3101.json", kDkiCandidates},
          {"pemilu/caleg/dpd/11.json", kAcehDpd},
          {"map/dapil.csv", kMap}};
}

void ImportFixtureReference(Database* db) {
  ReferenceImporter importer(db, absl::FromUnixSeconds(1707000000));
  for (const auto& [path, text] : FixtureReferenceFiles()) {
    importer.AddText(path, text);
  }
  absl::StatusOr<ReferenceReport> report = importer.Commit();
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_FALSE(report->HasErrors()) << report->ToString();
}

v1::TpsResult AcehIResult(const std::string& tps, const AcehIVotes& votes) {
  v1::TpsResult result;
  result.set_tps_code(tps);
  result.set_form_kind("pdpr");
  auto& values = *result.mutable_values();
  values["suara_partai_1"] = votes.pkb;
  values["suara_caleg_100281"] = votes.a_satu;
  values["suara_caleg_100282"] = votes.a_dua;
  values["suara_total_partai_1"] = votes.pkb + votes.a_satu + votes.a_dua;
  values["suara_partai_2"] = votes.gerindra;
  values["suara_caleg_100291"] = votes.b_satu;
  values["suara_total_partai_2"] = votes.gerindra + votes.b_satu;
  values["suara_partai_24"] = votes.ummat;
  values["suara_caleg_100301"] = votes.c_satu;
  values["suara_total_partai_24"] = votes.ummat + votes.c_satu;
  values["suara_sah"] = values["suara_total_partai_1"] +
                        values["suara_total_partai_2"] +
                        values["suara_total_partai_24"];
  values["suara_tidak_sah"] = 2;
  values["suara_total"] = values["suara_sah"] + 2;
  result.mutable_provenance()->set_source(v1::Provenance::SOURCE_OPERATOR);
  return result;
}

v1::TpsResult AcehDpdResult(const std::string& tps, int64_t e_satu,
                            int64_t e_dua) {
  v1::TpsResult result;
  result.set_tps_code(tps);
  result.set_form_kind("pdpd");
  auto& values = *result.mutable_values();
  values["suara_caleg_500001"] = e_satu;
  values["suara_caleg_500002"] = e_dua;
  values["suara_sah"] = e_satu + e_dua;
  values["suara_tidak_sah"] = 1;
  values["suara_total"] = e_satu + e_dua + 1;
  result.mutable_provenance()->set_source(v1::Provenance::SOURCE_OPERATOR);
  return result;
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

namespace {

namespace beast = boost::beast;
namespace http = beast::http;

absl::StatusOr<HttpResult> Exchange(
    int port, const std::function<void(boost::asio::ip::tcp::socket&,
                                       beast::error_code&)>& send) {
  boost::asio::io_context context;
  boost::asio::ip::tcp::socket socket(context);
  beast::error_code error;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(port)},
                 error);
  if (error) return absl::UnavailableError(error.message());
  send(socket, error);
  // A server may answer (413, say) before it has read everything sent;
  // its answer still counts.
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(socket, buffer, parser, error);
  if (error) return absl::UnavailableError(error.message());
  http::response<http::string_body> response = parser.release();
  HttpResult result;
  result.status = response.result_int();
  result.body = response.body();
  for (const auto& field : response) {
    result.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  auto etag = result.headers.find("etag");
  if (etag != result.headers.end()) result.etag = etag->second;
  return result;
}

}  // namespace

absl::StatusOr<HttpResult> HttpFetch(int port, const HttpCall& call) {
  return Exchange(port, [&](auto& socket, beast::error_code& error) {
    http::request<http::string_body> request(http::string_to_verb(call.method),
                                             call.target, 11);
    request.set(http::field::host, absl::StrCat("127.0.0.1:", port));
    for (const auto& [name, value] : call.headers) request.set(name, value);
    request.body() = call.body;
    request.prepare_payload();
    http::write(socket, request, error);
  });
}

absl::StatusOr<HttpResult> HttpRaw(int port, const std::string& raw) {
  return Exchange(port, [&](auto& socket, beast::error_code& error) {
    boost::asio::write(socket, boost::asio::buffer(raw), error);
  });
}

absl::StatusOr<HttpResult> HttpGet(int port, const std::string& target,
                                   const std::string& if_none_match) {
  HttpCall call;
  call.target = target;
  if (!if_none_match.empty()) {
    call.headers.emplace_back("If-None-Match", if_none_match);
  }
  return HttpFetch(port, call);
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
  const char* chosen = std::getenv("C1TALLY_SHARED_DATA");
  const std::string dir = chosen != nullptr ? chosen : C1TALLY_SHARED_DATA;
  std::error_code error;
  return std::filesystem::is_directory(dir, error) ? dir : "";
}

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

}  // namespace c1tally::testing
