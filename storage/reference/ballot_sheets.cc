#include "storage/reference/ballot_sheets.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/reference/ballot_form.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

void AddField(const std::map<std::string, std::string>& labels,
              const std::string& name, v1::ReviewSheet* sheet) {
  v1::ReviewSheet::Field* field = sheet->add_fields();
  field->set_name(name);
  auto label = labels.find(name);
  field->set_label(label == labels.end() ? name : label->second);
}

}  // namespace

std::vector<v1::ReviewSheet> BallotSheets(
    const v1::FormKind& kind, const v1::Ballot& ballot,
    const std::map<int32_t, v1::Party>& parties) {
  const bool has_parties = RaceHasParties(kind.name());
  std::map<std::string, std::string> labels;
  for (const v1::FormKind::Field& field : kind.fields()) {
    labels[field.name()] = field.label();
  }
  std::vector<v1::ReviewSheet> sheets;
  std::set<std::string> on_ballot;
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    v1::ReviewSheet sheet;
    sheet.set_form_kind(kind.name());
    sheet.set_page(2);
    if (has_parties) {
      sheet.set_party(list.party_id());
      auto party = parties.find(list.party_id());
      sheet.set_label(party == parties.end()
                          ? absl::StrCat("Partai ", list.party_id())
                          : absl::StrCat(party->second.ballot_number(), ". ",
                                         party->second.name()));
      AddField(labels, PartyOnlyField(list.party_id()), &sheet);
    } else {
      sheet.set_label("Calon anggota DPD");
    }
    for (const v1::Candidate& candidate : list.candidates()) {
      AddField(labels, CandidateField(candidate.id()), &sheet);
    }
    if (has_parties) AddField(labels, PartyTotalField(list.party_id()), &sheet);
    for (const v1::ReviewSheet::Field& field : sheet.fields()) {
      on_ballot.insert(field.name());
    }
    sheets.push_back(std::move(sheet));
  }
  // Page 1: what the kind has besides the ballot's fields.
  v1::ReviewSheet administration;
  administration.set_form_kind(kind.name());
  administration.set_page(1);
  administration.set_label("Halaman 1: data pemilih dan jumlah suara");
  for (const v1::FormKind::Field& field : kind.fields()) {
    if (!on_ballot.count(field.name())) {
      AddField(labels, field.name(), &administration);
    }
  }
  sheets.insert(sheets.begin(), std::move(administration));
  return sheets;
}

absl::StatusOr<std::vector<v1::ReviewSheet>> SheetsOfTps(
    const RaceForms& forms, const RegionCode& tps) {
  std::vector<v1::ReviewSheet> sheets;
  for (const char* race : kLegislativeRaces) {
    absl::StatusOr<RaceForms::Form> form = forms.For(tps, race);
    if (absl::IsFailedPrecondition(form.status())) continue;  // no dapil
    RETURN_IF_ERROR(form.status());
    ASSIGN_OR_RETURN(v1::Ballot ballot,
                     forms.reference().GetBallot(race, form->dapil));
    std::map<int32_t, v1::Party> parties;
    for (const v1::Ballot::PartyList& list : ballot.parties()) {
      if (list.party_id() == 0) continue;
      absl::StatusOr<v1::Party> party =
          forms.reference().GetParty(list.party_id());
      if (party.ok()) parties[party->id()] = *std::move(party);
    }
    std::vector<v1::ReviewSheet> of_race =
        BallotSheets(*form->kind, ballot, parties);
    sheets.insert(sheets.end(), of_race.begin(), of_race.end());
  }
  return sheets;
}

const v1::ReviewSheet* FindSheet(const std::vector<v1::ReviewSheet>& sheets,
                                 absl::string_view race, int32_t page,
                                 int32_t party) {
  for (const v1::ReviewSheet& sheet : sheets) {
    if (sheet.form_kind() == race && sheet.page() == page &&
        sheet.party() == party) {
      return &sheet;
    }
  }
  return nullptr;
}

}  // namespace c1tally
