// PipelineScenario: election night in miniature, against a running server.
//
// Plans photos for a set of TPS (pages 2 and 3 whose numbers agree, second
// photos of the same page, a few photos that contradict the first, exact
// re-uploads, and photos that are not forms), renders them with the form
// generator, uploads them, plays volunteers who type what the photo shows
// with a given typo rate (and a moderator who settles disputes with the
// truth), and finally compares every published TPS result with the truth.
//
// The end-to-end test runs it against real processes; `c1ctl bench
// pipeline` against an in-process server with 1 and 2 workers. It talks
// to the server only through the public gRPC API.
#ifndef C1TALLY_TOOLS_SIM_PIPELINE_SCENARIO_H_
#define C1TALLY_TOOLS_SIM_PIPELINE_SCENARIO_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/synth/form_generator.h"

namespace c1tally::sim {

struct ScenarioOptions {
  // Uploads in all (exact re-uploads included) and TPS they cover.
  int photos = 200;
  int tps = 60;
  // Chance that a volunteer mistypes a number.
  double typo_rate = 0.03;
  int volunteers = 5;
  uint64_t seed = 1;
  // Threads rendering photos.
  int render_threads = 2;
};

// One planned upload.
struct PlannedPhoto {
  std::string tps;
  // Index into the rendered photos (re-uploads share one).
  int photo = 0;
};

struct RenderedPhoto {
  std::string bytes;
  bool form = true;
  int page = 0;
  std::map<std::string, int> values;
};

// What Check() found.
struct ScenarioOutcome {
  int tps = 0;
  // TPS whose published result matches the truth, unflagged.
  int verified = 0;
  // TPS flagged for photos that disagree, as planned.
  int flagged = 0;
  // TPS without a result, or with flags nobody planned.
  int unexpected = 0;
  // Published values that differ from the truth.
  int wrong_verified = 0;
  // Photos that are no form and ended as failed.
  int non_forms_failed = 0;
  int non_forms = 0;
  // People's work: entries and moderator decisions, per field read.
  int human_entries = 0;
  int fields = 0;
  std::vector<std::string> problems;  // one line per unexpected TPS
};

class PipelineScenario {
 public:
  // Plans and renders the photos for `tps_codes` (at least options.tps).
  static absl::StatusOr<PipelineScenario> Create(
      const synth::FormGenerator& generator,
      const std::vector<std::string>& tps_codes,
      const ScenarioOptions& options);

  // Uploads every planned photo to the IngestService at `target`.
  absl::Status Upload(const std::string& target, const std::string& token);

  // Plays the volunteers (one token each) and the moderator until every
  // photo has left the OCR queue and no task is open or disputed, or until
  // `timeout` (DEADLINE_EXCEEDED). The moderator's token also serves to
  // look at every submission.
  absl::Status Review(const std::string& target,
                      const std::vector<std::string>& volunteer_tokens,
                      const std::string& moderator_token,
                      absl::Duration timeout);

  // Compares the published results (read without a login) with the truth;
  // the photos of no form are looked up with `observer_token`.
  absl::StatusOr<ScenarioOutcome> Check(const std::string& target,
                                        const std::string& observer_token);

  // Uploads planned, and distinct photos among them.
  int uploads() const { return static_cast<int>(plan_.size()); }
  int unique_photos() const { return static_cast<int>(photos_.size()); }

 private:
  PipelineScenario() = default;

  // The truth a volunteer looks at for `submission`; null when unknown.
  const RenderedPhoto* TruthOf(const std::string& submission) const;

  ScenarioOptions options_;
  std::vector<RenderedPhoto> photos_;
  std::vector<PlannedPhoto> plan_;
  // Per TPS: the numbers of its first photos, and whether a later photo
  // contradicts them.
  std::map<std::string, std::map<std::string, int>> truth_;
  std::set<std::string> conflicting_;
  // Submission name -> index into photos_, filled by Upload().
  std::map<std::string, int> submissions_;
  int human_entries_ = 0;
};

}  // namespace c1tally::sim

#endif  // C1TALLY_TOOLS_SIM_PIPELINE_SCENARIO_H_
