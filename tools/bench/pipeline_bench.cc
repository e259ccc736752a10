#include "tools/bench/pipeline_bench.h"

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/auth/token_channel.h"
#include "services/ocr/ocr_worker.h"
#include "services/server/server.h"
#include "storage/status_macros.h"
#include "storage/synthetic_tree.h"
#include "tools/bench/bench_util.h"
#include "tools/sim/pipeline_scenario.h"

namespace c1tally {
namespace {

struct RunFigures {
  double seconds = 0;
  sim::ScenarioOutcome outcome;
};

std::string Token(Server* server, const std::string& name, v1::Role role) {
  v1::User user;
  user.set_name(name);
  user.add_roles(role);
  absl::StatusOr<IssuedToken> token =
      server->user_store()->CreateTokenUser(user, absl::Hours(2));
  return token.ok() ? token->token : "";
}

// One run on a fresh server in `dir` with `workers` OCR workers.
absl::StatusOr<RunFigures> RunOnce(const std::string& dir, int workers,
                                   sim::PipelineScenario scenario) {
  Server::Options options;
  options.data_dir = dir;
  options.grpc_address = "127.0.0.1:0";
  options.services = {Server::kTally, Server::kIngest};
  options.upload_quota = {};
  ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options));
  SyntheticTreeOptions tree;
  tree.scale = 0.0002;
  if (absl::StatusOr<ImportReport> imported =
          GenerateSyntheticTree(server->store()->database(), tree);
      !imported.ok()) {
    return imported.status();
  }
  const std::string target = absl::StrCat("127.0.0.1:", server->grpc_port());
  const std::string uploader = Token(server.get(), "saksi", v1::ROLE_UPLOADER);
  const std::string moderator =
      Token(server.get(), "moderator", v1::ROLE_MODERATOR);
  std::vector<std::string> volunteers;
  for (int i = 0; i < 5; ++i) {
    volunteers.push_back(
        Token(server.get(), absl::StrCat("relawan", i), v1::ROLE_VOLUNTEER));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ocr::PageReader> reader,
                   ocr::PageReader::Create({}));

  const absl::Time start = absl::Now();
  OcrWorkers ocr(CreateTokenChannel(
                     target, Token(server.get(), "ocr", v1::ROLE_OCR_WORKER)),
                 std::move(reader), workers, {});
  RETURN_IF_ERROR(scenario.Upload(target, uploader));
  RETURN_IF_ERROR(
      scenario.Review(target, volunteers, moderator, absl::Minutes(20)));
  RunFigures figures;
  figures.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  ocr.Stop();
  absl::StatusOr<sim::ScenarioOutcome> outcome =
      scenario.Check(target, moderator);
  if (!outcome.ok()) return outcome.status();
  figures.outcome = *std::move(outcome);
  server->Shutdown();
  return figures;
}

}  // namespace

absl::Status RunPipelineBench(const PipelineBenchOptions& bench) {
  std::unique_ptr<ScratchDir> scratch;
  const std::string dir =
      BenchDir(bench.dir, "c1tally-bench-pipeline", &scratch);
  ASSIGN_OR_RETURN(synth::FormGenerator generator,
                   synth::FormGenerator::Load(ocr::DefaultFormsDir(),
                                              bench.templates, bench.mnist));
  sim::ScenarioOptions options;
  options.photos = bench.photos;
  options.tps = bench.tps;
  // The TPS codes of the synthetic tree each run builds.
  std::vector<std::string> codes;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                     Database::Open(absl::StrCat(dir, "/codes"), {}));
    SyntheticTreeOptions tree;
    tree.scale = 0.0002;
    if (absl::StatusOr<ImportReport> imported =
            GenerateSyntheticTree(db.get(), tree);
        !imported.ok()) {
      return imported.status();
    }
    auto it = db->NewIterator(Family::kTps);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      codes.emplace_back(View(it->key()));
    }
  }
  std::cerr << "rendering " << options.photos << " photos...\n";
  ASSIGN_OR_RETURN(sim::PipelineScenario scenario,
                   sim::PipelineScenario::Create(generator, codes, options));
  double one_worker = 0;
  for (int workers : {1, 2}) {
    ASSIGN_OR_RETURN(RunFigures run, RunOnce(absl::StrCat(dir, "/run", workers),
                                             workers, scenario));
    const sim::ScenarioOutcome& o = run.outcome;
    const double per_s = scenario.unique_photos() / run.seconds;
    if (workers == 1) one_worker = per_s;
    std::cout << absl::StrFormat(
                     "photos=%d workers=%d photos_per_s=%.2f "
                     "human_entries_per_100_fields=%.1f wrong_verified=%d "
                     "tps=%d verified=%d flagged=%d unexpected=%d",
                     scenario.unique_photos(), workers, per_s,
                     100.0 * o.human_entries / std::max(1, o.fields),
                     o.wrong_verified, o.tps, o.verified, o.flagged,
                     o.unexpected)
              << (workers == 2
                      ? absl::StrFormat(" speedup_2_to_1=%.2f",
                                        per_s / std::max(1e-9, one_worker))
                      : "")
              << std::endl;
  }
  return absl::OkStatus();
}

}  // namespace c1tally
