#include "services/auth/token_channel.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/client_interceptor.h"
#include "services/auth/authorizer.h"

namespace c1tally {
namespace {

namespace experimental = grpc::experimental;

class BearerTokenInterceptor : public experimental::Interceptor {
 public:
  explicit BearerTokenInterceptor(const std::string* header)
      : header_(header) {}

  void Intercept(experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(Authorizer::kMetadataKey,
                                                 *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;
};

// Owns the header value; the channel owns the factory, and every
// interceptor it creates lives within one call on that channel.
class BearerTokenFactory
    : public experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenFactory(const std::string& token)
      : header_(absl::StrCat(Authorizer::kBearerPrefix, token)) {}

  experimental::Interceptor* CreateClientInterceptor(
      experimental::ClientRpcInfo* /*info*/) override {
    return new BearerTokenInterceptor(&header_);
  }

 private:
  const std::string header_;
};

}  // namespace

std::shared_ptr<grpc::Channel> CreateTokenChannel(const std::string& target,
                                                  const std::string& token) {
  if (token.empty()) {
    return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  }
  std::vector<std::unique_ptr<experimental::ClientInterceptorFactoryInterface>>
      factories;
  factories.push_back(std::make_unique<BearerTokenFactory>(token));
  return experimental::CreateCustomChannelWithInterceptors(
      target, grpc::InsecureChannelCredentials(), grpc::ChannelArguments(),
      std::move(factories));
}

}  // namespace c1tally
