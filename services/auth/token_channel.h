// CreateTokenChannel: a client channel that presents one bearer token on
// every call (`authorization: Bearer TOKEN`), for programs that act as one
// user throughout: tests, benchmarks, and later the OCR workers.
#ifndef C1TALLY_SERVICES_AUTH_TOKEN_CHANNEL_H_
#define C1TALLY_SERVICES_AUTH_TOKEN_CHANNEL_H_

#include <memory>
#include <string>

#include "grpcpp/channel.h"

namespace c1tally {

// An insecure channel to `target` ("HOST:PORT") that adds `token` to the
// metadata of each call (nothing when `token` is empty).
std::shared_ptr<grpc::Channel> CreateTokenChannel(const std::string& target,
                                                  const std::string& token);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_AUTH_TOKEN_CHANNEL_H_
