#include "tools/bench/tally_bench.h"

#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "services/auth/token_channel.h"
#include "services/common/grpc_status.h"
#include "services/server/server.h"
#include "storage/reference/ballot_index.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/reference/synthetic_reference.h"
#include "storage/sample_results.h"
#include "storage/status_macros.h"
#include "storage/synthetic_tree.h"
#include "storage/tally_verifier.h"
#include "tools/bench/bench_util.h"

namespace c1tally {
namespace {

// Every TPS and region code of the tree, read directly from the store
// (set-up, not measured).
absl::Status CollectCodes(const RegionTree& tree, std::vector<std::string>* tps,
                          std::vector<std::string>* regions) {
  std::string token;
  do {
    ASSIGN_OR_RETURN(Page<v1::Tps> page,
                     tree.ListTps(RegionCode(), kMaxPageSize, token));
    for (const v1::Tps& item : page.items) tps->push_back(item.code());
    token = page.next_page_token;
  } while (!token.empty());
  // Regions: walk the tree breadth-first down to the kelurahan.
  std::vector<std::string> frontier = {""};
  while (!frontier.empty()) {
    std::vector<std::string> next;
    for (const std::string& parent : frontier) {
      regions->push_back(parent);
      RegionCode code = *RegionCode::Parse(parent);
      if (code.level() == v1::REGION_LEVEL_KELURAHAN) continue;
      std::string page_token;
      do {
        ASSIGN_OR_RETURN(Page<std::string> page,
                         tree.ListChildren(code, kMaxPageSize, page_token));
        next.insert(next.end(), page.items.begin(), page.items.end());
        page_token = page.next_page_token;
      } while (!page_token.empty());
    }
    frontier = std::move(next);
  }
  return absl::OkStatus();
}

// Makes the result of the i-th TPS of a race's list.
using ResultMaker = std::function<v1::TpsResult(size_t)>;

// Commits `count` results (made by `make`) with `clients` concurrent
// clients, as the holder of `token`.
absl::Status Commit(const std::string& address, const std::string& token,
                    size_t count, const ResultMaker& make, int batch_size,
                    int clients) {
  std::vector<std::thread> threads;
  std::vector<absl::Status> statuses(clients);
  for (int client = 0; client < clients; ++client) {
    threads.emplace_back([&, client] {
      auto stub = v1::TallyService::NewStub(CreateTokenChannel(address, token));
      for (size_t start = static_cast<size_t>(client) * batch_size;
           start < count; start += static_cast<size_t>(clients) * batch_size) {
        v1::BatchUpdateTpsResultsRequest request;
        for (size_t i = start; i < std::min(count, start + batch_size); ++i) {
          *request.add_requests()->mutable_result() = make(i);
        }
        v1::BatchUpdateTpsResultsResponse response;
        grpc::ClientContext context;
        grpc::Status status =
            stub->BatchUpdateTpsResults(&context, request, &response);
        if (!status.ok()) {
          statuses[client] = FromGrpcStatus(status);
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// What one race's load took.
struct RaceLoad {
  std::string race;
  size_t results = 0;
  double fields_per_result = 0;
  double seconds = 0;
};

// Commits one result of `race` for every TPS of `tps` that has a ballot in
// it (all of them for ppwp).
absl::StatusOr<RaceLoad> LoadRace(const std::string& address,
                                  const std::string& token,
                                  const std::string& race,
                                  const std::vector<std::string>& tps,
                                  const BallotIndex& ballots, int batch,
                                  int clients) {
  RaceLoad load;
  load.race = race;
  std::vector<std::pair<const std::string*, const v1::Ballot*>> items;
  for (const std::string& code : tps) {
    const v1::Ballot* ballot =
        race == "ppwp" ? nullptr : ballots.For(race, code);
    if (race != "ppwp" && ballot == nullptr) continue;
    items.emplace_back(&code, ballot);
  }
  load.results = items.size();
  if (items.empty()) return load;
  load.fields_per_result =
      race == "ppwp"
          ? SamplePpwpResult(tps[0], 7).values_size()
          : SampleLegislativeResult(*items[0].first, race, *items[0].second, 7)
                .values_size();
  const ResultMaker make = [&](size_t i) {
    return race == "ppwp" ? SamplePpwpResult(*items[i].first, 7)
                          : SampleLegislativeResult(*items[i].first, race,
                                                    *items[i].second, 7);
  };
  Stopwatch watch;
  RETURN_IF_ERROR(Commit(address, token, items.size(), make, batch, clients));
  load.seconds = watch.seconds();
  std::cerr << race << ": committed " << items.size() << " results ("
            << load.fields_per_result << " fields in the first) in "
            << load.seconds << " s\n";
  return load;
}

// Keys per second of a plain RocksDB WriteBatch loop: `count` keys of about
// the size of a stored result, `batch_size` per batch, WAL on and synced
// like the store's writes.
absl::StatusOr<double> RawBatchRate(size_t count, int batch_size, bool sync) {
  ScratchDir dir("c1tally-bench-raw");
  rocksdb::Options options;
  options.create_if_missing = true;
  options.write_buffer_size = 64 << 20;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(options, dir.path(), &raw);
  if (!opened.ok()) return FromRocksStatus(opened, "raw bench db");
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  const std::string value(120, 'v');
  Stopwatch watch;
  for (size_t start = 0; start < count; start += batch_size) {
    rocksdb::WriteBatch batch;
    for (size_t i = start; i < std::min(count, start + batch_size); ++i) {
      batch.Put(absl::StrCat("ppwp/", 1000000000000 + i), value);
    }
    rocksdb::Status written = db->Write(write_options, &batch);
    if (!written.ok()) return FromRocksStatus(written, "raw bench write");
  }
  return count / watch.seconds();
}

}  // namespace

absl::Status RunTallyBench(const TallyBenchOptions& bench) {
  std::unique_ptr<ScratchDir> scratch;
  const std::string dir = BenchDir(bench.dir, "c1tally-bench-tally", &scratch);
  const int batch = bench.batch;
  const int clients = bench.clients;

  Server::Options options;
  options.data_dir = dir;
  options.grpc_address = "127.0.0.1:0";
  options.services = {Server::kTally};
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options));

  Stopwatch tree_watch;
  SyntheticTreeOptions tree_options;
  tree_options.scale = bench.scale;
  absl::StatusOr<ImportReport> tree =
      GenerateSyntheticTree(server->store()->database(), tree_options);
  if (!tree.ok()) return tree.status();
  const double tree_s = tree_watch.seconds();
  std::vector<std::string> tps_codes, region_codes;
  RETURN_IF_ERROR(
      CollectCodes(server->store()->tree(), &tps_codes, &region_codes));
  std::cerr << "tree: " << region_codes.size() << " regions, "
            << tps_codes.size() << " TPS in " << tree_s << " s\n";

  const std::string address = absl::StrCat("127.0.0.1:", server->grpc_port());
  // Writes need an admin's token.
  v1::User admin;
  admin.set_name("bench-admin");
  admin.add_roles(v1::ROLE_ADMIN);
  absl::StatusOr<IssuedToken> token =
      server->user_store()->CreateTokenUser(admin, absl::Hours(24));
  if (!token.ok()) return token.status();
  std::vector<std::string> races = {"ppwp"};
  BallotIndex ballots;
  if (bench.all_races) {
    Stopwatch watch;
    RETURN_IF_ERROR(GenerateSyntheticReference(server->store()->database(),
                                               SyntheticReferenceOptions(),
                                               absl::Now())
                        .status());
    ASSIGN_OR_RETURN(ballots, BallotIndex::Load(
                                  ReferenceStore(server->store()->database())));
    std::cerr << "reference: " << ballots.size() << " ballots in "
              << watch.seconds() << " s\n";
    races.insert(races.end(), std::begin(kLegislativeRaces),
                 std::end(kLegislativeRaces));
  }
  std::vector<RaceLoad> loads;
  for (const std::string& race : races) {
    ASSIGN_OR_RETURN(RaceLoad load,
                     LoadRace(address, token->token, race, tps_codes, ballots,
                              batch, clients));
    loads.push_back(std::move(load));
  }
  const double commit_s = loads[0].seconds;

  // Random reads through gRPC, one at a time, as a page view would.
  auto stub = v1::TallyService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::mt19937 random(1);
  const int reads = bench.reads;
  std::vector<double> region_ms, children_ms, tps_ms;
  // Times one unary call of `method` and adds its milliseconds to `samples`.
  auto timed = [&stub](auto method, const auto& request, auto* response,
                       std::vector<double>* samples) {
    Stopwatch watch;
    grpc::ClientContext context;
    grpc::Status status = ((*stub).*method)(&context, request, response);
    samples->push_back(watch.seconds() * 1000);
    return FromGrpcStatus(status);
  };
  for (int i = 0; i < reads; ++i) {
    v1::GetRegionRequest get_region;
    get_region.set_code(region_codes[std::uniform_int_distribution<size_t>(
        0, region_codes.size() - 1)(random)]);
    v1::Region region;
    absl::Status status = timed(&v1::TallyService::Stub::GetRegion, get_region,
                                &region, &region_ms);
    if (status.ok() && region.level() != v1::REGION_LEVEL_KELURAHAN) {
      v1::ListRegionsRequest list;
      list.set_parent(get_region.code());
      v1::ListRegionsResponse children;
      status = timed(&v1::TallyService::Stub::ListRegions, list, &children,
                     &children_ms);
    }
    if (status.ok()) {
      v1::GetTpsRequest get_tps;
      get_tps.set_code(tps_codes[std::uniform_int_distribution<size_t>(
          0, tps_codes.size() - 1)(random)]);
      v1::Tps tps;
      status = timed(&v1::TallyService::Stub::GetTps, get_tps, &tps, &tps_ms);
    }
    if (!status.ok()) return status;
  }

  bool verified = false;
  if (bench.verify) {
    Stopwatch watch;
    ASSIGN_OR_RETURN(TallyVerification report,
                     VerifyTally(server->store()->database()));
    std::cerr << "verify: " << report.differences.size() << " differences in "
              << watch.seconds() << " s\n";
    verified = report.ok();
    if (!verified) return absl::InternalError("verification found differences");
  }
  server->Shutdown();

  ASSIGN_OR_RETURN(double raw_rate,
                   RawBatchRate(tps_codes.size(), batch, /*sync=*/true));

  const double commits_per_s = tps_codes.size() / commit_s;
  std::cout << std::fixed << std::setprecision(3) << "tps=" << tps_codes.size()
            << " regions=" << region_codes.size() << " tree_s=" << tree_s
            << " commit_s=" << commit_s
            << " commits_per_s=" << std::setprecision(0) << commits_per_s
            << " raw_batch_per_s=" << raw_rate << std::setprecision(3)
            << " commit_ratio_to_raw=" << commits_per_s / raw_rate
            << " region_p50_ms=" << Quantile(region_ms, 0.5)
            << " region_p99_ms=" << Quantile(region_ms, 0.99)
            << " children_p99_ms=" << Quantile(children_ms, 0.99)
            << " tps_p50_ms=" << Quantile(tps_ms, 0.5)
            << " tps_p99_ms=" << Quantile(tps_ms, 0.99)
            << (bench.verify ? absl::StrCat(" verified=", verified ? 1 : 0)
                             : "");
  if (bench.all_races) {
    double all_s = 0;
    size_t all_results = 0;
    for (const RaceLoad& load : loads) {
      all_s += load.seconds;
      all_results += load.results;
      std::cout << std::setprecision(3) << " " << load.race
                << "_results=" << load.results << " " << load.race
                << "_fields=" << std::setprecision(0) << load.fields_per_result
                << std::setprecision(3) << " " << load.race
                << "_commit_s=" << load.seconds << " " << load.race
                << "_ratio_to_ppwp=" << load.seconds / commit_s;
    }
    std::cout << " five_race_results=" << all_results
              << " five_race_commit_s=" << all_s
              << " five_race_ratio_to_ppwp=" << all_s / commit_s;
  }
  std::cout << std::endl;
  return absl::OkStatus();
}

}  // namespace c1tally
