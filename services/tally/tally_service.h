// TallyServiceImpl: the c1tally.v1.TallyService over a TallyStore.
//
// Each read RPC reads one RocksDB snapshot, so a region and its children's
// aggregates are consistent with each other. Reads are open to everyone;
// writes are checked by the Authorizer (each RPC's (access) option).
// Place search keeps its own index of names (built on the first search).
// The store and the authorizer must outlive the service.
#ifndef C1TALLY_SERVICES_TALLY_TALLY_SERVICE_H_
#define C1TALLY_SERVICES_TALLY_TALLY_SERVICE_H_

#include "c1tally/v1/tally.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "services/tally/place_search.h"
#include "storage/tally_store.h"

namespace c1tally {

class TallyServiceImpl final : public v1::TallyService::Service {
 public:
  // The form kind used when a request names none.
  static constexpr char kDefaultFormKind[] = "ppwp";

  TallyServiceImpl(TallyStore* store, const Authorizer* authorizer)
      : store_(store), authorizer_(authorizer), search_(&store->tree()) {}

  grpc::Status GetRegion(grpc::ServerContext* context,
                         const v1::GetRegionRequest* request,
                         v1::Region* response) override;
  grpc::Status ListRegions(grpc::ServerContext* context,
                           const v1::ListRegionsRequest* request,
                           v1::ListRegionsResponse* response) override;
  grpc::Status GetTps(grpc::ServerContext* context,
                      const v1::GetTpsRequest* request,
                      v1::Tps* response) override;
  grpc::Status ListTps(grpc::ServerContext* context,
                       const v1::ListTpsRequest* request,
                       v1::ListTpsResponse* response) override;
  grpc::Status ListFormKinds(grpc::ServerContext* context,
                             const v1::ListFormKindsRequest* request,
                             v1::ListFormKindsResponse* response) override;
  grpc::Status UpdateTpsResult(grpc::ServerContext* context,
                               const v1::UpdateTpsResultRequest* request,
                               v1::UpdateTpsResultResponse* response) override;
  grpc::Status BatchUpdateTpsResults(
      grpc::ServerContext* context,
      const v1::BatchUpdateTpsResultsRequest* request,
      v1::BatchUpdateTpsResultsResponse* response) override;
  grpc::Status DeleteTpsResult(grpc::ServerContext* context,
                               const v1::DeleteTpsResultRequest* request,
                               v1::DeleteTpsResultResponse* response) override;
  grpc::Status GetDapil(grpc::ServerContext* context,
                        const v1::GetDapilRequest* request,
                        v1::Dapil* response) override;
  grpc::Status ListDapil(grpc::ServerContext* context,
                         const v1::ListDapilRequest* request,
                         v1::ListDapilResponse* response) override;
  grpc::Status ListParties(grpc::ServerContext* context,
                           const v1::ListPartiesRequest* request,
                           v1::ListPartiesResponse* response) override;
  grpc::Status SearchPlaces(grpc::ServerContext* context,
                            const v1::SearchPlacesRequest* request,
                            v1::SearchPlacesResponse* response) override;
  grpc::Status ListJournalEntries(
      grpc::ServerContext* context,
      const v1::ListJournalEntriesRequest* request,
      v1::ListJournalEntriesResponse* response) override;

 private:
  TallyStore* store_;
  const Authorizer* authorizer_;
  PlaceSearch search_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_TALLY_TALLY_SERVICE_H_
