#include "services/gateway/public_results.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit/sirekap_race.h"
#include "grpcpp/client_context.h"
#include "services/common/grpc_status.h"
#include "storage/listing_page.h"
#include "storage/reference/ballot_form.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

constexpr char kDefaultFormKind[] = "ppwp";
// A TPS rarely has more than a handful of photos; beyond this many the page
// shows the first ones (in hash order).
constexpr int kMaxPhotos = 50;
constexpr char kSubmissionPrefix[] = "submissions/";

std::string OrDefault(const std::string& form_kind) {
  return form_kind.empty() ? kDefaultFormKind : form_kind;
}

PublicPhoto ToPublicPhoto(const v1::Submission& submission) {
  PublicPhoto photo;
  photo.id = submission.name().substr(sizeof(kSubmissionPrefix) - 1);
  photo.state = submission.state();
  photo.create_time = submission.create_time();
  photo.flags.assign(submission.flags().begin(), submission.flags().end());
  const bool settled = submission.state() == v1::Submission::STATE_SETTLED;
  photo.page =
      settled ? submission.settled_page() : submission.reading().page();
  photo.form_kind = OrDefault(settled && !submission.settled_form_kind().empty()
                                  ? submission.settled_form_kind()
                                  : submission.form_kind());
  for (const v1::FieldReading& read : submission.reading().fields()) {
    PublicPhoto::Field& field = photo.fields.emplace_back();
    field.name = read.name();
    // Every field read has its crop (listings leave the bytes out).
    field.has_crop = true;
  }
  // Numbers show once the photo is settled: before, some are not vouched
  // for, and volunteers typing them blind must not find any here (when the
  // operator has every field double-entered, not even the machine's
  // confident ones).
  if (settled) {
    // People may have typed every field of a page the machine could not
    // place; the settled values are the ones that count.
    for (const auto& [name, value] : submission.settled_values()) {
      auto it = std::find_if(photo.fields.begin(), photo.fields.end(),
                             [&](const auto& f) { return f.name == name; });
      PublicPhoto::Field& field =
          it != photo.fields.end() ? *it : photo.fields.emplace_back();
      field.name = name;
      field.value = value;
      auto by = submission.settled_by().find(name);
      if (by != submission.settled_by().end()) field.settled_by = by->second;
    }
  }
  return photo;
}

}  // namespace

PublicResults::PublicResults(v1::TallyService::StubInterface* tally,
                             v1::IngestService::StubInterface* ingest,
                             v1::AuditService::StubInterface* audit)
    : tally_(tally), ingest_(ingest), audit_(audit) {}

absl::StatusOr<v1::FormKind> PublicResults::GetFormKind(
    const std::string& name) const {
  {
    absl::MutexLock lock(&mu_);
    auto it = form_kinds_.find(OrDefault(name));
    if (it != form_kinds_.end()) return it->second;
  }
  grpc::ClientContext context;
  v1::ListFormKindsResponse kinds;
  if (grpc::Status status =
          tally_->ListFormKinds(&context, v1::ListFormKindsRequest(), &kinds);
      !status.ok()) {
    return FromGrpcStatus(status, "listing form kinds");
  }
  // Form kinds are built in: fixed while the server runs.
  absl::MutexLock lock(&mu_);
  for (const v1::FormKind& kind : kinds.form_kinds()) {
    form_kinds_.emplace(kind.name(), kind);
  }
  auto it = form_kinds_.find(OrDefault(name));
  if (it != form_kinds_.end()) return it->second;
  return absl::InvalidArgumentError(
      absl::StrCat("pemilihan \"", OrDefault(name),
                   "\" tidak dikenal (no such race or form kind)"));
}

absl::StatusOr<std::vector<v1::Region>> PublicResults::Ancestors(
    const std::string& code) const {
  std::vector<v1::Region> ancestors;
  std::vector<std::string> codes = {""};
  for (size_t width : {2, 4, 6, 10}) {
    if (code.size() > width) codes.push_back(code.substr(0, width));
  }
  for (const std::string& ancestor : codes) {
    {
      absl::MutexLock lock(&mu_);
      auto it = ancestors_.find(ancestor);
      if (it != ancestors_.end()) {
        ancestors.push_back(it->second);
        continue;
      }
    }
    v1::GetRegionRequest get;
    get.set_code(ancestor);
    grpc::ClientContext context;
    v1::Region region;
    if (grpc::Status status = tally_->GetRegion(&context, get, &region);
        !status.ok()) {
      return FromGrpcStatus(status);
    }
    // Only the name and place in the tree are kept: they do not change
    // while the server runs, and the aggregates do.
    region.clear_aggregate();
    absl::MutexLock lock(&mu_);
    ancestors_.emplace(ancestor, region);
    ancestors.push_back(std::move(region));
  }
  return ancestors;
}

absl::StatusOr<RegionView> PublicResults::GetRegion(
    const std::string& code, const std::string& form_kind, int page_size,
    const std::string& page_token) const {
  RegionView view;
  ASSIGN_OR_RETURN(v1::FormKind kind, GetFormKind(form_kind));
  view.form_kind = std::move(kind);
  v1::GetRegionRequest get;
  get.set_code(code == "0" ? "" : code);
  get.set_form_kind(view.form_kind.name());
  {
    grpc::ClientContext context;
    grpc::Status status = tally_->GetRegion(&context, get, &view.region);
    if (!status.ok()) return FromGrpcStatus(status);
  }
  if (!view.region.code().empty()) {
    absl::StatusOr<std::vector<v1::Region>> ancestors =
        Ancestors(view.region.code());
    if (!ancestors.ok()) return ancestors.status();
    view.ancestors = *std::move(ancestors);
  }
  grpc::ClientContext context;
  grpc::Status status;
  if (view.region.level() == v1::REGION_LEVEL_KELURAHAN) {
    v1::ListTpsRequest list;
    list.set_parent(view.region.code());
    list.set_page_size(page_size);
    list.set_page_token(page_token);
    v1::ListTpsResponse listed;
    status = tally_->ListTps(&context, list, &listed);
    view.tps.assign(listed.tps().begin(), listed.tps().end());
    view.next_page_token = listed.next_page_token();
  } else {
    v1::ListRegionsRequest list;
    list.set_parent(view.region.code());
    list.set_form_kind(view.form_kind.name());
    list.set_page_size(page_size);
    list.set_page_token(page_token);
    v1::ListRegionsResponse listed;
    status = tally_->ListRegions(&context, list, &listed);
    view.children.assign(listed.regions().begin(), listed.regions().end());
    view.next_page_token = listed.next_page_token();
  }
  if (!status.ok()) return FromGrpcStatus(status);
  if (IsLegislativeRace(view.form_kind.name())) {
    RETURN_IF_ERROR(AddLegislative(&view));
  }
  return view;
}

absl::Status PublicResults::AddLegislative(RegionView* view) const {
  const std::string& race = view->form_kind.name();
  ASSIGN_OR_RETURN(view->parties, Parties());
  // The nation lies in every dapil: its page links to their list instead.
  if (view->region.code().empty()) return absl::OkStatus();
  v1::ListDapilRequest list;
  list.set_race(race);
  list.set_region(view->region.code());
  list.set_page_size(kMaxPageSize);
  v1::ListDapilResponse listed;
  {
    grpc::ClientContext context;
    grpc::Status status = tally_->ListDapil(&context, list, &listed);
    if (!status.ok()) return FromGrpcStatus(status);
  }
  view->dapil.assign(listed.dapil().begin(), listed.dapil().end());
  if (race == "pdpd" && !view->dapil.empty()) {
    // A DPD dapil is the province: its ballot names the candidates.
    ASSIGN_OR_RETURN(v1::Dapil province,
                     GetDapil(race, view->dapil.front().code()));
    view->dpd_ballot = province.ballot();
  }
  return absl::OkStatus();
}

absl::StatusOr<TpsView> PublicResults::GetTps(
    const std::string& code, const std::string& form_kind) const {
  TpsView view;
  ASSIGN_OR_RETURN(v1::FormKind kind, GetFormKind(form_kind));
  view.form_kind = std::move(kind);
  v1::GetTpsRequest get;
  get.set_code(code);
  {
    grpc::ClientContext context;
    grpc::Status status = tally_->GetTps(&context, get, &view.tps);
    if (!status.ok()) return FromGrpcStatus(status);
  }
  absl::StatusOr<std::vector<v1::Region>> ancestors = Ancestors(code);
  if (!ancestors.ok()) return ancestors.status();
  view.ancestors = *std::move(ancestors);
  if (IsLegislativeRace(view.form_kind.name())) {
    RETURN_IF_ERROR(AddTpsDapil(&view));
  }
  v1::ListJournalEntriesRequest list;
  list.set_tps_code(code);
  list.set_page_size(100);
  v1::ListJournalEntriesResponse journal;
  grpc::ClientContext context;
  if (grpc::Status status =
          tally_->ListJournalEntries(&context, list, &journal);
      !status.ok()) {
    return FromGrpcStatus(status);
  }
  view.journal.assign(journal.entries().begin(), journal.entries().end());
  view.photos = Photos(code);
  view.sirekap = Sirekap(code, view.form_kind.name());
  return view;
}

absl::Status PublicResults::AddTpsDapil(TpsView* view) const {
  const std::string& race = view->form_kind.name();
  std::string dapil;
  for (const v1::TpsResult& result : view->tps.results()) {
    if (result.form_kind() == race) dapil = result.dapil();
  }
  if (dapil.empty()) {
    v1::ListDapilRequest list;
    list.set_race(race);
    list.set_region(view->tps.code());
    v1::ListDapilResponse listed;
    grpc::ClientContext context;
    grpc::Status status = tally_->ListDapil(&context, list, &listed);
    if (!status.ok()) return FromGrpcStatus(status);
    if (listed.dapil().empty()) return absl::OkStatus();
    dapil = listed.dapil(0).code();
  }
  ASSIGN_OR_RETURN(view->dapil, GetDapil(race, dapil));
  if (!view->dapil->has_ballot()) return absl::OkStatus();
  std::map<int32_t, v1::Party> parties;
  for (const v1::Party& party : view->dapil->parties()) {
    parties[party.id()] = party;
  }
  ASSIGN_OR_RETURN(
      view->form_kind,
      BallotFormKind(view->form_kind, view->dapil->ballot(), parties));
  return absl::OkStatus();
}

std::vector<PublicPhoto> PublicResults::Photos(const std::string& tps) const {
  std::vector<PublicPhoto> photos;
  if (ingest_ == nullptr) return photos;
  v1::ListPublicSubmissionsRequest list;
  list.set_tps_code(tps);
  list.set_page_size(kMaxPhotos);
  v1::ListPublicSubmissionsResponse listed;
  grpc::ClientContext context;
  // A TPS page without photos is still worth showing; a read error here
  // leaves the list empty rather than failing the page.
  if (!ingest_->ListPublicSubmissions(&context, list, &listed).ok()) {
    return photos;
  }
  for (const v1::Submission& submission : listed.submissions()) {
    photos.push_back(ToPublicPhoto(submission));
  }
  return photos;
}

std::optional<SirekapNumbers> PublicResults::Sirekap(
    const std::string& tps, const std::string& form_kind) const {
  const SirekapRace* race = FindSirekapRaceForFormKind(form_kind);
  if (audit_ == nullptr || race == nullptr) return std::nullopt;
  v1::ListSirekapRecordsRequest list;
  list.set_code(tps);
  list.set_race(race->name);
  list.set_page_size(1);  // newest first
  v1::ListSirekapRecordsResponse listed;
  grpc::ClientContext context;
  if (!audit_->ListSirekapRecords(&context, list, &listed).ok() ||
      listed.records().empty()) {
    return std::nullopt;
  }
  const v1::SirekapRecord& record = listed.records(0);
  SirekapNumbers numbers;
  numbers.sirekap_time = record.sirekap_time();
  numbers.fetch_time = record.fetch_time();
  for (const auto& [id, votes] : record.chart()) {
    std::string field = race->FieldOf(id);
    if (!field.empty()) numbers.values[field] = votes;
  }
  for (const auto& [name, value] : record.administrasi()) {
    numbers.values.emplace(name, value);
  }
  for (const std::string& url : record.image_urls()) {
    if (!url.empty()) numbers.image_urls.push_back(url);
  }
  return numbers;
}

absl::StatusOr<v1::Submission> PublicResults::PublicSubmission(
    const std::string& id) const {
  if (ingest_ == nullptr) {
    return absl::NotFoundError("photos are not served here");
  }
  v1::GetSubmissionRequest get;
  get.set_name(absl::StrCat(kSubmissionPrefix, id));
  v1::Submission submission;
  grpc::ClientContext context;
  if (grpc::Status status =
          ingest_->GetPublicSubmission(&context, get, &submission);
      !status.ok()) {
    return FromGrpcStatus(status);
  }
  return submission;
}

absl::StatusOr<PublicResults::Image> PublicResults::GetPhoto(
    const std::string& id) const {
  if (ingest_ == nullptr) {
    return absl::NotFoundError("photos are not served here");
  }
  v1::GetSubmissionPhotoRequest get;
  get.set_name(absl::StrCat(kSubmissionPrefix, id));
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderInterface<v1::SubmissionPhotoChunk>>
      reader = ingest_->GetSubmissionPhoto(&context, get);
  Image image;
  v1::SubmissionPhotoChunk chunk;
  while (reader->Read(&chunk)) {
    if (chunk.offset() == 0) {
      image.format = chunk.image_format();
      image.bytes.reserve(static_cast<size_t>(chunk.size_bytes()));
    }
    if (chunk.offset() != static_cast<int64_t>(image.bytes.size())) {
      context.TryCancel();
      reader->Finish().ok();
      return absl::InternalError(
          absl::StrCat("photo \"", id, "\" came out of order"));
    }
    image.bytes.append(chunk.data());
  }
  if (grpc::Status status = reader->Finish(); !status.ok()) {
    return FromGrpcStatus(status);
  }
  return image;
}

absl::StatusOr<PublicResults::Image> PublicResults::GetFieldCrop(
    const std::string& id, const std::string& field) const {
  ASSIGN_OR_RETURN(v1::Submission submission, PublicSubmission(id));
  for (const v1::FieldReading& read : submission.reading().fields()) {
    if (read.name() == field && !read.crop_png().empty()) {
      return Image{read.crop_png(), "png"};
    }
  }
  return absl::NotFoundError(
      absl::StrCat("photo \"", id, "\" has no crop of \"", field, "\""));
}

absl::StatusOr<v1::Dapil> PublicResults::GetDapil(
    const std::string& race, const std::string& code) const {
  v1::GetDapilRequest request;
  request.set_race(race);
  request.set_code(code);
  v1::Dapil dapil;
  grpc::ClientContext context;
  if (grpc::Status status = tally_->GetDapil(&context, request, &dapil);
      !status.ok()) {
    return FromGrpcStatus(status);
  }
  return dapil;
}

absl::StatusOr<v1::ListDapilResponse> PublicResults::ListDapil(
    const std::string& race, int page_size,
    const std::string& page_token) const {
  v1::ListDapilRequest request;
  request.set_race(race);
  request.set_page_size(page_size);
  request.set_page_token(page_token);
  v1::ListDapilResponse response;
  grpc::ClientContext context;
  if (grpc::Status status = tally_->ListDapil(&context, request, &response);
      !status.ok()) {
    return FromGrpcStatus(status);
  }
  return response;
}

absl::StatusOr<std::vector<v1::Party>> PublicResults::Parties() const {
  {
    absl::MutexLock lock(&mu_);
    if (parties_) return *parties_;
  }
  v1::ListPartiesResponse listed;
  grpc::ClientContext context;
  if (grpc::Status status =
          tally_->ListParties(&context, v1::ListPartiesRequest(), &listed);
      !status.ok()) {
    return FromGrpcStatus(status, "listing parties");
  }
  std::vector<v1::Party> parties(listed.parties().begin(),
                                 listed.parties().end());
  absl::MutexLock lock(&mu_);
  parties_ = parties;
  return parties;
}

absl::StatusOr<std::vector<v1::Place>> PublicResults::Search(
    const std::string& query) const {
  v1::SearchPlacesRequest search;
  search.set_query(query);
  v1::SearchPlacesResponse found;
  grpc::ClientContext context;
  if (grpc::Status status = tally_->SearchPlaces(&context, search, &found);
      !status.ok()) {
    return FromGrpcStatus(status);
  }
  return std::vector<v1::Place>(found.places().begin(), found.places().end());
}

}  // namespace c1tally
