// Listings in pages, the one way for every List call (AIP-158): page sizes,
// one page of items, and the page token that says where the next page
// starts.
//
// A page token is opaque: web-safe base64 (unpadded) of the listing it
// belongs to and the position the page ended at. Clients pass it back as
// they got it; one listing refuses another's token, and nobody is invited
// to build one from a code or a sequence number by hand.
#ifndef C1TALLY_STORAGE_LISTING_PAGE_H_
#define C1TALLY_STORAGE_LISTING_PAGE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c1tally {

// 0 (or less) asks for kDefaultPageSize; more than kMaxPageSize is capped.
inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// A requested page size clamped to [1, kMaxPageSize].
int ClampPageSize(int requested);

// One page of a listing; next_page_token is empty on the last page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

// The token for a page of `listing` (a name unique to the listing and its
// parameters, e.g. "tps/3101") that ended at `position`.
std::string EncodePageToken(absl::string_view listing,
                            absl::string_view position);

// The position a token of `listing` holds; "" for the empty token (the
// first page). INVALID_ARGUMENT for a token that is malformed or belongs
// to another listing.
absl::StatusOr<std::string> DecodePageToken(absl::string_view listing,
                                            absl::string_view token);

}  // namespace c1tally

#endif  // C1TALLY_STORAGE_LISTING_PAGE_H_
