// RETURN_IF_ERROR and ASSIGN_OR_RETURN: the project's one way to pass a
// failed absl::Status up. Debian's Abseil does not ship them (they live in
// Abseil's internal status_macros, not installed), so they are here.
//
//   RETURN_IF_ERROR(db->Write(batch));
//   ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
//
// Both return the failed status unchanged from the enclosing function,
// which must return absl::Status or absl::StatusOr<T>. ASSIGN_OR_RETURN
// declares (or assigns) its left side from the moved value; it is several
// statements, so it cannot be the body of an `if` without braces.
#ifndef C1TALLY_STORAGE_STATUS_MACROS_H_
#define C1TALLY_STORAGE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    const ::absl::Status c1tally_status_ = (expr);     \
    if (!c1tally_status_.ok()) return c1tally_status_; \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr)                                        \
  C1TALLY_ASSIGN_OR_RETURN_(C1TALLY_STATUS_CONCAT_(c1tally_or_, __LINE__), \
                            lhs, expr)

#define C1TALLY_ASSIGN_OR_RETURN_(result, lhs, expr)   \
  auto result = (expr);                                \
  if (!result.ok()) return std::move(result).status(); \
  lhs = *std::move(result)

#define C1TALLY_STATUS_CONCAT_INNER_(a, b) a##b
#define C1TALLY_STATUS_CONCAT_(a, b) C1TALLY_STATUS_CONCAT_INNER_(a, b)

#endif  // C1TALLY_STORAGE_STATUS_MACROS_H_
