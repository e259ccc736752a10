// What the public pages share: names of levels, links to places, the
// candidate pairs of a form kind, the words for flags and for who vouched
// for a number, and the crumbs and vote tables several pages include.
#ifndef C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_PARTS_H_
#define C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_PARTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "c1tally/v1/resources.pb.h"
#include "google/protobuf/map.h"
#include "services/gateway/html_page.h"

namespace c1tally {

// "Kecamatan", "Kelurahan/Desa", ...
std::string LevelName(v1::RegionLevel level);

// The page of a region ("/" for the nation) or of a TPS (13 digits).
std::string PlaceHref(const std::string& code);

// The candidate pairs' fields: the left side of the rule that sums them
// into suara_sah. Pointers into `kind`.
std::vector<const v1::FormKind::Field*> CandidateFields(
    const v1::FormKind& kind);
// "Suara paslon 01" -> "Paslon 01".
std::string CandidateLabel(const v1::FormKind::Field& field);
// The label of field `name` of `kind`, or the name.
std::string FieldLabel(const v1::FormKind& kind, const std::string& name);

// `values[name]`, 0 when absent.
int64_t ValueOf(const google::protobuf::Map<std::string, int64_t>& values,
                const std::string& name);
// part / whole, 0 for an empty whole.
double Share(int64_t part, int64_t whole);

// What a TPS flag means, in words.
std::string FlagText(const std::string& flag);
// Who vouched for a number, in words.
std::string SourceText(v1::Provenance::Source source);
// The same for a photo's field ("machine", "people", "moderator", "").
std::string SettledByText(const std::string& by);

// Includes the crumbs (links to `ancestors`, nation first) at {{>CRUMBS}}.
void AddCrumbs(const std::vector<v1::Region>& ancestors,
               TemplateValues* values);
// Includes the vote table and chart of `sums` at {{>VOTES}}.
void AddVotes(const v1::FormKind& kind,
              const google::protobuf::Map<std::string, int64_t>& sums,
              TemplateValues* values);
// One CANDIDATE section per candidate pair with its LABEL (table heads).
void AddCandidateHeads(const v1::FormKind& kind, TemplateValues* values);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_PARTS_H_
