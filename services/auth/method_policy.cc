#include "services/auth/method_policy.h"

#include "absl/strings/str_cat.h"
#include "c1tally/v1/audit.pb.h"
#include "c1tally/v1/auth.pb.h"
#include "c1tally/v1/ingest.pb.h"
#include "c1tally/v1/ocr.pb.h"
#include "c1tally/v1/review.pb.h"
#include "c1tally/v1/tally.pb.h"
#include "google/protobuf/descriptor.h"

namespace c1tally {
namespace {

// The services c1tallyd serves, by their proto files (a message of each
// file is named so that its descriptors are linked in); their methods
// carry the rules.
std::vector<const google::protobuf::ServiceDescriptor*> Services() {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const google::protobuf::FileDescriptor* file :
       {v1::GetRegionRequest::descriptor()->file(),
        v1::ImportSirekapRecordsRequest::descriptor()->file(),
        v1::CreateTokenRequest::descriptor()->file(),
        v1::CreateSubmissionRequest::descriptor()->file(),
        v1::LeaseOcrJobRequest::descriptor()->file(),
        v1::ClaimReviewTaskRequest::descriptor()->file()}) {
    for (int s = 0; s < file->service_count(); ++s) {
      services.push_back(file->service(s));
    }
  }
  return services;
}

std::string GrpcName(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

std::vector<MethodPolicy> ReadPolicies() {
  std::vector<MethodPolicy> policies;
  for (const google::protobuf::ServiceDescriptor* service : Services()) {
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor& method = *service->method(m);
      if (!method.options().HasExtension(v1::access)) continue;
      const v1::Access& access = method.options().GetExtension(v1::access);
      MethodPolicy& policy = policies.emplace_back();
      policy.method = GrpcName(method);
      policy.open = access.open();
      policy.signed_in = access.signed_in();
      for (int role : access.roles()) {
        policy.roles.push_back(static_cast<v1::Role>(role));
      }
    }
  }
  return policies;
}

}  // namespace

const std::vector<MethodPolicy>& AllMethodPolicies() {
  static const std::vector<MethodPolicy>* policies =
      new std::vector<MethodPolicy>(ReadPolicies());
  return *policies;
}

const MethodPolicy* FindMethodPolicy(absl::string_view method) {
  for (const MethodPolicy& policy : AllMethodPolicies()) {
    if (policy.method == method) return &policy;
  }
  return nullptr;
}

}  // namespace c1tally
