#include "storage/reference/ballot_form.h"

#include "absl/strings/str_cat.h"
#include "storage/form_kind.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// A TPS has at most 300 voters plus spares: three digit boxes.
constexpr int64_t kMaxTpsCount = 999;

void AddField(const std::string& name, const std::string& label,
              v1::FormKind* kind) {
  v1::FormKind::Field* field = kind->add_fields();
  field->set_name(name);
  field->set_label(label);
  field->set_min_value(0);
  field->set_max_value(kMaxTpsCount);
  field->set_required(true);
}

std::string PartyName(int32_t id, const std::map<int32_t, v1::Party>& parties) {
  auto it = parties.find(id);
  return it == parties.end() ? absl::StrCat("Partai ", id) : it->second.name();
}

}  // namespace

std::string PartyOnlyField(int32_t party) {
  return absl::StrCat("suara_partai_", party);
}

std::string CandidateField(absl::string_view candidate) {
  return absl::StrCat("suara_caleg_", candidate);
}

std::string PartyTotalField(int32_t party) {
  return absl::StrCat("suara_total_partai_", party);
}

std::string PartyRule(int32_t party) { return absl::StrCat("partai_", party); }

absl::StatusOr<v1::FormKind> BallotFormKind(
    const v1::FormKind& base, const v1::Ballot& ballot,
    const std::map<int32_t, v1::Party>& parties) {
  if (ballot.race() != base.name()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", ballot.race(), " ballot does not fit form kind ", base.name()));
  }
  v1::FormKind kind = base;
  v1::FormKind::Rule valid;
  valid.set_name("suara_sah");
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    const bool party = RaceHasParties(ballot.race());
    const std::string name = PartyName(list.party_id(), parties);
    v1::FormKind::Rule block;
    block.set_name(PartyRule(list.party_id()));
    if (party) {
      AddField(PartyOnlyField(list.party_id()),
               absl::StrCat(name, ": suara partai"), &kind);
      block.add_left(PartyOnlyField(list.party_id()));
    }
    for (const v1::Candidate& candidate : list.candidates()) {
      AddField(CandidateField(candidate.id()),
               party ? absl::StrCat(name, " ", candidate.ballot_number(), ". ",
                                    candidate.name())
                     : absl::StrCat(candidate.ballot_number(), ". ",
                                    candidate.name()),
               &kind);
      (party ? block.add_left() : valid.add_left())
          ->assign(CandidateField(candidate.id()));
    }
    if (party) {
      AddField(PartyTotalField(list.party_id()),
               absl::StrCat(name, ": jumlah suara"), &kind);
      block.add_right(PartyTotalField(list.party_id()));
      valid.add_left(PartyTotalField(list.party_id()));
      *kind.add_rules() = std::move(block);
    }
  }
  valid.add_right("suara_sah");
  *kind.add_rules() = std::move(valid);
  RETURN_IF_ERROR(FormKinds::Check(kind));
  return kind;
}

}  // namespace c1tally
