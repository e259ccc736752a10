// The public pages' HTML: a region, a TPS, a dapil (and a race's list of
// them) and a search, each filled into its template (templates/region.tpl,
// tps.tpl, dapil.tpl, dapil_list.tpl, search.tpl) by its own file
// (region_html.cc, tps_html.cc, dapil_html.cc, search_html.cc), from what
// PublicResults gathers. Responses carry the HTML headers (html_page.h);
// caching is the caller's.
#ifndef C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_H_
#define C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c1tally/v1/tally.pb.h"
#include "services/gateway/http_server.h"
#include "services/gateway/public_results.h"

namespace c1tally {

// A region's page: its aggregate, then its children or, for a kelurahan,
// its TPS, with a link to the next page of them.
HttpResponse RegionHtml(const RegionView& view);

// A TPS's page: its result with the provenance and crop of each number,
// its photos, Sirekap's numbers and its journal.
HttpResponse TpsHtml(const TpsView& view);

// How a dapil page orders its parties and candidates: as on the ballot
// (?sort=ballot, the default) or by votes (?sort=votes).
enum class DapilSort { kBallot, kVotes };
// The order a ?sort= value asks for ("" is the ballot's);
// INVALID_ARGUMENT for another value.
absl::StatusOr<DapilSort> ParseDapilSort(const std::string& value);

// A dapil's page (`kind`: its race's kind, for the label): its regions,
// coverage, the parties' totals and each candidate's votes in `sort`
// order.
HttpResponse DapilHtml(const v1::Dapil& dapil, const v1::FormKind& kind,
                       DapilSort sort);
// One page of the dapil of `race`, with a link to the next.
HttpResponse DapilListHtml(const std::string& race, const v1::FormKind& kind,
                           const v1::ListDapilResponse& listed);

// The search page for `query`: the places found, or why none could be.
HttpResponse SearchHtml(const std::string& query,
                        const absl::StatusOr<std::vector<v1::Place>>& places);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_H_
