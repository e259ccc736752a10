// What the public pages share: names of levels, links to places, dapil and
// races, what each race chooses between, the words for flags and for who
// vouched for a number, and the crumbs, race switch, vote tables and
// coverage several pages include.
#ifndef C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_PARTS_H_
#define C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_PARTS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "c1tally/v1/reference.pb.h"
#include "c1tally/v1/resources.pb.h"
#include "google/protobuf/map.h"
#include "services/gateway/html_page.h"

namespace c1tally {

// "Kecamatan", "Kelurahan/Desa", ...
std::string LevelName(v1::RegionLevel level);

// The page of a region ("/" for the nation) or of a TPS (13 digits).
std::string PlaceHref(const std::string& code);

// The races a page switches between, in the switch's order: name (the
// form kind) and what the switch calls it.
struct Race {
  const char* name;
  const char* label;
};
const std::vector<Race>& Races();
// The switch's name for `race` ("DPR"); the name itself when unknown.
std::string RaceLabel(const std::string& race);
// `path` in race `race` (ppwp, the default, needs no parameter) with the
// `more` query parameters that are not empty.
std::string RaceHref(
    const std::string& path, const std::string& race,
    const std::vector<std::pair<std::string, std::string>>& more = {});
// The page of a dapil, and the list of a race's dapil.
std::string DapilHref(const std::string& race, const std::string& code);
std::string DapilListHref(const std::string& race);
// Includes the race switch at {{>RACES}}: `path` in each race, `race` (a
// form kind's name) marked as the one shown.
void AddRaceSwitch(const std::string& path, const std::string& race,
                   TemplateValues* values);

// What the voters choose between, as the vote tables show it: the field
// that counts it and its name.
struct Choice {
  std::string field;
  std::string label;
};
// The candidate pairs of `kind`: the left side of the rule that sums them
// into suara_sah, "Suara paslon 01" shown as "Paslon 01".
std::vector<Choice> PairChoices(const v1::FormKind& kind);
// Every party's total in ballot order; a party on Aceh's ballots only just
// where `sums` has votes for it.
std::vector<Choice> PartyChoices(
    const std::vector<v1::Party>& parties,
    const google::protobuf::Map<std::string, int64_t>& sums);
// The totals of a ballot's parties in ballot order, named from `parties`;
// for a DPD ballot, its candidates ("1. NAME").
std::vector<Choice> BallotChoices(
    const v1::Ballot& ballot,
    const google::protobuf::RepeatedPtrField<v1::Party>& parties);
// The name of party `id` among `parties` ("Partai ID" when missing).
std::string PartyName(
    const google::protobuf::RepeatedPtrField<v1::Party>& parties, int32_t id);
// The vote tables' heading for what `race` chooses between.
std::string ChoiceHeading(const std::string& race);
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

// Includes the crumbs (links to `ancestors` in `race`, nation first) at
// {{>CRUMBS}}.
void AddCrumbs(const std::vector<v1::Region>& ancestors, TemplateValues* values,
               const std::string& race = "");
// Includes the vote table (headed `heading`) and chart of `choices` in
// `sums` at {{>VOTES}}.
void AddVotes(const std::vector<Choice>& choices, const std::string& heading,
              const google::protobuf::Map<std::string, int64_t>& sums,
              TemplateValues* values);
// One CANDIDATE section per choice with its LABEL (table heads).
void AddCandidateHeads(const std::vector<Choice>& choices,
                       TemplateValues* values);
// Includes the coverage of `aggregate` (TPS with a result of all, flagged,
// last change) at {{>COVERAGE}}.
void AddCoverage(const v1::Aggregate& aggregate, TemplateValues* values);
// The same as a table row's cells: COVERAGE_KEY, WITH_RESULT, TOTAL,
// COVERAGE, FLAGGED_KEY, FLAGGED.
void AddCoverageCells(const v1::Aggregate& aggregate, TemplateValues* row);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_PUBLIC_HTML_PARTS_H_
