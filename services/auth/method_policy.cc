#include "services/auth/method_policy.h"

namespace c1tally {
namespace {

constexpr v1::Role kVolunteer = v1::ROLE_VOLUNTEER;
constexpr v1::Role kModerator = v1::ROLE_MODERATOR;
constexpr v1::Role kAdmin = v1::ROLE_ADMIN;
constexpr v1::Role kAuditor = v1::ROLE_AUDITOR;
constexpr v1::Role kUploader = v1::ROLE_UPLOADER;
constexpr v1::Role kOcrWorker = v1::ROLE_OCR_WORKER;

MethodPolicy Open(absl::string_view method) { return {method, true, {}}; }

MethodPolicy Only(absl::string_view method,
                  std::initializer_list<v1::Role> roles) {
  return {method, false, roles};
}

std::vector<MethodPolicy> BuildPolicies() {
  return {
      // Published results are public.
      Open("/c1tally.v1.TallyService/GetRegion"),
      Open("/c1tally.v1.TallyService/ListRegions"),
      Open("/c1tally.v1.TallyService/GetTps"),
      Open("/c1tally.v1.TallyService/ListTps"),
      Open("/c1tally.v1.TallyService/ListFormKinds"),
      Open("/c1tally.v1.TallyService/ListJournalEntries"),
      Only("/c1tally.v1.TallyService/UpdateTpsResult", {kAdmin}),
      Only("/c1tally.v1.TallyService/BatchUpdateTpsResults", {kAdmin}),
      Only("/c1tally.v1.TallyService/DeleteTpsResult", {kAdmin}),
      // The comparison with Sirekap is public like the results.
      Only("/c1tally.v1.AuditService/ImportSirekapRecords", {kAuditor, kAdmin}),
      Open("/c1tally.v1.AuditService/ListSirekapRecords"),
      Open("/c1tally.v1.AuditService/ListDiscrepancies"),
      Open("/c1tally.v1.AuditService/ListRegionDiscrepancies"),
      // Logging in is what gets a token.
      Open("/c1tally.v1.AuthService/CreateToken"),
      Only("/c1tally.v1.AuthService/CreateUser", {kAdmin}),
      Only("/c1tally.v1.AuthService/ListUsers", {kAdmin}),
      Only("/c1tally.v1.AuthService/DisableUser", {kAdmin}),
      Only("/c1tally.v1.IngestService/CreateSubmission", {kUploader}),
      // Uploaders see their own (the service narrows it); the rest see all.
      Only("/c1tally.v1.IngestService/GetSubmission",
           {kUploader, kModerator, kAdmin, kAuditor}),
      Only("/c1tally.v1.IngestService/ListSubmissions",
           {kUploader, kModerator, kAdmin, kAuditor}),
      Only("/c1tally.v1.OcrJobService/LeaseOcrJob", {kOcrWorker}),
      Only("/c1tally.v1.OcrJobService/CompleteOcrJob", {kOcrWorker}),
      Only("/c1tally.v1.OcrJobService/FailOcrJob", {kOcrWorker}),
      Only("/c1tally.v1.ReviewService/ClaimReviewTask", {kVolunteer}),
      Only("/c1tally.v1.ReviewService/CreateReviewEntry", {kVolunteer}),
      Only("/c1tally.v1.ReviewService/SkipReviewTask", {kVolunteer}),
      Only("/c1tally.v1.ReviewService/ListReviewTasks", {kModerator, kAdmin}),
      Only("/c1tally.v1.ReviewService/GetReviewTask", {kModerator, kAdmin}),
      Only("/c1tally.v1.ReviewService/ResolveReviewTask", {kModerator}),
      Only("/c1tally.v1.ReviewService/GetVolunteerStats",
           {kVolunteer, kModerator, kAdmin}),
  };
}

}  // namespace

const std::vector<MethodPolicy>& AllMethodPolicies() {
  static const std::vector<MethodPolicy>* policies =
      new std::vector<MethodPolicy>(BuildPolicies());
  return *policies;
}

const MethodPolicy* FindMethodPolicy(absl::string_view method) {
  for (const MethodPolicy& policy : AllMethodPolicies()) {
    if (policy.method == method) return &policy;
  }
  return nullptr;
}

}  // namespace c1tally
