#include "tools/bench/ingest_bench.h"

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/create_channel.h"
#include "ocr/image_decode.h"
#include "services/ingest/upload_client.h"
#include "services/server/server.h"
#include "storage/file_blob_store.h"
#include "storage/rocksdb_blob_store.h"
#include "storage/sha256.h"
#include "storage/status_macros.h"
#include "storage/synthetic_tree.h"
#include "tools/bench/bench_util.h"

namespace c1tally {
namespace {

// The photos of `dir`, made `count` distinct blobs.
absl::StatusOr<std::vector<std::string>> LoadPhotos(const std::string& dir,
                                                    int count) {
  std::vector<std::string> originals;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".jpg") continue;
    ASSIGN_OR_RETURN(std::string bytes,
                     ocr::ReadPhotoFile(entry.path().string()));
    originals.push_back(std::move(bytes));
  }
  if (originals.empty()) {
    return absl::NotFoundError(absl::StrCat("no *.jpg in ", dir));
  }
  std::vector<std::string> photos;
  for (int i = 0; i < count; ++i) {
    // Bytes after the end-of-image marker change the hash, not the image.
    photos.push_back(absl::StrCat(originals[i % originals.size()],
                                  absl::StrFormat("bench%08d", i)));
  }
  return photos;
}

struct Timing {
  double seconds = 0;
  double mb_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

// Runs `put(i)` for every photo from `clients` threads and times each call.
absl::StatusOr<Timing> TimeWrites(
    const std::vector<std::string>& photos, int clients,
    const std::function<absl::Status(size_t)>& put) {
  std::atomic<size_t> next{0};
  absl::Mutex mu;
  std::vector<double> latencies_ms;
  absl::Status failure;
  Stopwatch total;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < photos.size(); i = next++) {
        Stopwatch one;
        absl::Status status = put(i);
        absl::MutexLock lock(&mu);
        latencies_ms.push_back(one.seconds() * 1000);
        if (!status.ok()) failure = status;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  if (!failure.ok()) return failure;
  Timing timing;
  timing.seconds = total.seconds();
  double bytes = 0;
  for (const std::string& photo : photos) bytes += photo.size();
  timing.mb_per_s = bytes / (1 << 20) / timing.seconds;
  timing.p50_ms = Quantile(latencies_ms, 0.5);
  timing.p99_ms = Quantile(latencies_ms, 0.99);
  return timing;
}

absl::StatusOr<Timing> TimeBlobStore(BlobStore* store,
                                     const std::vector<std::string>& photos,
                                     int clients) {
  std::vector<std::string> keys;
  for (const std::string& photo : photos) keys.push_back(ToHex(Sha256(photo)));
  absl::StatusOr<Timing> timing = TimeWrites(photos, clients, [&](size_t i) {
    return store->Put(keys[i], photos[i]);
  });
  if (!timing.ok()) return timing;
  for (size_t i = 0; i < photos.size(); ++i) {
    ASSIGN_OR_RETURN(std::string back, store->Get(keys[i]));
    if (back != photos[i]) {
      return absl::DataLossError(absl::StrCat("blob ", keys[i], " differs"));
    }
  }
  return timing;
}

// Both stores, fresh (under `dir`/`label`), at `clients` writers.
absl::Status CompareStores(const std::string& dir, const std::string& label,
                           const std::vector<std::string>& photos, int clients,
                           Timing* rocks, Timing* files) {
  {
    ASSIGN_OR_RETURN(
        std::unique_ptr<Database> db,
        Database::Open(absl::StrCat(dir, "/", label, "-rocksdb"), {}));
    RocksDbBlobStore store(db.get());
    ASSIGN_OR_RETURN(Timing timing, TimeBlobStore(&store, photos, clients));
    *rocks = timing;
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<FileBlobStore> store,
      FileBlobStore::Open(absl::StrCat(dir, "/", label, "-files")));
  ASSIGN_OR_RETURN(Timing timing, TimeBlobStore(store.get(), photos, clients));
  *files = timing;
  return absl::OkStatus();
}

// Whole uploads through a server: one uploader, no quota.
absl::StatusOr<Timing> TimeUploads(const std::string& dir,
                                   const std::vector<std::string>& photos,
                                   int clients) {
  Server::Options options;
  options.data_dir = absl::StrCat(dir, "/server");
  options.grpc_address = "127.0.0.1:0";
  options.services = {Server::kTally, Server::kIngest};
  options.upload_quota = {};
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options));
  SyntheticTreeOptions tree;
  tree.scale = 0.001;
  ASSIGN_OR_RETURN(ImportReport imported,
                   GenerateSyntheticTree(server->store()->database(), tree));
  absl::StatusOr<Page<v1::Tps>> tps =
      server->store()->tree().ListTps(RegionCode(), 1, "");
  if (!tps.ok() || tps->items.empty()) {
    return absl::InternalError("the synthetic tree has no TPS");
  }
  const std::string tps_code = tps->items[0].code();
  v1::User user;
  user.set_name("bench");
  user.add_roles(v1::ROLE_UPLOADER);
  absl::StatusOr<IssuedToken> token =
      server->user_store()->CreateTokenUser(user, absl::Hours(1));
  if (!token.ok()) return token.status();
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", server->grpc_port()),
                          grpc::InsecureChannelCredentials()));
  return TimeWrites(photos, clients, [&](size_t i) {
    return UploadPhoto(stub.get(), token->token, tps_code, photos[i]).status();
  });
}

std::string Figures(const std::string& name, const Timing& timing) {
  return absl::StrFormat("%s_mb_per_s=%.1f %s_p50_ms=%.1f %s_p99_ms=%.1f", name,
                         timing.mb_per_s, name, timing.p50_ms, name,
                         timing.p99_ms);
}

}  // namespace

absl::Status RunIngestBench(const IngestBenchOptions& bench) {
  std::unique_ptr<ScratchDir> scratch;
  const std::string dir = BenchDir(bench.dir, "c1tally-bench-ingest", &scratch);
  const int clients = std::max(1, bench.clients);
  absl::StatusOr<std::vector<std::string>> photos =
      LoadPhotos(bench.photos, bench.uploads);
  if (!photos.ok()) return photos.status();
  double megabytes = 0;
  for (const std::string& photo : *photos) megabytes += photo.size();
  megabytes /= 1 << 20;
  std::cerr << photos->size() << " photos, " << megabytes << " MB\n";

  Timing rocks1, files1, rocksn, filesn;
  RETURN_IF_ERROR(CompareStores(dir, "one", *photos, 1, &rocks1, &files1));
  std::cerr << "1 writer:  " << Figures("rocksdb", rocks1) << " "
            << Figures("files", files1) << "\n";
  RETURN_IF_ERROR(
      CompareStores(dir, "concurrent", *photos, clients, &rocksn, &filesn));
  std::cerr << clients << " writers: " << Figures("rocksdb", rocksn) << " "
            << Figures("files", filesn) << "\n";
  ASSIGN_OR_RETURN(Timing uploads, TimeUploads(dir, *photos, clients));
  std::cout << absl::StrFormat("photos=%d mb=%.1f clients=%d ", photos->size(),
                               megabytes, clients)
            << Figures("rocksdb", rocks1) << " " << Figures("files", files1)
            << " " << Figures("rocksdb_concurrent", rocksn) << " "
            << Figures("files_concurrent", filesn) << " "
            << Figures("upload", uploads)
            << absl::StrFormat(" uploads_per_s=%.1f",
                               photos->size() / uploads.seconds)
            << std::endl;
  return absl::OkStatus();
}

}  // namespace c1tally
