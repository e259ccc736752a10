#include "services/gateway/volunteer_api.h"

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "services/common/grpc_status.h"
#include "services/gateway/json_response.h"
#include "services/gateway/web_session.h"
#include "services/ingest/upload_client.h"

namespace c1tally {
namespace {

constexpr char kSession[] = "/api/v1/session";
constexpr char kClaim[] = "/api/v1/reviewTasks:claim";
constexpr char kSkip[] = "/api/v1/reviewTasks:skip";
constexpr char kResolve[] = "/api/v1/reviewTasks:resolve";
constexpr char kTasks[] = "/api/v1/reviewTasks";
constexpr char kEntries[] = "/api/v1/reviewEntries";
constexpr char kStats[] = "/api/v1/volunteerStats";
constexpr char kSubmissions[] = "/api/v1/submissions";

// A context for a call on the user's behalf.
std::unique_ptr<grpc::ClientContext> CallerContext(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  AddBearerToken(token, context.get());
  return context;
}

// The user holding `token`, as the auth service says. UNAUTHENTICATED for
// no token.
absl::StatusOr<v1::User> CurrentUser(v1::AuthService::StubInterface* auth,
                                     const std::string& token) {
  if (token.empty()) return absl::UnauthenticatedError("no session");
  std::unique_ptr<grpc::ClientContext> context = CallerContext(token);
  v1::User user;
  if (grpc::Status status = auth->GetCurrentUser(
          context.get(), v1::GetCurrentUserRequest(), &user);
      !status.ok()) {
    return FromGrpcStatus(status);
  }
  return user;
}

// Parses a JSON body into `message`; a clear 400 when it is not one.
absl::Status ParseBody(const HttpRequest& request,
                       google::protobuf::Message* message) {
  if (request.body.empty()) return absl::OkStatus();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(request.body,
                                                            message, options);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the request body is not a valid ", message->GetTypeName(),
        " (numbers must be digits): ", parsed.message().as_string()));
  }
  return absl::OkStatus();
}

HttpResponse JsonOf(const google::protobuf::Message& message) {
  HttpResponse response;
  response.body = ProtoToJson(message);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse Answer(const grpc::Status& status,
                    const google::protobuf::Message& message) {
  if (!status.ok()) return GrpcErrorResponse(status);
  return JsonOf(message);
}

// What a user's own submission shows: the reading without its images
// (the page needs the numbers, not megabytes of crops).
v1::Submission WithoutImages(v1::Submission submission) {
  for (v1::FieldReading& field :
       *submission.mutable_reading()->mutable_fields()) {
    field.clear_crop_png();
    field.clear_box_png();
  }
  return submission;
}

std::string RolesJson(const v1::User& user) {
  std::vector<std::string> roles;
  for (int role : user.roles()) {
    roles.push_back(
        absl::StrCat("\"", v1::Role_Name(static_cast<v1::Role>(role)), "\""));
  }
  return absl::StrCat("[", absl::StrJoin(roles, ","), "]");
}

HttpResponse SessionJson(const v1::User& user, const std::string& token) {
  HttpResponse response;
  response.body = absl::StrCat(
      R"({"user":)", JsonString(user.name()), R"(,"roles":)", RolesJson(user),
      R"(,"csrf_token":)", JsonString(CsrfTokenFor(token)), "}");
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

VolunteerApi::VolunteerApi(Backends backends, Options options)
    : backends_(backends), options_(options), per_user_(options.per_user) {}

bool VolunteerApi::Serves(const std::string& path) {
  return path == kSession || absl::StartsWith(path, kTasks) ||
         path == kEntries || path == kStats || path == kSubmissions ||
         absl::StartsWith(path, absl::StrCat(kSubmissions, "/"));
}

size_t VolunteerApi::BodyLimit(const std::string& method,
                               const std::string& path) {
  if (method == "POST" && path == kSubmissions) return kMaxPhotoBytes;
  return HttpServer::kMaxBodyBytes;
}

HttpResponse VolunteerApi::Handle(const HttpRequest& request) {
  if (request.path == kSession) return Session(request);
  const std::string token = SessionToken(request);
  absl::StatusOr<v1::User> user = CurrentUser(backends_.auth, token);
  if (!user.ok()) {
    return ErrorResponse(401, "silakan masuk dulu (sign in first)");
  }
  if (request.method != "GET") {
    if (absl::Status csrf = CheckCsrf(request); !csrf.ok()) {
      return StatusErrorResponse(csrf);
    }
  }
  if (!per_user_.Allow(user->name())) {
    return ErrorResponse(429, "terlalu cepat; tunggu sebentar (slow down)");
  }
  if (absl::StartsWith(request.path, kSubmissions)) {
    return Submissions(request, token);
  }
  return Review(request, token);
}

HttpResponse VolunteerApi::Session(const HttpRequest& request) {
  if (request.method == "POST") return SignIn(request);
  const std::string token = SessionToken(request);
  if (request.method == "DELETE") {
    if (absl::Status csrf = CheckCsrf(request); !csrf.ok()) {
      return StatusErrorResponse(csrf);
    }
    HttpResponse response;
    response.body = "{}";
    response.headers.emplace_back(
        "Set-Cookie", ExpiredSessionCookie(options_.secure_cookies));
    return response;
  }
  if (request.method != "GET") return ErrorResponse(405, "GET, POST, DELETE");
  absl::StatusOr<v1::User> user = CurrentUser(backends_.auth, token);
  if (!user.ok()) return ErrorResponse(401, "belum masuk (not signed in)");
  return SessionJson(*user, token);
}

HttpResponse VolunteerApi::SignIn(const HttpRequest& request) {
  if (absl::Status origin = CheckOrigin(request); !origin.ok()) {
    return StatusErrorResponse(origin);
  }
  v1::CreateTokenRequest create;
  if (absl::Status parsed = ParseBody(request, &create); !parsed.ok()) {
    return StatusErrorResponse(parsed);
  }
  create.set_ttl_seconds(absl::ToInt64Seconds(options_.session_ttl));
  v1::CreateTokenResponse created;
  grpc::ClientContext context;
  grpc::Status status = backends_.auth->CreateToken(&context, create, &created);
  if (!status.ok()) return GrpcErrorResponse(status);
  absl::StatusOr<v1::User> user = CurrentUser(backends_.auth, created.token());
  if (!user.ok()) return StatusErrorResponse(user.status());
  HttpResponse response = SessionJson(*user, created.token());
  response.headers.emplace_back(
      "Set-Cookie", SessionCookie(created.token(), options_.session_ttl,
                                  options_.secure_cookies));
  return response;
}

HttpResponse VolunteerApi::Review(const HttpRequest& request,
                                  const std::string& token) {
  v1::ReviewService::StubInterface* review = backends_.review;
  if (review == nullptr) {
    return ErrorResponse(503, "the review service does not run here");
  }
  const bool post = request.method == "POST";
  if (post && request.path == kClaim) {
    v1::ReviewTask task;
    return Answer(review->ClaimReviewTask(CallerContext(token).get(),
                                          v1::ClaimReviewTaskRequest(), &task),
                  task);
  }
  if (post && request.path == kSkip) {
    v1::SkipReviewTaskRequest skip;
    if (absl::Status ok = ParseBody(request, &skip); !ok.ok()) {
      return StatusErrorResponse(ok);
    }
    v1::SkipReviewTaskResponse skipped;
    return Answer(
        review->SkipReviewTask(CallerContext(token).get(), skip, &skipped),
        skipped);
  }
  if (post && request.path == kEntries) {
    v1::CreateReviewEntryRequest create;
    if (absl::Status ok = ParseBody(request, &create); !ok.ok()) {
      return StatusErrorResponse(ok);
    }
    v1::ReviewEntry entry;
    return Answer(
        review->CreateReviewEntry(CallerContext(token).get(), create, &entry),
        entry);
  }
  if (post && request.path == kResolve) {
    v1::ResolveReviewTaskRequest resolve;
    if (absl::Status ok = ParseBody(request, &resolve); !ok.ok()) {
      return StatusErrorResponse(ok);
    }
    v1::ReviewTask task;
    return Answer(
        review->ResolveReviewTask(CallerContext(token).get(), resolve, &task),
        task);
  }
  if (request.method == "GET" && request.path == kTasks) {
    v1::ListReviewTasksRequest list;
    list.set_filter(QueryParam(request, "filter"));
    list.set_page_size(PageSizeParam(request));
    list.set_page_token(QueryParam(request, "page_token"));
    v1::ListReviewTasksResponse listed;
    return Answer(
        review->ListReviewTasks(CallerContext(token).get(), list, &listed),
        listed);
  }
  if (request.method == "GET" &&
      absl::StartsWith(request.path, absl::StrCat(kTasks, "/"))) {
    v1::GetReviewTaskRequest get;
    get.set_name(
        absl::StrCat("reviewTasks/", request.path.substr(sizeof(kTasks))));
    v1::ReviewTask task;
    return Answer(review->GetReviewTask(CallerContext(token).get(), get, &task),
                  task);
  }
  if (request.method == "GET" && request.path == kStats) {
    v1::VolunteerStats stats;
    return Answer(
        review->GetVolunteerStats(CallerContext(token).get(),
                                  v1::GetVolunteerStatsRequest(), &stats),
        stats);
  }
  return ErrorResponse(
      404, absl::StrCat("no such route: ", request.method, " ", request.path));
}

HttpResponse VolunteerApi::Submissions(const HttpRequest& request,
                                       const std::string& token) {
  v1::IngestService::StubInterface* ingest = backends_.ingest;
  if (ingest == nullptr) {
    return ErrorResponse(503, "the ingest service does not run here");
  }
  if (request.method == "POST" && request.path == kSubmissions) {
    if (request.body.empty()) {
      return ErrorResponse(400, "no photo in the request body");
    }
    absl::StatusOr<v1::Submission> submission =
        UploadPhoto(ingest, token, QueryParam(request, "tps_code"),
                    request.body, QueryParam(request, "form_kind"));
    if (!submission.ok()) return StatusErrorResponse(submission.status());
    return JsonOf(WithoutImages(*std::move(submission)));
  }
  if (request.method != "GET") return ErrorResponse(405, "GET or POST");
  if (request.path == kSubmissions) {
    v1::ListSubmissionsRequest list;
    list.set_page_size(PageSizeParam(request));
    list.set_page_token(QueryParam(request, "page_token"));
    v1::ListSubmissionsResponse listed;
    return Answer(
        ingest->ListSubmissions(CallerContext(token).get(), list, &listed),
        listed);
  }
  v1::GetSubmissionRequest get;
  // The route's id is the resource name's: /api/v1/submissions/{id}.
  get.set_name(
      absl::StrCat("submissions/", request.path.substr(sizeof(kSubmissions))));
  v1::Submission submission;
  grpc::Status status =
      ingest->GetSubmission(CallerContext(token).get(), get, &submission);
  if (!status.ok()) return GrpcErrorResponse(status);
  return JsonOf(WithoutImages(std::move(submission)));
}

}  // namespace c1tally
