// AuditServiceImpl: the c1tally.v1.AuditService over a SirekapStore and the
// verified results: Sirekap imports with history, and the discrepancies
// between the two sources.
//
// ListDiscrepancies compares the whole region on every call (one RocksDB
// snapshot) and pages through the ranked list by offset, so a page token is
// good for the data as it was; after new imports a later page may repeat
// or skip a TPS. The database, store and form kinds must outlive the
// service.
#ifndef C1TALLY_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define C1TALLY_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include "audit/sirekap_store.h"
#include "c1tally/v1/audit.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "storage/database.h"
#include "storage/form_kind.h"

namespace c1tally {

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  // The race and form kind used when a request names none.
  static constexpr char kDefaultFormKind[] = "ppwp";
  // Most files one ImportSirekapRecords call takes.
  static constexpr int kMaxImportFiles = 10000;

  // Imports are checked by `authorizer` (the (access) option of each RPC);
  // it must outlive the service.
  AuditServiceImpl(Database* db, SirekapStore* store, const FormKinds* kinds,
                   const Authorizer* authorizer)
      : db_(db), store_(store), kinds_(kinds), authorizer_(authorizer) {}

  grpc::Status ImportSirekapRecords(
      grpc::ServerContext* context,
      const v1::ImportSirekapRecordsRequest* request,
      v1::ImportSirekapRecordsResponse* response) override;
  grpc::Status ListSirekapRecords(
      grpc::ServerContext* context,
      const v1::ListSirekapRecordsRequest* request,
      v1::ListSirekapRecordsResponse* response) override;
  grpc::Status ListDiscrepancies(
      grpc::ServerContext* context, const v1::ListDiscrepanciesRequest* request,
      v1::ListDiscrepanciesResponse* response) override;
  grpc::Status ListRegionDiscrepancies(
      grpc::ServerContext* context,
      const v1::ListRegionDiscrepanciesRequest* request,
      v1::ListRegionDiscrepanciesResponse* response) override;

 private:
  Database* db_;
  SirekapStore* store_;
  const FormKinds* kinds_;
  const Authorizer* authorizer_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_AUDIT_AUDIT_SERVICE_H_
