// The headers nearly every test parses, compiled once for all of them: the
// libraries' list (cmake/precompiled.h) and what tests add to it. See
// c1tally_test_compile in tests/CMakeLists.txt.
//
// As there, only headers from outside the repository and the generated
// protos belong here.
#ifndef C1TALLY_TESTS_PRECOMPILED_H_
#define C1TALLY_TESTS_PRECOMPILED_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "c1tally/v1/access.grpc.pb.h"
#include "c1tally/v1/audit.grpc.pb.h"
#include "c1tally/v1/auth.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/ocr.grpc.pb.h"
#include "c1tally/v1/reading.grpc.pb.h"
#include "c1tally/v1/reference.grpc.pb.h"
#include "c1tally/v1/resources.grpc.pb.h"
#include "c1tally/v1/review.grpc.pb.h"
#include "c1tally/v1/tally.grpc.pb.h"
#include "cmake/precompiled.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "opencv2/core.hpp"
#include "opencv2/imgproc.hpp"
#include "rocksdb/write_batch.h"

#endif  // C1TALLY_TESTS_PRECOMPILED_H_
