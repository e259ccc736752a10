#include "storage/reference/kpu_reference_parser.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "storage/csv_reader.h"
#include "storage/region_code.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using Json = nlohmann::json;

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(what);
}

absl::StatusOr<Json> ParseJson(absl::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (json.is_discarded()) return Invalid("not valid JSON");
  return json;
}

bool AllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

// A number given as a JSON number or a digit string; `what` names it in
// the error.
absl::StatusOr<int64_t> Number(const Json& value, absl::string_view what) {
  if (value.is_number_unsigned()) {
    const uint64_t number = value.get<uint64_t>();
    if (number <= static_cast<uint64_t>(INT64_MAX)) {
      return static_cast<int64_t>(number);
    }
  } else if (value.is_number_integer()) {
    if (value.get<int64_t>() >= 0) return value.get<int64_t>();
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    int64_t number = 0;
    if (AllDigits(text) && absl::SimpleAtoi(text, &number)) return number;
  }
  return Invalid(absl::StrCat(what, " is not a whole number: ", value.dump()));
}

// A member that may be missing or null: "" then.
std::string Text(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return std::string(absl::StripAsciiWhitespace(it->get<std::string>()));
}

// A required member as a number.
absl::StatusOr<int64_t> RequiredNumber(const Json& object, const char* key,
                                       absl::string_view where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return Invalid(absl::StrCat(where, ": \"", key, "\" is missing"));
  }
  return Number(*it, absl::StrCat(where, ": \"", key, "\""));
}

// An id that keys an object: digits only, no leading zero games.
absl::StatusOr<int64_t> IdKey(absl::string_view key, absl::string_view what) {
  int64_t id = 0;
  if (!AllDigits(key) || !absl::SimpleAtoi(key, &id) || id <= 0) {
    return Invalid(absl::StrCat(what, " \"", key, "\" is not a number"));
  }
  return id;
}

absl::StatusOr<v1::Candidate> ParseCandidate(absl::string_view id,
                                             const Json& value,
                                             absl::string_view where) {
  ASSIGN_OR_RETURN(int64_t numeric, IdKey(id, "candidate id"));
  (void)numeric;
  if (!value.is_object()) {
    return Invalid(
        absl::StrCat(where, ": candidate ", id, " is not an object"));
  }
  v1::Candidate candidate;
  candidate.set_id(std::string(id));
  const std::string context = absl::StrCat(where, ": candidate ", id);
  ASSIGN_OR_RETURN(int64_t number,
                   RequiredNumber(value, "nomor_urut", context));
  if (number < 1 || number > 999) {
    return Invalid(absl::StrCat(context, ": nomor_urut ", number,
                                " is not a ballot number"));
  }
  candidate.set_ballot_number(static_cast<int32_t>(number));
  candidate.set_name(Text(value, "nama"));
  if (candidate.name().empty()) {
    return Invalid(absl::StrCat(context, ": \"nama\" is missing"));
  }
  candidate.set_gender(Text(value, "jenis_kelamin"));
  if (!candidate.gender().empty() && candidate.gender() != "L" &&
      candidate.gender() != "P") {
    return Invalid(absl::StrCat(context, ": jenis_kelamin \"",
                                candidate.gender(), "\" is not L or P"));
  }
  candidate.set_residence(Text(value, "tempat_tinggal"));
  return candidate;
}

// The candidates of one list (a party's, or a DPD province's) in ballot
// order; refuses a ballot number used twice.
absl::Status ParseCandidateList(const Json& object, absl::string_view where,
                                v1::Ballot::PartyList* list) {
  if (!object.is_object()) {
    return Invalid(absl::StrCat(where, " is not an object of candidates"));
  }
  for (const auto& [id, value] : object.items()) {
    ASSIGN_OR_RETURN(v1::Candidate candidate, ParseCandidate(id, value, where));
    *list->add_candidates() = std::move(candidate);
  }
  auto* candidates = list->mutable_candidates();
  std::sort(candidates->begin(), candidates->end(),
            [](const v1::Candidate& a, const v1::Candidate& b) {
              return a.ballot_number() < b.ballot_number();
            });
  for (int i = 1; i < candidates->size(); ++i) {
    if ((*candidates)[i].ballot_number() ==
        (*candidates)[i - 1].ballot_number()) {
      return Invalid(
          absl::StrCat(where, ": candidates ", (*candidates)[i - 1].id(),
                       " and ", (*candidates)[i].id(), " share ballot number ",
                       (*candidates)[i].ballot_number()));
    }
  }
  return absl::OkStatus();
}

// The last part of a path without ".json".
std::string Stem(absl::string_view path) {
  const size_t slash = path.rfind('/');
  absl::string_view name =
      slash == absl::string_view::npos ? path : path.substr(slash + 1);
  absl::ConsumeSuffix(&name, ".json");
  absl::ConsumeSuffix(&name, ".csv");
  return std::string(name);
}

}  // namespace

bool IsLegislativeRace(absl::string_view race) {
  for (const char* known : kLegislativeRaces) {
    if (race == known) return true;
  }
  return false;
}

absl::StatusOr<ReferenceSource> ReferenceSourceOf(absl::string_view path) {
  const std::string stem = Stem(path);
  if (absl::EndsWith(path, ".csv")) {
    return ReferenceSource{ReferenceSource::Kind::kMap, "", ""};
  }
  if (absl::EndsWith(path, ".json")) {
    if (absl::StrContains(path, "caleg/partai/") && AllDigits(stem)) {
      return ReferenceSource{ReferenceSource::Kind::kCandidates, "", stem};
    }
    if (absl::StrContains(path, "caleg/dpd/") && AllDigits(stem)) {
      return ReferenceSource{ReferenceSource::Kind::kDpdCandidates, "pdpd",
                             stem};
    }
    if (stem == "partai") {
      return ReferenceSource{ReferenceSource::Kind::kParties, "", ""};
    }
    if (stem == "dapil_dpr") {
      return ReferenceSource{ReferenceSource::Kind::kDapilList, "pdpr", ""};
    }
    for (const char* race : {"pdprdp", "pdprdk"}) {
      if (absl::StrContains(path, absl::StrCat("pemilu/", race, "/")) &&
          AllDigits(stem)) {
        return ReferenceSource{ReferenceSource::Kind::kDapilList, race, stem};
      }
    }
  }
  return Invalid(absl::StrCat(
      "\"", path,
      "\" is no known reference file (partai.json, dapil_dpr.json, "
      "pdprdp/{prov}.json, pdprdk/{prov}/{kab}.json, "
      "caleg/partai/{kode_dapil}.json, caleg/dpd/{prov}.json or a .csv map)"));
}

absl::StatusOr<std::vector<v1::Party>> ParseParties(absl::string_view text) {
  ASSIGN_OR_RETURN(Json json, ParseJson(text));
  if (!json.is_object()) return Invalid("the party list is not an object");
  std::vector<v1::Party> parties;
  std::set<int64_t> ballot_numbers;
  for (const auto& [key, value] : json.items()) {
    ASSIGN_OR_RETURN(int64_t id, IdKey(key, "party id"));
    const std::string where = absl::StrCat("party ", key);
    if (!value.is_object()) return Invalid(where + " is not an object");
    if (value.contains("id_partai")) {
      ASSIGN_OR_RETURN(int64_t inner,
                       RequiredNumber(value, "id_partai", where));
      if (inner != id) {
        return Invalid(absl::StrCat(where, ": id_partai says ", inner));
      }
    }
    v1::Party party;
    party.set_id(static_cast<int32_t>(id));
    ASSIGN_OR_RETURN(int64_t number,
                     RequiredNumber(value, "nomor_urut", where));
    if (number < 1 || !ballot_numbers.insert(number).second) {
      return Invalid(absl::StrCat(where, ": nomor_urut ", number,
                                  " is not a free ballot number"));
    }
    party.set_ballot_number(static_cast<int32_t>(number));
    party.set_name(Text(value, "nama"));
    if (party.name().empty()) return Invalid(where + ": \"nama\" is missing");
    party.set_full_name(Text(value, "nama_lengkap"));
    party.set_color(Text(value, "warna"));
    if (auto aceh = value.find("is_aceh"); aceh != value.end()) {
      if (aceh->is_boolean()) {
        party.set_aceh_only(aceh->get<bool>());
      } else if (!aceh->is_null()) {
        return Invalid(where + ": is_aceh is not true or false");
      }
    }
    if (value.contains("id_pilihan") && !value["id_pilihan"].is_null()) {
      ASSIGN_OR_RETURN(int64_t choice,
                       RequiredNumber(value, "id_pilihan", where));
      party.set_choice_id(choice);
    }
    parties.push_back(std::move(party));
  }
  if (parties.empty()) return Invalid("the party list is empty");
  std::sort(
      parties.begin(), parties.end(),
      [](const v1::Party& a, const v1::Party& b) { return a.id() < b.id(); });
  return parties;
}

absl::StatusOr<std::vector<v1::Dapil>> ParseDapilList(absl::string_view race,
                                                      absl::string_view text) {
  if (!IsLegislativeRace(race)) {
    return Invalid(absl::StrCat("\"", race, "\" is not a legislative race"));
  }
  ASSIGN_OR_RETURN(Json json, ParseJson(text));
  if (!json.is_array()) return Invalid("the dapil list is not an array");
  std::vector<v1::Dapil> list;
  std::set<std::string> codes;
  for (size_t i = 0; i < json.size(); ++i) {
    const Json& item = json[i];
    const std::string where = absl::StrCat("dapil #", i + 1);
    if (!item.is_object()) return Invalid(where + " is not an object");
    v1::Dapil dapil;
    dapil.set_race(std::string(race));
    std::string code = Text(item, "kode_dapil");
    if (code.empty()) code = Text(item, "kode");
    if (code.empty()) {
      for (const char* key : {"kode_dapil", "kode"}) {
        if (item.contains(key) && item[key].is_number_unsigned()) {
          code = std::to_string(item[key].get<uint64_t>());
        }
      }
    }
    if (!AllDigits(code)) {
      return Invalid(absl::StrCat(where, ": kode_dapil \"", code,
                                  "\" is not a code of digits"));
    }
    if (!codes.insert(code).second) {
      return Invalid(absl::StrCat("dapil ", code, " is listed twice"));
    }
    dapil.set_code(code);
    dapil.set_name(Text(item, "nama_dapil"));
    if (dapil.name().empty()) dapil.set_name(Text(item, "nama"));
    if (dapil.name().empty()) {
      return Invalid(absl::StrCat("dapil ", code, ": its name is missing"));
    }
    for (const char* key : {"id_dapil", "id"}) {
      if (item.contains(key) && !item[key].is_null()) {
        ASSIGN_OR_RETURN(int64_t id, Number(item[key], where + " id"));
        dapil.set_kpu_id(id);
        break;
      }
    }
    list.push_back(std::move(dapil));
  }
  return list;
}

absl::StatusOr<v1::Ballot> ParseCandidates(absl::string_view dapil,
                                           absl::string_view text) {
  ASSIGN_OR_RETURN(Json json, ParseJson(text));
  if (!json.is_object()) return Invalid("the candidate list is not an object");
  v1::Ballot ballot;
  ballot.set_dapil(std::string(dapil));
  std::set<std::string> seen;
  std::vector<std::pair<int64_t, const Json*>> parties;
  for (const auto& [key, value] : json.items()) {
    ASSIGN_OR_RETURN(int64_t party, IdKey(key, "party id"));
    parties.emplace_back(party, &value);
  }
  std::sort(parties.begin(), parties.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [party, value] : parties) {
    v1::Ballot::PartyList* list = ballot.add_parties();
    list->set_party_id(static_cast<int32_t>(party));
    RETURN_IF_ERROR(
        ParseCandidateList(*value, absl::StrCat("party ", party), list));
    for (const v1::Candidate& candidate : list->candidates()) {
      if (!seen.insert(candidate.id()).second) {
        return Invalid(absl::StrCat("candidate ", candidate.id(),
                                    " is listed under two parties"));
      }
    }
  }
  if (ballot.parties().empty()) return Invalid("the candidate list is empty");
  return ballot;
}

absl::StatusOr<v1::Ballot> ParseDpdCandidates(absl::string_view province,
                                              absl::string_view text) {
  absl::StatusOr<RegionCode> code =
      RegionCode::ParseAt(province, v1::REGION_LEVEL_PROVINCE);
  if (!code.ok()) {
    return Invalid(absl::StrCat("DPD candidates of \"", province,
                                "\": not a province code"));
  }
  ASSIGN_OR_RETURN(Json json, ParseJson(text));
  v1::Ballot ballot;
  ballot.set_race("pdpd");
  ballot.set_dapil(std::string(province));
  v1::Ballot::PartyList* list = ballot.add_parties();
  RETURN_IF_ERROR(ParseCandidateList(json, "the DPD list", list));
  if (list->candidates().empty()) return Invalid("the DPD list is empty");
  return ballot;
}

absl::StatusOr<DapilMap> ParseDapilMap(absl::string_view text) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  uint32_t line = 0;
  std::string error;
  if (!reader.Next(&fields, &line, &error) || !error.empty() ||
      fields != std::vector<std::string>{"race", "kode_dapil", "wilayah"}) {
    return Invalid(
        "a dapil map starts with the header \"race,kode_dapil,wilayah\"");
  }
  DapilMap map;
  std::set<std::pair<std::string, std::string>> seen;
  while (reader.Next(&fields, &line, &error)) {
    auto refuse = [&](absl::string_view reason) {
      map.refused.push_back(absl::StrCat("line ", line, ": ", reason));
    };
    if (!error.empty()) {
      refuse(error);
      continue;
    }
    if (fields.size() != 3) {
      refuse(absl::StrCat(fields.size(), " fields, not 3"));
      continue;
    }
    DapilArea area{fields[0], fields[1], fields[2], line};
    if (!IsLegislativeRace(area.race)) {
      refuse(absl::StrCat("\"", area.race, "\" is not a legislative race"));
    } else if (!AllDigits(area.dapil)) {
      refuse(absl::StrCat("kode_dapil \"", area.dapil,
                          "\" is not a code of digits"));
    } else if (absl::Status parsed = RegionCode::Parse(area.region).status();
               !parsed.ok() || area.region.empty()) {
      refuse(absl::StrCat("wilayah \"", area.region,
                          "\" is not a region or TPS code"));
    } else if (!seen.emplace(area.race, area.region).second) {
      refuse(absl::StrCat(area.region, " is mapped twice in ", area.race));
    } else {
      map.areas.push_back(std::move(area));
    }
  }
  return map;
}

}  // namespace c1tally
