// PublicPages: the citizens' pages, server-rendered HTML in Bahasa
// Indonesia that works without JavaScript (a small script only sorts the
// tables) and on a 360 px wide phone:
//
//   GET /                     the nation
//   GET /wilayah/{code}       a province, kabupaten/kota, kecamatan or
//                             kelurahan: votes and share per candidate pair
//                             (party; DPD candidate), a bar chart, coverage
//                             (TPS with a verified result / all TPS),
//                             flagged and pending TPS, last change, the
//                             dapil it lies in, children in a sortable table
//   GET /tps/{code13}         one TPS: its numbers with the digit crops they
//                             were read from and who vouched for each
//                             (machine, people, moderator; never names), its
//                             flags, photos, journal, and Sirekap's numbers
//   GET /dapil/{race}         the dapil of a legislative race, paged
//   GET /dapil/{race}/{kode}  a dapil: its regions, coverage, parties and
//                             each candidate's votes; ?sort=ballot|votes
//
// Region and TPS pages take ?form_kind= (ppwp, the default, pdpr, pdprdp,
// pdprdk, pdpd) and link to themselves in each race; an unknown race is
// 400, a race without results yet a page that says so.
//   GET /cari?q=...           search by TPS/region code or place name; one
//                             exact code redirects to its page
//   GET /foto/{id}            a public photo (read as a form)
//   GET /foto/{id}/{field}.png  the crop of one field of it
//
// This is the routing; the pages' HTML is public_html.h's. Pages carry ETag
// and Cache-Control by depth like the JSON. `results` must outlive the
// PublicPages. Thread-safe.
#ifndef C1TALLY_SERVICES_GATEWAY_PUBLIC_PAGES_H_
#define C1TALLY_SERVICES_GATEWAY_PUBLIC_PAGES_H_

#include <string>

#include "services/gateway/http_server.h"
#include "services/gateway/public_results.h"

namespace c1tally {

class PublicPages {
 public:
  explicit PublicPages(const PublicResults* results) : results_(results) {}

  // True for the paths above.
  static bool Serves(const std::string& path);

  HttpResponse Handle(const HttpRequest& request) const;

  HttpResponse RegionPage(const std::string& code,
                          const HttpRequest& request) const;
  HttpResponse TpsPage(const std::string& code,
                       const HttpRequest& request) const;

 private:
  // `rest` is "{race}" (the list) or "{race}/{kode}".
  HttpResponse DapilPage(const std::string& rest,
                         const HttpRequest& request) const;
  HttpResponse SearchPage(const HttpRequest& request) const;
  HttpResponse Photo(const std::string& rest) const;

  const PublicResults* results_;
};

// A region's whole page, cacheable (also for the snapshot).
HttpResponse RegionHtmlResponse(const RegionView& view);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_PUBLIC_PAGES_H_
