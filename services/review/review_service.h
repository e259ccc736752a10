// ReviewServiceImpl: c1tally.v1.ReviewService over the ReviewStore, with
// entries and decisions through the photos' lifecycle (which settles a
// photo once its last task is). Who may call what is the method policy's
// business (volunteers claim and enter, moderators list and resolve); this
// adds who the caller is, so that a volunteer enters only under their own
// name.
//
// The store, the lifecycle and the authorizer must outlive the service.
#ifndef C1TALLY_SERVICES_REVIEW_REVIEW_SERVICE_H_
#define C1TALLY_SERVICES_REVIEW_REVIEW_SERVICE_H_

#include "c1tally/v1/review.grpc.pb.h"
#include "services/auth/authorizer.h"
#include "storage/photo_lifecycle.h"
#include "storage/review_store.h"

namespace c1tally {

class ReviewServiceImpl final : public v1::ReviewService::Service {
 public:
  ReviewServiceImpl(ReviewStore* store, PhotoLifecycle* photos,
                    const Authorizer* authorizer)
      : store_(store), photos_(photos), authorizer_(authorizer) {}

  grpc::Status ClaimReviewTask(grpc::ServerContext* context,
                               const v1::ClaimReviewTaskRequest* request,
                               v1::ReviewTask* response) override;
  grpc::Status CreateReviewEntry(grpc::ServerContext* context,
                                 const v1::CreateReviewEntryRequest* request,
                                 v1::ReviewEntry* response) override;
  grpc::Status SkipReviewTask(grpc::ServerContext* context,
                              const v1::SkipReviewTaskRequest* request,
                              v1::SkipReviewTaskResponse* response) override;
  grpc::Status ListReviewTasks(grpc::ServerContext* context,
                               const v1::ListReviewTasksRequest* request,
                               v1::ListReviewTasksResponse* response) override;
  grpc::Status GetReviewTask(grpc::ServerContext* context,
                             const v1::GetReviewTaskRequest* request,
                             v1::ReviewTask* response) override;
  grpc::Status ResolveReviewTask(grpc::ServerContext* context,
                                 const v1::ResolveReviewTaskRequest* request,
                                 v1::ReviewTask* response) override;
  grpc::Status GetVolunteerStats(grpc::ServerContext* context,
                                 const v1::GetVolunteerStatsRequest* request,
                                 v1::VolunteerStats* response) override;

 private:
  ReviewStore* store_;
  PhotoLifecycle* photos_;
  const Authorizer* authorizer_;
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_REVIEW_REVIEW_SERVICE_H_
