// The headers most library and tool sources parse, compiled once (with
// c1tally_storage) and reused by every target that calls
// c1tally_use_precompiled_header (CMakeLists.txt). Parsing them was about
// a quarter of each source's compile time, and CI builds everything from
// scratch on two cores.
//
// Only headers from outside the repository and the protos generated from
// proto/ belong here: a project header would rebuild everything whenever it
// changed. Sources still include what they use; this only makes that
// cheaper. Each header here costs every source a little (the compiled
// header is loaded whole), so a header most sources do not use stays out
// (gRPC's, OpenCV's: the tests' own header, tests/precompiled.h, adds them).
#ifndef C1TALLY_CMAKE_PRECOMPILED_H_
#define C1TALLY_CMAKE_PRECOMPILED_H_

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "c1tally/v1/audit.pb.h"
#include "c1tally/v1/ingest.pb.h"
#include "c1tally/v1/resources.pb.h"
#include "c1tally/v1/review.pb.h"
#include "c1tally/v1/tally.pb.h"
#include "nlohmann/json.hpp"
#include "rocksdb/db.h"

#endif  // C1TALLY_CMAKE_PRECOMPILED_H_
