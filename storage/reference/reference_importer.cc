#include "storage/reference/reference_importer.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "storage/keys.h"
#include "storage/reference/dapil_tps.h"
#include "storage/region_code.h"
#include "storage/source_file.h"
#include "storage/status_macros.h"

namespace c1tally {

constexpr const char* kPartyRaces[] = {"pdpr", "pdprdp", "pdprdk"};

ReferenceImporter::ReferenceImporter(Database* db, absl::Time import_time)
    : db_(db), import_time_(import_time), store_(db), tree_(db) {}

absl::Status ReferenceImporter::AddPath(const std::string& path) {
  std::error_code error;
  std::vector<std::string> files = {path};
  if (std::filesystem::is_directory(path, error)) {
    ASSIGN_OR_RETURN(files, JsonFilesUnder(path));
  }
  std::vector<std::pair<std::string, std::string>> texts;
  for (const std::string& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadSourceFile(file));
    texts.emplace_back(file, std::move(text));
  }
  for (auto& [file, text] : texts) AddText(file, text);
  return absl::OkStatus();
}

void ReferenceImporter::AddText(const std::string& path,
                                const std::string& text) {
  absl::string_view name = path;
  absl::ConsumeSuffix(&name, ".gz");
  absl::StatusOr<ReferenceSource> source = ReferenceSourceOf(name);
  if (!source.ok()) return Refuse(path, source.status().message());
  absl::Status parsed = absl::OkStatus();
  switch (source->kind) {
    case ReferenceSource::Kind::kParties: {
      absl::StatusOr<std::vector<v1::Party>> parties = ParseParties(text);
      parsed = parties.status();
      if (parties.ok()) parties_.push_back({path, *std::move(parties)});
      break;
    }
    case ReferenceSource::Kind::kDapilList: {
      absl::StatusOr<std::vector<v1::Dapil>> list =
          ParseDapilList(source->race, text);
      parsed = list.status();
      if (list.ok()) dapil_lists_.push_back({path, *std::move(list)});
      break;
    }
    case ReferenceSource::Kind::kCandidates: {
      absl::StatusOr<v1::Ballot> ballot = ParseCandidates(source->code, text);
      parsed = ballot.status();
      if (ballot.ok()) ballots_.push_back({path, *std::move(ballot)});
      break;
    }
    case ReferenceSource::Kind::kDpdCandidates: {
      absl::StatusOr<v1::Ballot> ballot =
          ParseDpdCandidates(source->code, text);
      parsed = ballot.status();
      if (ballot.ok()) dpd_ballots_.push_back({path, *std::move(ballot)});
      break;
    }
    case ReferenceSource::Kind::kMap: {
      absl::StatusOr<DapilMap> map = ParseDapilMap(text);
      parsed = map.status();
      if (map.ok()) maps_.push_back({path, *std::move(map)});
      break;
    }
  }
  if (!parsed.ok()) Refuse(path, parsed.message());
}

void ReferenceImporter::Refuse(const std::string& path,
                               absl::string_view reason) {
  report_.refused.push_back(absl::StrCat(path, ": ", reason));
}

absl::Status ReferenceImporter::Put(const std::string& kind,
                                    const std::string& key,
                                    const google::protobuf::Message& message) {
  ASSIGN_OR_RETURN(bool changed, store_.Stage(key, message.SerializeAsString(),
                                              import_time_, &batch_));
  ReferenceReport::Count& count = report_.counts[kind];
  ++(changed ? count.written : count.unchanged);
  return absl::OkStatus();
}

absl::StatusOr<ReferenceReport> ReferenceImporter::Commit() {
  RETURN_IF_ERROR(CommitParties());
  RETURN_IF_ERROR(CommitDapil());
  for (const From<v1::Ballot>& file : ballots_) {
    for (const char* race : kPartyRaces) {
      if (known_dapil_.count({race, file.value.dapil()})) {
        replacing_.emplace(race, file.value.dapil());
      }
    }
  }
  for (const From<v1::Ballot>& file : dpd_ballots_) {
    replacing_.emplace("pdpd", file.value.dapil());
  }
  RETURN_IF_ERROR(CommitBallots());
  RETURN_IF_ERROR(CommitDpdBallots());
  RETURN_IF_ERROR(CommitAreas());
  if (batch_.Count() > 0) RETURN_IF_ERROR(db_->Write(&batch_));
  RETURN_IF_ERROR(ReportCoverage());
  ReferenceReport report = std::move(report_);
  report_ = ReferenceReport();
  batch_.Clear();
  return report;
}

absl::Status ReferenceImporter::CommitParties() {
  ASSIGN_OR_RETURN(std::vector<v1::Party> stored, store_.ListParties());
  for (const v1::Party& party : stored) known_parties_.insert(party.id());
  std::set<int32_t> imported;
  for (const From<std::vector<v1::Party>>& file : parties_) {
    const auto twice = std::find_if(
        file.value.begin(), file.value.end(),
        [&](const v1::Party& p) { return imported.count(p.id()); });
    if (twice != file.value.end()) {
      Refuse(file.path, absl::StrCat("party ", twice->id(),
                                     " is also in another party list"));
      continue;
    }
    for (const v1::Party& party : file.value) {
      imported.insert(party.id());
      known_parties_.insert(party.id());
      RETURN_IF_ERROR(Put("parties", keys::ReferenceParty(party.id()), party));
    }
  }
  return absl::OkStatus();
}

absl::Status ReferenceImporter::CommitDapil() {
  for (const char* race : kLegislativeRaces) {
    ASSIGN_OR_RETURN(std::vector<v1::Dapil> stored, store_.ListDapil(race));
    for (const v1::Dapil& dapil : stored) {
      known_dapil_.emplace(race, dapil.code());
    }
  }
  std::set<Key> imported;
  for (const From<std::vector<v1::Dapil>>& file : dapil_lists_) {
    const auto twice = std::find_if(
        file.value.begin(), file.value.end(), [&](const v1::Dapil& d) {
          return imported.count({d.race(), d.code()}) > 0;
        });
    if (twice != file.value.end()) {
      Refuse(file.path,
             absl::StrCat("dapil ", twice->code(), " of ", twice->race(),
                          " is also in another dapil list"));
      continue;
    }
    for (const v1::Dapil& dapil : file.value) {
      imported.emplace(dapil.race(), dapil.code());
      known_dapil_.emplace(dapil.race(), dapil.code());
      races_touched_.insert(dapil.race());
      RETURN_IF_ERROR(Put(
          "dapil", keys::ReferenceDapil(dapil.race(), dapil.code()), dapil));
    }
  }
  return absl::OkStatus();
}

absl::Status ReferenceImporter::CommitBallots() {
  ASSIGN_OR_RETURN(std::vector<v1::Party> parties, store_.ListParties());
  std::map<int32_t, int32_t> ballot_number;  // party id -> its number
  for (const v1::Party& party : parties) {
    ballot_number[party.id()] = party.ballot_number();
  }
  for (const From<std::vector<v1::Party>>& file : parties_) {
    for (const v1::Party& party : file.value) {
      ballot_number[party.id()] = party.ballot_number();
    }
  }
  for (From<v1::Ballot>& file : ballots_) {
    std::vector<std::string> races;
    for (const char* race : kPartyRaces) {
      if (known_dapil_.count({race, file.value.dapil()})) races.push_back(race);
    }
    if (races.size() != 1) {
      Refuse(
          file.path,
          races.empty()
              ? absl::StrCat("no dapil list names dapil ", file.value.dapil(),
                             " (import the dapil lists first or with it)")
              : absl::StrCat(
                    "dapil ", file.value.dapil(), " is named by the lists of ",
                    absl::StrJoin(races, " and "), ": the race is unclear"));
      continue;
    }
    file.value.set_race(races[0]);
    const auto unknown =
        std::find_if(file.value.parties().begin(), file.value.parties().end(),
                     [&](const v1::Ballot::PartyList& list) {
                       return !known_parties_.count(list.party_id());
                     });
    if (unknown != file.value.parties().end()) {
      Refuse(file.path, absl::StrCat("party ", unknown->party_id(),
                                     " is not in the party list"));
      continue;
    }
    // Parties in the order of the ballot paper.
    auto* lists = file.value.mutable_parties();
    std::stable_sort(
        lists->begin(), lists->end(), [&](const auto& a, const auto& b) {
          return ballot_number[a.party_id()] < ballot_number[b.party_id()];
        });
    RETURN_IF_ERROR(StageBallot(file.path, std::move(file.value)));
  }
  return absl::OkStatus();
}

absl::Status ReferenceImporter::CommitDpdBallots() {
  for (From<v1::Ballot>& file : dpd_ballots_) {
    absl::StatusOr<RegionCode> code = RegionCode::Parse(file.value.dapil());
    absl::StatusOr<v1::Region> province =
        code.ok() ? tree_.GetRegion(*code) : code.status();
    if (absl::IsNotFound(province.status())) {
      Refuse(file.path, absl::StrCat("province ", file.value.dapil(),
                                     " is not in the region tree"));
      continue;
    }
    RETURN_IF_ERROR(province.status());
    v1::Dapil dapil;
    dapil.set_race("pdpd");
    dapil.set_code(province->code());
    dapil.set_name(province->name());
    const size_t refused = report_.refused.size();
    RETURN_IF_ERROR(StageBallot(file.path, std::move(file.value)));
    if (report_.refused.size() != refused) continue;
    races_touched_.insert("pdpd");
    RETURN_IF_ERROR(
        Put("dapil", keys::ReferenceDapil("pdpd", dapil.code()), dapil));
  }
  return absl::OkStatus();
}

absl::Status ReferenceImporter::StageBallot(const std::string& path,
                                            v1::Ballot ballot) {
  const std::string& race = ballot.race();
  const std::string& dapil = ballot.dapil();
  if (!ballots_staged_.emplace(race, dapil).second) {
    Refuse(path, absl::StrCat("another file of this import lists the "
                              "candidates of ",
                              race, " dapil ", dapil));
    return absl::OkStatus();
  }
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    for (const v1::Candidate& candidate : list.candidates()) {
      auto here = candidates_.find({race, candidate.id()});
      std::string elsewhere =
          here != candidates_.end() ? here->second : std::string();
      if (elsewhere.empty()) {
        absl::StatusOr<std::string> stored =
            store_.DapilOfCandidate(race, candidate.id());
        // A stored dapil whose list this import replaces does not count:
        // the new list says where the candidate stands.
        if (!stored.ok() && !absl::IsNotFound(stored.status())) {
          return stored.status();
        }
        if (stored.ok() && !replacing_.count({race, *stored})) {
          elsewhere = *stored;
        }
      }
      if (!elsewhere.empty() && elsewhere != dapil) {
        Refuse(path, absl::StrCat("candidate ", candidate.id(), " (",
                                  candidate.name(), ") already stands in ",
                                  race, " dapil ", elsewhere));
        return absl::OkStatus();
      }
    }
  }
  // Candidates the replaced ballot had and this one drops leave the index.
  absl::StatusOr<v1::Ballot> replaced = store_.GetBallot(race, dapil);
  if (!replaced.ok() && !absl::IsNotFound(replaced.status())) {
    return replaced.status();
  }
  if (replaced.ok()) {
    for (const v1::Ballot::PartyList& list : replaced->parties()) {
      for (const v1::Candidate& candidate : list.candidates()) {
        // Not one that a list staged before this one claims.
        if (candidates_.count({race, candidate.id()})) continue;
        RETURN_IF_ERROR(FromRocksStatus(
            batch_.Delete(db_->handle(Family::kReference),
                          keys::ReferenceCandidate(race, candidate.id())),
            "staging reference data"));
      }
    }
  }
  int64_t candidates = 0;
  for (const v1::Ballot::PartyList& list : ballot.parties()) {
    for (const v1::Candidate& candidate : list.candidates()) {
      candidates_[{race, candidate.id()}] = dapil;
      RETURN_IF_ERROR(FromRocksStatus(
          batch_.Put(db_->handle(Family::kReference),
                     keys::ReferenceCandidate(race, candidate.id()), dapil),
          "staging reference data"));
      ++candidates;
    }
  }
  const int64_t written_before = report_.counts["ballots"].written;
  RETURN_IF_ERROR(Put("ballots", keys::ReferenceBallot(race, dapil), ballot));
  ReferenceReport::Count& count = report_.counts["candidates"];
  (report_.counts["ballots"].written > written_before ? count.written
                                                      : count.unchanged) +=
      candidates;
  races_touched_.insert(race);
  return absl::OkStatus();
}

absl::Status ReferenceImporter::CommitAreas() {
  std::set<Key> imported;
  for (const From<DapilMap>& file : maps_) {
    for (const std::string& refused : file.value.refused) {
      Refuse(file.path, refused);
    }
    for (const DapilArea& area : file.value.areas) {
      const std::string where = absl::StrCat(file.path, " line ", area.line);
      if (area.race == "pdpd") {
        Refuse(where, "DPD needs no map: its dapil is the province");
        continue;
      }
      if (!known_dapil_.count({area.race, area.dapil})) {
        Refuse(where, absl::StrCat("dapil ", area.dapil, " is in no ",
                                   area.race, " dapil list"));
        continue;
      }
      if (!imported.emplace(area.race, area.region).second) {
        Refuse(where,
               absl::StrCat(area.region, " is mapped twice in ", area.race));
        continue;
      }
      ASSIGN_OR_RETURN(RegionCode code, RegionCode::Parse(area.region));
      const absl::Status exists = code.is_tps()
                                      ? tree_.GetTps(code).status()
                                      : tree_.GetRegion(code).status();
      if (absl::IsNotFound(exists)) {
        report_.unplaced.push_back(absl::StrCat(where, ": ", area.race, " ",
                                                area.dapil, " ", area.region));
        continue;
      }
      RETURN_IF_ERROR(exists);
      races_touched_.insert(area.race);
      ReferenceReport::Count& count = report_.counts["areas"];
      ASSIGN_OR_RETURN(bool changed,
                       store_.Stage(keys::ReferenceArea(area.race, area.region),
                                    area.dapil, import_time_, &batch_));
      ++(changed ? count.written : count.unchanged);
    }
  }
  return absl::OkStatus();
}

absl::Status ReferenceImporter::ReportCoverage() {
  for (const std::string& race : races_touched_) {
    ASSIGN_OR_RETURN(std::vector<v1::Dapil> dapils, store_.ListDapil(race));
    ASSIGN_OR_RETURN(DapilTpsCounts tps,
                     CountTpsPerDapil(store_, tree_, race, RegionCode()));
    // A province is its own DPD dapil, so only a map can leave one empty.
    if (RaceHasParties(race)) {
      for (const v1::Dapil& dapil : dapils) {
        if (tps[dapil.code()] <= 0) {
          report_.dapil_without_tps.push_back(
              absl::StrCat(race, " ", dapil.code(), " (", dapil.name(), ")"));
        }
      }
    }
    report_.tps_without_dapil[race] = tps[""];
  }
  return absl::OkStatus();
}

}  // namespace c1tally
