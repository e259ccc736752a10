#include "services/audit/audit_service.h"

#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "audit/sirekap_comparison.h"
#include "audit/sirekap_importer.h"
#include "google/protobuf/util/time_util.h"
#include "services/common/grpc_status.h"
#include "storage/listing_page.h"
#include "storage/region_tree.h"
#include "storage/scoped_snapshot.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

std::string OrDefault(const std::string& name) {
  return name.empty() ? AuditServiceImpl::kDefaultFormKind : name;
}

// The comparison a request asks for and the form kind it used.
struct Compared {
  const v1::FormKind* kind = nullptr;
  SirekapComparison comparison;
};

// Compares below `region_code` reading `snapshot`, so that the TPS a caller
// describes afterwards come from the same data.
absl::StatusOr<Compared> Compare(Database* db, const SirekapStore& store,
                                 const FormKinds& kinds,
                                 const std::string& region_code,
                                 const std::string& form_kind,
                                 const rocksdb::Snapshot* snapshot) {
  ASSIGN_OR_RETURN(RegionCode region, RegionCode::Parse(region_code));
  absl::StatusOr<const v1::FormKind*> kind = kinds.Find(OrDefault(form_kind));
  if (!kind.ok()) return kind.status();
  ASSIGN_OR_RETURN(SirekapComparison comparison,
                   CompareWithSirekap(db, store, **kind, region, snapshot));
  return Compared{*kind, std::move(comparison)};
}

}  // namespace

grpc::Status AuditServiceImpl::ImportSirekapRecords(
    grpc::ServerContext* context,
    const v1::ImportSirekapRecordsRequest* request,
    v1::ImportSirekapRecordsResponse* response) {
  if (absl::Status allowed =
          authorizer_
              ->Authorize(*context,
                          "/c1tally.v1.AuditService/ImportSirekapRecords")
              .status();
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  if (request->files_size() > kMaxImportFiles) {
    return ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat(request->files_size(), " files in one call; at most ",
                     kMaxImportFiles)));
  }
  absl::Time fetch_time = absl::Now();
  if (request->has_fetch_time()) {
    const auto& time = request->fetch_time();
    if (time.seconds() < 0 || time.seconds() > TimeUtil::kTimestampMaxSeconds ||
        time.nanos() < 0 || time.nanos() > 999999999) {
      return ToGrpcStatus(
          absl::InvalidArgumentError("fetch_time is not a valid time"));
    }
    fetch_time = absl::FromUnixMicros(
        TimeUtil::TimestampToMicroseconds(request->fetch_time()));
  }
  SirekapImporter importer(store_, fetch_time, kDefaultFormKind);
  for (const v1::SirekapFile& file : request->files()) {
    if (absl::Status added = importer.AddText(file.path(), file.json());
        !added.ok()) {
      return ToGrpcStatus(added);
    }
  }
  absl::StatusOr<SirekapImportReport> report = importer.Finish();
  if (!report.ok()) return ToGrpcStatus(report.status());
  response->set_imported_count(static_cast<int32_t>(report->imported));
  response->set_unchanged_count(static_cast<int32_t>(report->unchanged));
  for (const auto& [path, reason] : report->rejected) {
    auto* rejection = response->add_rejections();
    rejection->set_path(path);
    rejection->set_reason(reason);
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListSirekapRecords(
    grpc::ServerContext*, const v1::ListSirekapRecordsRequest* request,
    v1::ListSirekapRecordsResponse* response) {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(request->code());
  if (!code.ok()) return ToGrpcStatus(code.status());
  absl::StatusOr<Page<v1::SirekapRecord>> page =
      store_->History(OrDefault(request->race()), *code, request->page_size(),
                      request->page_token());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (v1::SirekapRecord& record : page->items) {
    *response->add_records() = std::move(record);
  }
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListDiscrepancies(
    grpc::ServerContext*, const v1::ListDiscrepanciesRequest* request,
    v1::ListDiscrepanciesResponse* response) {
  // A token holds the index of the next discrepancy in the comparison.
  const std::string listing = absl::StrCat(
      "discrepancies/", request->form_kind(), "/", request->region());
  absl::StatusOr<std::string> position =
      DecodePageToken(listing, request->page_token());
  if (!position.ok()) return ToGrpcStatus(position.status());
  size_t offset = 0;
  if (!position->empty() && !absl::SimpleAtoi(*position, &offset)) {
    return ToGrpcStatus(absl::InvalidArgumentError("malformed page token"));
  }
  ScopedSnapshot snapshot(db_);
  absl::StatusOr<Compared> compared =
      Compare(db_, *store_, *kinds_, request->region(), request->form_kind(),
              snapshot.get());
  if (!compared.ok()) return ToGrpcStatus(compared.status());
  const SirekapComparison* comparison = &compared->comparison;
  const size_t size = ClampPageSize(request->page_size());
  const size_t end = std::min(comparison->tps.size(), offset + size);
  for (size_t i = offset; i < end; ++i) {
    absl::StatusOr<v1::TpsDiscrepancy> tps = DescribeTpsDiscrepancy(
        db_, *store_, *compared->kind,
        *RegionCode::Parse(comparison->tps[i].tps_code), snapshot.get());
    if (!tps.ok()) return ToGrpcStatus(tps.status());
    *response->add_discrepancies() = *std::move(tps);
  }
  if (end < comparison->tps.size()) {
    response->set_next_page_token(EncodePageToken(listing, absl::StrCat(end)));
  }
  response->set_total_tps(comparison->tps_seen);
  response->set_discrepant_tps(static_cast<int64_t>(comparison->tps.size()));
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListRegionDiscrepancies(
    grpc::ServerContext*, const v1::ListRegionDiscrepanciesRequest* request,
    v1::ListRegionDiscrepanciesResponse* response) {
  ScopedSnapshot snapshot(db_);
  absl::StatusOr<Compared> compared =
      Compare(db_, *store_, *kinds_, request->region(), request->form_kind(),
              snapshot.get());
  if (!compared.ok()) return ToGrpcStatus(compared.status());
  *response->mutable_total() = std::move(compared->comparison.total);
  for (v1::RegionDiscrepancy& child : compared->comparison.children) {
    *response->add_children() = std::move(child);
  }
  return grpc::Status::OK;
}

}  // namespace c1tally
