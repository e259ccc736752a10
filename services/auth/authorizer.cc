#include "services/auth/authorizer.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/auth/method_policy.h"

namespace c1tally {
namespace {

// The bearer token of the call; "" when there is no authorization header.
absl::StatusOr<std::string> BearerToken(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(Authorizer::kMetadataKey);
  if (found == metadata.end()) return std::string();
  absl::string_view value(found->second.data(), found->second.size());
  if (!absl::ConsumePrefix(&value, Authorizer::kBearerPrefix) ||
      value.empty()) {
    return absl::UnauthenticatedError(
        "malformed authorization header; send \"authorization: Bearer "
        "TOKEN\"");
  }
  return std::string(value);
}

}  // namespace

bool Authorizer::HasRole(const v1::User& user, v1::Role role) {
  return std::find(user.roles().begin(), user.roles().end(), role) !=
         user.roles().end();
}

absl::StatusOr<v1::User> Authorizer::Authorize(
    const grpc::ServerContext& context, absl::string_view method) const {
  const MethodPolicy* policy = FindMethodPolicy(method);
  if (policy == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(method, " has no access policy; refused to everyone"));
  }
  absl::StatusOr<std::string> token = BearerToken(context);
  if (!token.ok()) return token.status();
  if (policy->open && token->empty()) return v1::User();
  if (token->empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        method,
        " needs a token: send \"authorization: Bearer TOKEN\" (get "
        "one with c1ctl login)"));
  }
  absl::StatusOr<v1::User> user = users_->Authenticate(*token);
  if (!user.ok() || policy->open || policy->signed_in) return user;
  for (v1::Role role : policy->roles) {
    if (HasRole(*user, role)) return user;
  }
  std::string allowed;
  for (v1::Role role : policy->roles) {
    absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", v1::Role_Name(role));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("user \"", user->name(), "\" may not call ", method,
                   " (needs one of: ", allowed, ")"));
}

}  // namespace c1tally
