#include "tools/sim/pipeline_scenario.h"

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/review.grpc.pb.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "opencv2/imgcodecs.hpp"
#include "opencv2/imgproc.hpp"
#include "services/auth/token_channel.h"
#include "services/common/grpc_status.h"
#include "services/ingest/upload_client.h"
#include "storage/status_macros.h"

namespace c1tally::sim {
namespace {

constexpr char kPage2[][16] = {"suara_paslon_1", "suara_paslon_2",
                               "suara_paslon_3"};
constexpr char kPage3[][16] = {"suara_sah", "suara_tidak_sah", "suara_total"};

int Uniform(std::mt19937* random, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(*random);
}

// A JPEG of coloured noise and blobs: a photo, but of no form.
std::string NonFormPhoto(uint32_t seed) {
  cv::Mat image(900, 1200, CV_8UC3);
  cv::RNG rng(seed);
  rng.fill(image, cv::RNG::UNIFORM, 0, 255);
  for (int i = 0; i < 20; ++i) {
    cv::circle(image, {rng.uniform(0, 1200), rng.uniform(0, 900)},
               rng.uniform(20, 200),
               cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255),
                          rng.uniform(0, 255)),
               cv::FILLED);
  }
  std::vector<unsigned char> jpeg;
  cv::imencode(".jpg", image, jpeg);
  return std::string(jpeg.begin(), jpeg.end());
}

}  // namespace

absl::StatusOr<PipelineScenario> PipelineScenario::Create(
    const synth::FormGenerator& generator,
    const std::vector<std::string>& tps_codes, const ScenarioOptions& options) {
  if (static_cast<int>(tps_codes.size()) < options.tps ||
      options.photos < 2 * options.tps) {
    return absl::InvalidArgumentError(
        absl::StrCat("a scenario of ", options.photos, " photos for ",
                     options.tps, " TPS needs that many TPS codes (have ",
                     tps_codes.size(), ") and two photos per TPS at least"));
  }
  PipelineScenario scenario;
  scenario.options_ = options;
  std::mt19937 random(static_cast<uint32_t>(options.seed));
  struct Job {
    int page;
    std::map<std::string, int> values;
    bool form = true;
  };
  std::vector<Job> jobs;
  std::vector<std::string> tps(tps_codes.begin(),
                               tps_codes.begin() + options.tps);
  auto add = [&](const std::string& code, Job job) {
    jobs.push_back(std::move(job));
    scenario.plan_.push_back({code, static_cast<int>(jobs.size()) - 1});
  };
  // Pages 2 and 3 of every TPS, numbers that agree across the pages.
  for (const std::string& code : tps) {
    std::map<std::string, int>& truth = scenario.truth_[code];
    int sah = 0;
    for (const char* field : kPage2)
      sah += truth[field] = Uniform(&random, 0, 300);
    truth["suara_sah"] = sah;
    truth["suara_tidak_sah"] = Uniform(&random, 0, 20);
    truth["suara_total"] = sah + truth["suara_tidak_sah"];
    for (int page : {2, 3}) {
      Job job{page, {}};
      for (const auto& [name, value] : truth) job.values[name] = value;
      add(code, job);
    }
  }
  // The rest: a share each of exact re-uploads, photos of no form and
  // photos that contradict the first, the remainder second photos that
  // agree.
  const int rest = options.photos - 2 * options.tps;
  const int share = rest / 8;
  const int firsts = static_cast<int>(scenario.plan_.size());
  for (int i = 0; i < rest - 3 * share; ++i) {
    const std::string& code = tps[i % tps.size()];
    add(code, Job{2 + i % 2, scenario.truth_[code]});
  }
  for (int i = 0; i < share; ++i) {
    scenario.plan_.push_back(scenario.plan_[Uniform(&random, 0, firsts - 1)]);
  }
  for (int i = 0; i < share; ++i) {
    add(tps[Uniform(&random, 0, static_cast<int>(tps.size()) - 1)],
        Job{0, {}, false});
  }
  for (int i = 0; i < share; ++i) {
    const std::string& code = tps[(i * 7 + 3) % tps.size()];
    if (!scenario.conflicting_.insert(code).second) continue;
    Job job{2, scenario.truth_[code]};
    job.values["suara_paslon_1"] =
        (job.values["suara_paslon_1"] + Uniform(&random, 1, 9)) % 301;
    add(code, job);
  }

  // Render, on a few threads: a photo takes a quarter of a second.
  scenario.photos_.resize(jobs.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, options.render_threads); ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < jobs.size(); i = next++) {
        RenderedPhoto& photo = scenario.photos_[i];
        const uint64_t seed = options.seed * 1000003 + i;
        photo.form = jobs[i].form;
        if (!photo.form) {
          photo.bytes = NonFormPhoto(static_cast<uint32_t>(seed));
          continue;
        }
        synth::GeneratedForm form =
            generator.GenerateWith(seed, jobs[i].page, jobs[i].values);
        photo.bytes = std::move(form.photo);
        photo.page = jobs[i].page;
        for (const auto& [name, value] : form.truth["fields"].items()) {
          photo.values[name] = value.get<int>();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return scenario;
}

absl::Status PipelineScenario::Upload(const std::string& target,
                                      const std::string& token) {
  auto stub = v1::IngestService::NewStub(CreateTokenChannel(target, ""));
  for (const PlannedPhoto& planned : plan_) {
    ASSIGN_OR_RETURN(v1::Submission submission,
                     UploadPhoto(stub.get(), token, planned.tps,
                                 photos_[planned.photo].bytes, "", 1 << 20));
    submissions_[submission.name()] = planned.photo;
  }
  return absl::OkStatus();
}

const RenderedPhoto* PipelineScenario::TruthOf(
    const std::string& submission) const {
  auto it = submissions_.find(submission);
  return it == submissions_.end() ? nullptr : &photos_[it->second];
}

absl::Status PipelineScenario::Review(
    const std::string& target, const std::vector<std::string>& volunteer_tokens,
    const std::string& moderator_token, absl::Duration timeout) {
  std::mt19937 random(static_cast<uint32_t>(options_.seed + 77));
  std::bernoulli_distribution typo(options_.typo_rate);
  std::vector<std::unique_ptr<v1::ReviewService::Stub>> volunteers;
  for (const std::string& token : volunteer_tokens) {
    volunteers.push_back(
        v1::ReviewService::NewStub(CreateTokenChannel(target, token)));
  }
  auto moderator =
      v1::ReviewService::NewStub(CreateTokenChannel(target, moderator_token));
  auto observer =
      v1::IngestService::NewStub(CreateTokenChannel(target, moderator_token));

  // What a person types for `task`: the photo's truth, now and then with a
  // slip of the finger.
  auto typed = [&](const v1::ReviewTask& task, bool careful) {
    v1::ReviewEntry entry;
    entry.set_task(task.name());
    const RenderedPhoto* truth = TruthOf(task.submission());
    if (truth == nullptr || !truth->form) {
      entry.set_verdict(v1::ReviewEntry::VERDICT_NOT_A_FORM);
      return entry;
    }
    entry.set_verdict(v1::ReviewEntry::VERDICT_VALUE);
    if (task.kind() == v1::ReviewTask::KIND_PAGE) {
      entry.set_page(truth->page);
      for (const auto& [name, value] : truth->values) {
        (*entry.mutable_values())[name] = value;
      }
    } else {
      auto value = truth->values.find(task.field());
      if (value == truth->values.end()) {
        entry.set_verdict(v1::ReviewEntry::VERDICT_UNREADABLE);
        return entry;
      }
      (*entry.mutable_values())[task.field()] = value->second;
    }
    if (!careful && typo(random) && !entry.values().empty()) {
      auto slip = entry.mutable_values()->begin();
      std::advance(slip, Uniform(&random, 0, entry.values().size() - 1));
      slip->second = (slip->second + Uniform(&random, 1, 9)) % 1000;
    }
    return entry;
  };

  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    bool worked = false;
    for (auto& volunteer : volunteers) {
      v1::ReviewTask task;
      grpc::ClientContext context;
      grpc::Status claimed = volunteer->ClaimReviewTask(
          &context, v1::ClaimReviewTaskRequest(), &task);
      if (claimed.error_code() == grpc::StatusCode::NOT_FOUND) continue;
      // A server restarting: volunteers try again in a moment.
      if (claimed.error_code() == grpc::StatusCode::UNAVAILABLE) {
        absl::SleepFor(absl::Milliseconds(200));
        continue;
      }
      if (!claimed.ok()) return FromGrpcStatus(claimed, "claiming a task");
      v1::CreateReviewEntryRequest request;
      request.set_lease_id(task.lease_id());
      *request.mutable_entry() = typed(task, false);
      v1::ReviewEntry entered;
      grpc::ClientContext entry_context;
      absl::Status done = FromGrpcStatus(
          volunteer->CreateReviewEntry(&entry_context, request, &entered),
          "entering");
      // Too fast for the rate limit: the task stays theirs; later.
      if (absl::IsResourceExhausted(done)) continue;
      if (!done.ok()) return done;
      ++human_entries_;
      worked = true;
    }
    if (worked) continue;
    // Nothing to type: settle disputes, then see whether OCR is done.
    v1::ListReviewTasksRequest list;
    list.set_filter("disputed");
    v1::ListReviewTasksResponse disputed;
    grpc::ClientContext list_context;
    RETURN_IF_ERROR(FromGrpcStatus(
        moderator->ListReviewTasks(&list_context, list, &disputed),
        "listing disputes"));
    for (const v1::ReviewTask& task : disputed.tasks()) {
      v1::ResolveReviewTaskRequest resolve;
      resolve.set_task(task.name());
      *resolve.mutable_decision() = typed(task, true);
      resolve.set_reason("checked against the photo");
      v1::ReviewTask resolved;
      grpc::ClientContext context;
      RETURN_IF_ERROR(FromGrpcStatus(
          moderator->ResolveReviewTask(&context, resolve, &resolved),
          "resolving"));
      ++human_entries_;
      worked = true;
    }
    if (worked) continue;
    bool waiting = false;
    for (const auto& [name, photo] : submissions_) {
      v1::GetSubmissionRequest get;
      get.set_name(name);
      v1::Submission submission;
      grpc::ClientContext context;
      RETURN_IF_ERROR(FromGrpcStatus(
          observer->GetSubmission(&context, get, &submission), name));
      if (submission.state() == v1::Submission::STATE_RECEIVED ||
          submission.state() == v1::Submission::STATE_READ) {
        waiting = true;
        break;
      }
    }
    if (!waiting) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError("the scenario did not settle in time");
}

absl::StatusOr<ScenarioOutcome> PipelineScenario::Check(
    const std::string& target, const std::string& observer_token) {
  ScenarioOutcome outcome;
  auto tally = v1::TallyService::NewStub(CreateTokenChannel(target, ""));
  for (const auto& [code, truth] : truth_) {
    ++outcome.tps;
    v1::GetTpsRequest request;
    request.set_code(code);
    v1::Tps tps;
    grpc::ClientContext context;
    RETURN_IF_ERROR(
        FromGrpcStatus(tally->GetTps(&context, request, &tps), code));
    const v1::TpsResult* result = nullptr;
    for (const v1::TpsResult& candidate : tps.results()) {
      if (candidate.form_kind() == "ppwp") result = &candidate;
    }
    if (result == nullptr) {
      ++outcome.unexpected;
      outcome.problems.push_back(absl::StrCat(code, ": no result"));
      continue;
    }
    int wrong = 0;
    for (const auto& [name, value] : truth) {
      auto published = result->values().find(name);
      if (published == result->values().end() || published->second != value) {
        ++wrong;
      }
    }
    outcome.wrong_verified += wrong;
    const bool flagged =
        std::find(result->flags().begin(), result->flags().end(),
                  "conflicting_photos") != result->flags().end();
    const bool expected_flag = conflicting_.count(code) > 0;
    if (wrong == 0 && flagged == expected_flag &&
        result->flags_size() == (flagged ? 1 : 0)) {
      ++(flagged ? outcome.flagged : outcome.verified);
    } else {
      ++outcome.unexpected;
      outcome.problems.push_back(
          absl::StrCat(code, ": ", wrong, " wrong values, flags ",
                       absl::StrJoin(result->flags(), ","),
                       expected_flag ? " (conflict planned)" : ""));
    }
  }
  for (const RenderedPhoto& photo : photos_) {
    if (photo.form) outcome.fields += 3;
  }
  auto observer =
      v1::IngestService::NewStub(CreateTokenChannel(target, observer_token));
  for (const auto& [name, photo] : submissions_) {
    if (photos_[photo].form) continue;
    ++outcome.non_forms;
    v1::GetSubmissionRequest get;
    get.set_name(name);
    v1::Submission submission;
    grpc::ClientContext context;
    RETURN_IF_ERROR(FromGrpcStatus(
        observer->GetSubmission(&context, get, &submission), name));
    outcome.non_forms_failed +=
        submission.state() == v1::Submission::STATE_FAILED;
  }
  outcome.human_entries = human_entries_;
  return outcome;
}

}  // namespace c1tally::sim
