#include "services/tally/tally_service.h"

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "storage/scoped_snapshot.h"

namespace c1tally {
namespace {

// The writes; who may call them is each RPC's (access) option.
constexpr char kUpdateTpsResult[] = "/c1tally.v1.TallyService/UpdateTpsResult";
constexpr char kBatchUpdateTpsResults[] =
    "/c1tally.v1.TallyService/BatchUpdateTpsResults";
constexpr char kDeleteTpsResult[] = "/c1tally.v1.TallyService/DeleteTpsResult";

std::string FormKindOrDefault(const std::string& form_kind) {
  return form_kind.empty() ? TallyServiceImpl::kDefaultFormKind : form_kind;
}

}  // namespace

grpc::Status TallyServiceImpl::GetRegion(grpc::ServerContext*,
                                         const v1::GetRegionRequest* request,
                                         v1::Region* response) {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(request->code());
  if (!code.ok()) return ToGrpcStatus(code.status());
  ScopedSnapshot snapshot(store_->database());
  absl::StatusOr<v1::Region> region = store_->GetRegion(
      *code, FormKindOrDefault(request->form_kind()), snapshot.get());
  if (!region.ok()) return ToGrpcStatus(region.status());
  *response = *std::move(region);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::ListRegions(
    grpc::ServerContext*, const v1::ListRegionsRequest* request,
    v1::ListRegionsResponse* response) {
  absl::StatusOr<RegionCode> parent = RegionCode::Parse(request->parent());
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  if (parent->level() == v1::REGION_LEVEL_KELURAHAN || parent->is_tps()) {
    return ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "\"", parent->str(), "\" is a ", RegionCode::LevelName(parent->level()),
        "; the places below a kelurahan are TPS: use ListTps")));
  }
  const std::string form_kind = FormKindOrDefault(request->form_kind());
  ScopedSnapshot snapshot(store_->database());
  // The parent must exist, so that a wrong code is NOT_FOUND rather than an
  // empty list.
  if (absl::StatusOr<v1::Region> region =
          store_->GetRegion(*parent, form_kind, snapshot.get());
      !region.ok()) {
    return ToGrpcStatus(region.status());
  }
  absl::StatusOr<Page<std::string>> page = store_->tree().ListChildren(
      *parent, request->page_size(), request->page_token(), snapshot.get());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const std::string& child : page->items) {
    absl::StatusOr<v1::Region> region =
        store_->GetRegion(*RegionCode::Parse(child), form_kind, snapshot.get());
    if (!region.ok()) return ToGrpcStatus(region.status());
    *response->add_regions() = *std::move(region);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::GetTps(grpc::ServerContext*,
                                      const v1::GetTpsRequest* request,
                                      v1::Tps* response) {
  absl::StatusOr<RegionCode> code =
      RegionCode::ParseAt(request->code(), v1::REGION_LEVEL_TPS);
  if (!code.ok()) return ToGrpcStatus(code.status());
  absl::StatusOr<v1::Tps> tps = store_->GetTps(*code);
  if (!tps.ok()) return ToGrpcStatus(tps.status());
  *response = *std::move(tps);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::ListTps(grpc::ServerContext*,
                                       const v1::ListTpsRequest* request,
                                       v1::ListTpsResponse* response) {
  absl::StatusOr<RegionCode> parent = RegionCode::Parse(request->parent());
  if (!parent.ok()) return ToGrpcStatus(parent.status());
  ScopedSnapshot snapshot(store_->database());
  if (!parent->is_tps()) {
    if (absl::StatusOr<v1::Region> region =
            store_->tree().GetRegion(*parent, snapshot.get());
        !region.ok()) {
      return ToGrpcStatus(region.status());
    }
  }
  absl::StatusOr<Page<v1::Tps>> page = store_->tree().ListTps(
      *parent, request->page_size(), request->page_token(), snapshot.get());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Tps& tps : page->items) {
    absl::StatusOr<v1::Tps> full =
        store_->GetTps(*RegionCode::Parse(tps.code()), snapshot.get());
    if (!full.ok()) return ToGrpcStatus(full.status());
    *response->add_tps() = *std::move(full);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::ListFormKinds(
    grpc::ServerContext*, const v1::ListFormKindsRequest*,
    v1::ListFormKindsResponse* response) {
  for (const auto& [name, kind] : store_->kinds().all()) {
    *response->add_form_kinds() = kind;
  }
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::GetDapil(grpc::ServerContext*,
                                        const v1::GetDapilRequest* request,
                                        v1::Dapil* response) {
  ScopedSnapshot snapshot(store_->database());
  absl::StatusOr<v1::Dapil> dapil =
      store_->GetDapil(request->race(), request->code(), snapshot.get());
  if (!dapil.ok()) return ToGrpcStatus(dapil.status());
  *response = *std::move(dapil);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::ListDapil(grpc::ServerContext*,
                                         const v1::ListDapilRequest* request,
                                         v1::ListDapilResponse* response) {
  absl::StatusOr<RegionCode> region = RegionCode::Parse(request->region());
  if (!region.ok()) return ToGrpcStatus(region.status());
  ScopedSnapshot snapshot(store_->database());
  absl::StatusOr<Page<v1::Dapil>> page =
      store_->ListDapil(request->race(), *region, request->page_size(),
                        request->page_token(), snapshot.get());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::Dapil& dapil : page->items) {
    *response->add_dapil() = std::move(dapil);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::ListParties(grpc::ServerContext*,
                                           const v1::ListPartiesRequest*,
                                           v1::ListPartiesResponse* response) {
  absl::StatusOr<std::vector<v1::Party>> parties =
      store_->forms().reference().ListParties();
  if (!parties.ok()) return ToGrpcStatus(parties.status());
  for (v1::Party& party : *parties) {
    *response->add_parties() = std::move(party);
  }
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::SearchPlaces(
    grpc::ServerContext*, const v1::SearchPlacesRequest* request,
    v1::SearchPlacesResponse* response) {
  absl::StatusOr<std::vector<v1::Place>> places =
      search_.Find(request->query());
  if (!places.ok()) return ToGrpcStatus(places.status());
  for (v1::Place& place : *places) {
    *response->add_places() = std::move(place);
  }
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::UpdateTpsResult(
    grpc::ServerContext* context, const v1::UpdateTpsResultRequest* request,
    v1::UpdateTpsResultResponse* response) {
  if (absl::Status allowed =
          authorizer_->Authorize(*context, kUpdateTpsResult).status();
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<TallyStore::Outcome> outcome =
      store_->SetResults({request->result()});
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  *response->mutable_result() = std::move(outcome->stored.front());
  response->set_changed(outcome->changed > 0);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::BatchUpdateTpsResults(
    grpc::ServerContext* context,
    const v1::BatchUpdateTpsResultsRequest* request,
    v1::BatchUpdateTpsResultsResponse* response) {
  if (absl::Status allowed =
          authorizer_->Authorize(*context, kBatchUpdateTpsResults).status();
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  std::vector<v1::TpsResult> results;
  results.reserve(request->requests_size());
  for (const v1::UpdateTpsResultRequest& update : request->requests()) {
    results.push_back(update.result());
  }
  absl::StatusOr<TallyStore::Outcome> outcome =
      store_->SetResults(std::move(results));
  if (!outcome.ok()) return ToGrpcStatus(outcome.status());
  response->set_changed_count(outcome->changed);
  response->set_journal_sequence(outcome->journal_sequence);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::DeleteTpsResult(
    grpc::ServerContext* context, const v1::DeleteTpsResultRequest* request,
    v1::DeleteTpsResultResponse* response) {
  if (absl::Status allowed =
          authorizer_->Authorize(*context, kDeleteTpsResult).status();
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<uint64_t> sequence = store_->ClearResult(
      request->tps_code(), FormKindOrDefault(request->form_kind()),
      request->reason());
  if (!sequence.ok()) return ToGrpcStatus(sequence.status());
  response->set_journal_sequence(*sequence);
  return grpc::Status::OK;
}

grpc::Status TallyServiceImpl::ListJournalEntries(
    grpc::ServerContext*, const v1::ListJournalEntriesRequest* request,
    v1::ListJournalEntriesResponse* response) {
  if (!request->tps_code().empty()) {
    absl::StatusOr<RegionCode> code =
        RegionCode::ParseAt(request->tps_code(), v1::REGION_LEVEL_TPS);
    if (!code.ok()) return ToGrpcStatus(code.status());
  }
  absl::StatusOr<Page<v1::JournalEntry>> page = store_->ListJournal(
      request->tps_code(), request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::JournalEntry& entry : page->items) {
    *response->add_entries() = std::move(entry);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace c1tally
