#include "tools/bench/http_bench.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/server/server.h"
#include "storage/status_macros.h"
#include "tools/bench/bench_util.h"

extern char** environ;

namespace c1tally {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr char kNationalPath[] = "/api/v1/regions/0";
constexpr char kKelurahanPrefix[] = "/wilayah/";
// nginx's files (under its www/) with the same bytes.
constexpr char kNationalFile[] = "national.json";
constexpr char kKelurahanFile[] = "kelurahan.html";

// The executable `name` in /usr/bin, /usr/sbin or $PATH; FAILED_PRECONDITION
// naming the Debian package otherwise.
absl::StatusOr<std::string> FindProgram(const std::string& name,
                                        const std::string& package) {
  std::vector<std::string> dirs = {"/usr/bin", "/usr/sbin"};
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
      dirs.emplace_back(dir);
    }
  }
  for (const std::string& dir : dirs) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return absl::FailedPreconditionError(
      absl::StrCat(name,
                   " not found (in /usr/bin, /usr/sbin or $PATH): install the "
                   "Debian package ",
                   package, " (sudo apt-get install ", package,
                   "; deploy/install-deps does)"));
}

// Starts `argv` with stdout and stderr on `out_fd`; its pid.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, int out_fd) {
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDERR_FILENO);
  pid_t pid = 0;
  const int error =
      posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(
        absl::StrCat("cannot start ", argv[0], ": ", strerror(error)));
  }
  return pid;
}

// Runs `argv` to its end; its stdout and stderr together. INTERNAL when it
// exits other than with 0.
absl::StatusOr<std::string> RunCapturing(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  absl::StatusOr<pid_t> pid = Spawn(argv, pipe_fds[1]);
  close(pipe_fds[1]);
  if (!pid.ok()) {
    close(pipe_fds[0]);
    return pid.status();
  }
  std::string output;
  char buffer[4096];
  for (;;) {
    ssize_t n = read(pipe_fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, n);
  }
  close(pipe_fds[0]);
  int wait_status = 0;
  while (waitpid(*pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return absl::InternalError(
        absl::StrCat(absl::StrJoin(argv, " "), " failed:\n", output));
  }
  return output;
}

struct Fetched {
  int status = 0;
  std::string content_type;
  std::string body;
};

// One GET of http://127.0.0.1:`port``target` on a connection of its own.
absl::StatusOr<Fetched> Get(int port, const std::string& target) {
  asio::io_context io;
  tcp::socket socket(io);
  beast::error_code error;
  socket.connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"),
                               static_cast<unsigned short>(port)),
                 error);
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, absl::StrCat("127.0.0.1:", port));
  request.keep_alive(false);
  if (!error) http::write(socket, request, error);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  if (!error) http::read(socket, buffer, parser, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("GET 127.0.0.1:", port, target, ": ", error.message()));
  }
  Fetched fetched;
  fetched.status = parser.get().result_int();
  fetched.content_type = std::string(parser.get()[http::field::content_type]);
  fetched.body = parser.get().body();
  return fetched;
}

// A GET that must answer 200 with a body.
absl::StatusOr<Fetched> GetOk(int port, const std::string& target) {
  absl::StatusOr<Fetched> fetched = Get(port, target);
  if (!fetched.ok()) return fetched;
  if (fetched->status != 200 || fetched->body.empty()) {
    return absl::InternalError(absl::StrCat(
        "GET 127.0.0.1:", port, target, " answered ", fetched->status, " with ",
        fetched->body.size(), " bytes: ", fetched->body.substr(0, 200)));
  }
  return fetched;
}

// The national JSON once the snapshot of the upper levels serves it: the
// same bytes for longer than two of its refresh intervals (it is built on
// start and refreshed every second).
absl::StatusOr<Fetched> WaitForStableNational(int port) {
  const absl::Duration stable_for = absl::Seconds(2.5);
  const absl::Time deadline = absl::Now() + absl::Minutes(2);
  std::string last;
  absl::Time since = absl::Now();
  for (;;) {
    absl::StatusOr<Fetched> fetched = GetOk(port, kNationalPath);
    if (!fetched.ok()) return fetched;
    if (fetched->body != last) {
      last = fetched->body;
      since = absl::Now();
    } else if (absl::Now() - since >= stable_for) {
      return fetched;
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          "the national JSON kept changing for 2 minutes");
    }
    absl::SleepFor(absl::Milliseconds(250));
  }
}

// A TCP port on 127.0.0.1 that was free a moment ago.
absl::StatusOr<int> FreePort() {
  asio::io_context io;
  tcp::acceptor acceptor(io);
  beast::error_code error;
  tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), 0);
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.bind(endpoint, error);
  if (error) {
    return absl::UnavailableError(
        absl::StrCat("no free port on 127.0.0.1: ", error.message()));
  }
  return acceptor.local_endpoint().port();
}

absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// An nginx of our own under `dir` (config, pid, logs, temp files; files
// served from dir/www) on 127.0.0.1:port, in the foreground as the current
// user. Stopped (SIGQUIT, then waited for) when destroyed.
class Nginx {
 public:
  static absl::StatusOr<std::unique_ptr<Nginx>> Start(
      const std::string& program, const std::string& dir, int port,
      int workers) {
    std::error_code ignored;
    std::filesystem::create_directories(dir + "/tmp", ignored);
    std::string config = absl::StrFormat(
        R"(daemon off;
master_process on;
worker_processes %d;
pid %s/nginx.pid;
error_log %s/error.log warn;
events { worker_connections 1024; }
http {
  types { application/json json; text/html html; }
  default_type application/octet-stream;
  charset utf-8;
  charset_types application/json text/html;
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=64;
  client_body_temp_path %s/tmp/body;
  proxy_temp_path %s/tmp/proxy;
  fastcgi_temp_path %s/tmp/fastcgi;
  uwsgi_temp_path %s/tmp/uwsgi;
  scgi_temp_path %s/tmp/scgi;
  server {
    listen 127.0.0.1:%d;
    root %s/www;
  }
}
)",
        workers, dir, dir, dir, dir, dir, dir, dir, port, dir);
    const std::string config_path = dir + "/nginx.conf";
    RETURN_IF_ERROR(WriteFile(config_path, config));
    const std::string log_path = dir + "/nginx.out";
    int log_fd =
        open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      return absl::InternalError(absl::StrCat("cannot write ", log_path));
    }
    absl::StatusOr<pid_t> pid = Spawn(
        {program, "-p", dir + "/", "-c", config_path, "-e", dir + "/error.log"},
        log_fd);
    close(log_fd);
    if (!pid.ok()) return pid.status();
    auto nginx = std::unique_ptr<Nginx>(new Nginx(*pid));
    // Up when it answers.
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    for (;;) {
      int wait_status = 0;
      if (waitpid(*pid, &wait_status, WNOHANG) == *pid) {
        nginx->pid_ = 0;
        return absl::InternalError(
            absl::StrCat("nginx exited at start: ", ReadFileOrEmpty(log_path),
                         ReadFileOrEmpty(dir + "/error.log")));
      }
      if (Get(port, "/").ok()) return nginx;
      if (absl::Now() > deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat("nginx did not answer on port ", port, ": ",
                         ReadFileOrEmpty(dir + "/error.log")));
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
  }

  pid_t pid() const { return pid_; }

  ~Nginx() {
    if (pid_ <= 0) return;
    kill(pid_, SIGQUIT);
    int wait_status = 0;
    while (waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
    }
  }

 private:
  explicit Nginx(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

// The CPU seconds (user and system, every thread) that process `pid` has
// used, from /proc/PID/stat; its parent's pid in `ppid`. 0 when it is gone.
double ProcessCpuSeconds(pid_t pid, pid_t* ppid) {
  const std::string stat =
      ReadFileOrEmpty(absl::StrCat("/proc/", pid, "/stat"));
  // After the command's closing parenthesis: state ppid ... utime stime.
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<absl::string_view> fields = absl::StrSplit(
      absl::string_view(stat).substr(paren + 1), ' ', absl::SkipEmpty());
  int64_t parent = 0, utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[1], &parent) ||
      !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return 0;
  }
  if (ppid != nullptr) *ppid = static_cast<pid_t>(parent);
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

// The CPU seconds of process `pid` and of its children (nginx's workers).
double ProcessTreeCpuSeconds(pid_t pid) {
  double seconds = ProcessCpuSeconds(pid, nullptr);
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc", error)) {
    int child = 0;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &child)) continue;
    pid_t parent = 0;
    const double child_seconds = ProcessCpuSeconds(child, &parent);
    if (parent == pid) seconds += child_seconds;
  }
  return seconds;
}

struct WrkResult {
  double rps = 0;
  int64_t requests = 0;
  double bytes_read = 0;
  int64_t non_2xx_3xx = 0;
  int64_t socket_errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  // CPU time the server used per request (wrk's own not counted).
  double cpu_us_per_request = 0;
};

// "1.23ms" -> 1.23; "456.00us" -> 0.456; "1.02s" -> 1020.
bool ParseMillis(absl::string_view text, double* ms) {
  struct Unit {
    const char* suffix;
    double ms;
  };
  for (const Unit& unit : {Unit{"us", 1e-3}, Unit{"ms", 1}, Unit{"m", 60e3},
                           Unit{"h", 3600e3}, Unit{"s", 1e3}}) {
    absl::string_view number = text;
    if (absl::ConsumeSuffix(&number, unit.suffix) &&
        absl::SimpleAtod(number, ms)) {
      *ms *= unit.ms;
      return true;
    }
  }
  return false;
}

// "1.23GB" -> bytes (wrk's units are binary).
bool ParseBytes(absl::string_view text, double* bytes) {
  double scale = 1;
  absl::ConsumeSuffix(&text, "B");
  for (const auto& [suffix, factor] :
       {std::pair{"K", 1024.0}, std::pair{"M", 1024.0 * 1024},
        std::pair{"G", 1024.0 * 1024 * 1024},
        std::pair{"T", 1024.0 * 1024 * 1024 * 1024}}) {
    if (absl::ConsumeSuffix(&text, suffix)) scale = factor;
  }
  if (!absl::SimpleAtod(text, bytes)) return false;
  *bytes *= scale;
  return true;
}

// The figures of wrk's report (run with --latency).
absl::StatusOr<WrkResult> ParseWrk(const std::string& output) {
  WrkResult result;
  bool have_rps = false, have_requests = false;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t,"), absl::SkipEmpty());
    if (absl::ConsumePrefix(&line, "Requests/sec:")) {
      have_rps =
          absl::SimpleAtod(absl::StripAsciiWhitespace(line), &result.rps);
    } else if (words.size() >= 6 && words[1] == "requests" &&
               words[2] == "in") {
      // "123456 requests in 5.00s, 1.23GB read"
      have_requests = absl::SimpleAtoi(words[0], &result.requests) &&
                      ParseBytes(words[4], &result.bytes_read);
    } else if (absl::ConsumePrefix(&line, "Non-2xx or 3xx responses:")) {
      absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &result.non_2xx_3xx);
    } else if (absl::ConsumePrefix(&line, "Socket errors:")) {
      // "Socket errors: connect 0, read 0, write 0, timeout 0"
      for (size_t i = 3; i < words.size(); i += 2) {
        int64_t count = 0;
        if (absl::SimpleAtoi(words[i], &count)) result.socket_errors += count;
      }
    } else if (words.size() == 2 && words[0] == "50%") {
      ParseMillis(words[1], &result.p50_ms);
    } else if (words.size() == 2 && words[0] == "99%") {
      ParseMillis(words[1], &result.p99_ms);
    }
  }
  if (!have_rps || !have_requests) {
    return absl::InternalError(
        absl::StrCat("cannot read wrk's report:\n", output));
  }
  return result;
}

struct Settings {
  std::string wrk;
  int seconds = 5;
  int connections = 32;
  int threads = 1;
};

// wrk against `url` served by a server whose CPU seconds so far `cpu`
// tells; one line about it on stdout. Fails on HTTP or socket errors, after
// printing the line.
absl::StatusOr<WrkResult> Measure(const Settings& settings,
                                  const std::string& name, int round,
                                  const std::string& url,
                                  const std::function<double()>& cpu) {
  std::cerr << "wrk " << name << " round " << round << " " << url << " ...\n";
  const double cpu_before = cpu();
  ASSIGN_OR_RETURN(
      std::string output,
      RunCapturing({settings.wrk, absl::StrCat("-t", settings.threads),
                    absl::StrCat("-c", settings.connections),
                    absl::StrCat("-d", settings.seconds, "s"), "--latency",
                    url}));
  const double cpu_seconds = cpu() - cpu_before;
  absl::StatusOr<WrkResult> result = ParseWrk(output);
  if (!result.ok()) return result;
  if (result->requests > 0) {
    result->cpu_us_per_request = cpu_seconds * 1e6 / result->requests;
  }
  std::cout
      << absl::StrFormat(
             "%s: round=%d url=%s rps=%.0f requests=%d p50_ms=%.2f p99_ms=%.2f "
             "kib_per_response=%.2f cpu_us_per_request=%.1f non2xx=%d "
             "socket_errors=%d",
             name, round, url, result->rps, result->requests, result->p50_ms,
             result->p99_ms,
             result->requests > 0 ? result->bytes_read / result->requests / 1024
                                  : 0.0,
             result->cpu_us_per_request, result->non_2xx_3xx,
             result->socket_errors)
      << std::endl;
  if (result->non_2xx_3xx != 0 || result->socket_errors != 0) {
    return absl::InternalError(absl::StrCat(
        name, ": wrk saw ", result->non_2xx_3xx, " HTTP errors and ",
        result->socket_errors, " socket errors:\n", output));
  }
  return result;
}

// The first kelurahan of the tree (the first 10 digits of its first TPS).
absl::StatusOr<std::string> FirstKelurahan(Server* server) {
  ASSIGN_OR_RETURN(Page<v1::Tps> tps,
                   server->store()->tree().ListTps(RegionCode(), 1, ""));
  if (tps.items.empty() || tps.items[0].code().size() < 10) {
    return absl::InternalError("the demo tree has no TPS");
  }
  return tps.items[0].code().substr(0, 10);
}

}  // namespace

absl::Status RunHttpBench(const HttpBenchOptions& bench) {
  Settings settings;
  absl::StatusOr<std::string> wrk = FindProgram("wrk", "wrk");
  if (!wrk.ok()) return wrk.status();
  ASSIGN_OR_RETURN(std::string nginx_program,
                   FindProgram("nginx", "nginx-light"));
  settings.wrk = *wrk;
  settings.seconds = std::max(1, bench.seconds);
  settings.connections = std::max(1, bench.connections);
  settings.threads = std::max(1, bench.threads);
  settings.connections = std::max(settings.connections, settings.threads);
  const int server_threads = std::max(1, bench.server_threads);
  const double scale = bench.scale;
  const int rounds = std::max(1, bench.rounds);
  ASSIGN_OR_RETURN(std::string nginx_version,
                   RunCapturing({nginx_program, "-v"}));

  std::unique_ptr<ScratchDir> scratch;
  const std::string dir = BenchDir(bench.dir, "c1tally-bench-http", &scratch);

  // c1tallyd's wiring, its demo, loopback ports.
  Server::Options options;
  options.data_dir = dir + "/data";
  options.grpc_address = "127.0.0.1:0";
  options.http_address = "127.0.0.1:0";
  options.services = {Server::kTally, Server::kAudit, Server::kIngest,
                      Server::kHttp};
  options.demo = true;
  options.demo_scale = scale;
  options.http_threads = server_threads;
  // wrk is one client IP: no per-IP limit.
  options.gateway.per_ip = {0, 0};
  std::cerr << "starting c1tallyd (demo_scale=" << scale << ") in " << dir
            << " ...\n";
  Stopwatch started;
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options));
  const int port = server->http_port();
  absl::StatusOr<std::string> kelurahan = FirstKelurahan(server.get());
  if (!kelurahan.ok()) return kelurahan.status();
  const std::string kelurahan_path = kKelurahanPrefix + *kelurahan;
  absl::StatusOr<Fetched> national = WaitForStableNational(port);
  if (!national.ok()) return national.status();
  ASSIGN_OR_RETURN(Fetched kelurahan_page, GetOk(port, kelurahan_path));
  std::cerr << absl::StrFormat("c1tallyd ready after %.1f s\n",
                               started.seconds());

  // nginx with the same bytes.
  const std::string nginx_dir = dir + "/nginx";
  std::error_code error;
  std::filesystem::create_directories(nginx_dir + "/www", error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", nginx_dir, ": ", error.message()));
  }
  RETURN_IF_ERROR(WriteFile(absl::StrCat(nginx_dir, "/www/", kNationalFile),
                            national->body));
  RETURN_IF_ERROR(WriteFile(absl::StrCat(nginx_dir, "/www/", kKelurahanFile),
                            kelurahan_page.body));
  ASSIGN_OR_RETURN(int nginx_port, FreePort());
  absl::StatusOr<std::unique_ptr<Nginx>> nginx =
      Nginx::Start(nginx_program, nginx_dir, nginx_port, server_threads);
  if (!nginx.ok()) return nginx.status();
  const std::string nginx_national = absl::StrCat("/", kNationalFile);
  const std::string nginx_kelurahan = absl::StrCat("/", kKelurahanFile);
  for (const auto& [path, expected] :
       {std::pair{nginx_national, &national->body},
        std::pair{nginx_kelurahan, &kelurahan_page.body}}) {
    ASSIGN_OR_RETURN(Fetched fetched, GetOk(nginx_port, path));
    if (fetched.body != *expected) {
      return absl::InternalError(
          absl::StrCat("nginx serves other bytes at ", path));
    }
  }

  std::cout << absl::StrFormat(
                   "setup: %d CPUs; c1tallyd in-process (services "
                   "tally,audit,ingest,http; demo_scale=%g; %d HTTP thread%s; "
                   "per-IP limit off: wrk is one client IP) and %s "
                   "(worker_processes %d; static files; access_log off) on "
                   "127.0.0.1; wrk -t%d -c%d -d%ds; %d round%s",
                   std::thread::hardware_concurrency(), scale, server_threads,
                   server_threads == 1 ? "" : "s",
                   absl::StripAsciiWhitespace(absl::StripPrefix(
                       absl::StripAsciiWhitespace(nginx_version),
                       "nginx version: ")),
                   server_threads, settings.threads, settings.connections,
                   settings.seconds, rounds, rounds == 1 ? "" : "s")
            << std::endl;
  std::cout << absl::StrFormat(
                   "bodies: national %s %d bytes (%s, from the snapshot); "
                   "kelurahan %s %d bytes (%s, rendered per request)",
                   kNationalPath, national->body.size(), national->content_type,
                   kelurahan_path, kelurahan_page.body.size(),
                   kelurahan_page.content_type)
            << std::endl;

  auto url = [](int port, const std::string& path) {
    return absl::StrCat("http://127.0.0.1:", port, path);
  };
  // Each round measures every URL once, c1tallyd and nginx one after the
  // other, so that a change in the machine's other load touches both; the
  // best of the rounds counts.
  // CPU: this process (the Server; wrk is a child, not counted) and
  // nginx's master and workers.
  const std::function<double()> path_cpu = [] {
    return ProcessCpuSeconds(getpid(), nullptr);
  };
  const pid_t nginx_pid = (*nginx)->pid();
  const std::function<double()> nginx_cpu = [nginx_pid] {
    return ProcessTreeCpuSeconds(nginx_pid);
  };
  struct Target {
    std::string name;
    std::string url;
    const std::function<double()>* cpu;
  };
  const std::vector<Target> targets = {
      {"path_national", url(port, kNationalPath), &path_cpu},
      {"nginx_national", url(nginx_port, nginx_national), &nginx_cpu},
      {"path_kelurahan", url(port, kelurahan_path), &path_cpu},
      {"nginx_kelurahan", url(nginx_port, nginx_kelurahan), &nginx_cpu}};
  std::map<std::string, double> best;
  // The least CPU per request of each URL.
  std::map<std::string, double> best_cpu;
  for (int round = 1; round <= rounds; ++round) {
    for (const Target& target : targets) {
      ASSIGN_OR_RETURN(WrkResult result, Measure(settings, target.name, round,
                                                 target.url, *target.cpu));
      best[target.name] = std::max(best[target.name], result.rps);
      double& cpu = best_cpu[target.name];
      if (cpu == 0 || result.cpu_us_per_request < cpu) {
        cpu = result.cpu_us_per_request;
      }
    }
  }
  nginx->reset();
  server->Shutdown();

  const double ratio = best["path_national"] / best["nginx_national"];
  std::cout << absl::StrFormat(
                   "best of %d round%s: path_national_rps=%.0f "
                   "nginx_national_rps=%.0f path_kelurahan_rps=%.0f "
                   "nginx_kelurahan_rps=%.0f",
                   rounds, rounds == 1 ? "" : "s", best["path_national"],
                   best["nginx_national"], best["path_kelurahan"],
                   best["nginx_kelurahan"])
            << std::endl;
  std::cout << absl::StrFormat(
                   "cpu_us_per_request (least of the rounds): "
                   "path_national=%.1f nginx_national=%.1f "
                   "path_kelurahan=%.1f nginx_kelurahan=%.1f",
                   best_cpu["path_national"], best_cpu["nginx_national"],
                   best_cpu["path_kelurahan"], best_cpu["nginx_kelurahan"])
            << std::endl;
  std::cout << absl::StrFormat(
                   "kelurahan_ratio=%.3f (path_kelurahan_rps / "
                   "nginx_kelurahan_rps: nginx serving the kelurahan page's "
                   "bytes as a static file)",
                   best["path_kelurahan"] / best["nginx_kelurahan"])
            << std::endl;
  std::cout << "nginx_rps: nginx serving the national JSON's bytes as a "
               "static file; ratio = path_national_rps / nginx_rps (target: "
               "at least 0.5)"
            << std::endl;
  std::cout << absl::StrFormat(
                   "path_national_rps=%.0f path_kelurahan_rps=%.0f "
                   "nginx_rps=%.0f ratio=%.3f",
                   best["path_national"], best["path_kelurahan"],
                   best["nginx_national"], ratio)
            << std::endl;
  return absl::OkStatus();
}

}  // namespace c1tally
