#include "storage/reference/synthetic_reference.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"
#include "storage/reference/reference_importer.h"
#include "storage/reference/reference_store.h"
#include "storage/status_macros.h"
#include "storage/synthetic_random.h"

namespace c1tally {
namespace {

using Json = nlohmann::json;

// The national parties of 2024: KPU's id (= ballot number) and short name.
struct PartyFact {
  int id;
  const char* name;
};
constexpr PartyFact kParties[] = {
    {1, "PKB"},    {2, "GERINDRA"},  {3, "PDIP"},    {4, "GOLKAR"},
    {5, "NASDEM"}, {6, "BURUH"},     {7, "GELORA"},  {8, "PKS"},
    {9, "PKN"},    {10, "HANURA"},   {11, "GARUDA"}, {12, "PAN"},
    {13, "PBB"},   {14, "DEMOKRAT"}, {15, "PSI"},    {16, "PERINDO"},
    {17, "PPP"},   {24, "UMMAT"}};

constexpr const char* kGivenNames[] = {
    "AHMAD",  "BUDI",  "CITRA", "DEWI",    "EKO",     "FITRI",    "GUNAWAN",
    "HENDRA", "INDAH", "JOKO",  "KARTIKA", "LESTARI", "MUHAMMAD", "NUR",
    "PUTRI",  "RINA",  "SITI",  "TAUFIK",  "WAHYU",   "YULIA"};
constexpr const char* kFamilyNames[] = {
    "HARAHAP", "LUBIS",    "NASUTION", "SIREGAR",   "SIMANJUNTAK", "WIJAYA",
    "SANTOSO", "HIDAYAT",  "SAPUTRA",  "KURNIAWAN", "PRATAMA",     "SETIAWAN",
    "RAHMAN",  "SUTRISNO", "HALIM",    "PANJAITAN"};

// The first id of each race's candidates: ids are unique within a race.
int64_t FirstCandidateId(const std::string& race) {
  if (race == "pdpr") return 10000000;
  if (race == "pdprdp") return 20000000;
  if (race == "pdprdk") return 30000000;
  return 40000000;  // pdpd
}

struct Region {
  std::string code;
  std::string name;
};

// The provinces, kabupaten and kecamatan of the tree, each in code order.
struct Regions {
  std::vector<Region> provinces;
  std::map<std::string, std::vector<Region>> kabupaten;  // by province
  std::map<std::string, std::vector<Region>> kecamatan;  // by kabupaten
};

absl::StatusOr<Regions> ReadRegions(const RegionTree& tree) {
  Regions regions;
  RETURN_IF_ERROR(tree.ForEachRegion([&](const v1::Region& region) {
    Region item{region.code(), region.name()};
    switch (region.level()) {
      case v1::REGION_LEVEL_PROVINCE:
        regions.provinces.push_back(std::move(item));
        break;
      case v1::REGION_LEVEL_KABUPATEN:
        regions.kabupaten[region.code().substr(0, 2)].push_back(
            std::move(item));
        break;
      case v1::REGION_LEVEL_KECAMATAN:
        regions.kecamatan[region.code().substr(0, 4)].push_back(
            std::move(item));
        break;
      default:
        break;
    }
    return absl::OkStatus();
  }));
  if (regions.provinces.empty()) {
    return absl::FailedPreconditionError(
        "the region tree is empty: import or generate regions first");
  }
  return regions;
}

// Writes the files as it goes.
class Writer {
 public:
  explicit Writer(const SyntheticReferenceOptions& options)
      : options_(options), random_(options.seed) {}

  std::vector<std::pair<std::string, std::string>> Write(
      const Regions& regions);

 private:
  // A dapil of `race` named `name` covering `areas`; adds it to the list,
  // the map and writes its candidates.
  void AddDapil(const std::string& race, const std::string& code,
                const std::string& name, const std::vector<Region>& areas);
  std::string CandidateName();
  Json Candidates(const std::string& race, int count);
  // `regions` in consecutive groups of about `size`.
  static std::vector<std::vector<Region>> Groups(
      const std::vector<Region>& regions, int size);

  const SyntheticReferenceOptions& options_;
  SyntheticRandom random_;
  std::map<std::string, int64_t> next_candidate_;
  std::map<std::string, Json> dapil_lists_;  // by path
  std::string map_ = "race,kode_dapil,wilayah\n";
  std::vector<std::pair<std::string, std::string>> files_;
};

std::vector<std::vector<Region>> Writer::Groups(
    const std::vector<Region>& regions, int size) {
  const size_t groups =
      std::max<size_t>(1, (regions.size() + size / 2) / std::max(1, size));
  std::vector<std::vector<Region>> out(groups);
  for (size_t i = 0; i < regions.size(); ++i) {
    out[i * groups / regions.size()].push_back(regions[i]);
  }
  return out;
}

std::string Writer::CandidateName() {
  return absl::StrCat(random_.Pick(kGivenNames), " ",
                      random_.Pick(kFamilyNames));
}

Json Writer::Candidates(const std::string& race, int count) {
  Json list = Json::object();
  int64_t& next =
      next_candidate_.try_emplace(race, FirstCandidateId(race)).first->second;
  for (int number = 1; number <= count; ++number) {
    list[absl::StrCat(next++)] = {
        {"nama", CandidateName()},
        {"nomor_urut", number},
        {"jenis_kelamin", random_.Chance(0.35) ? "P" : "L"}};
  }
  return list;
}

void Writer::AddDapil(const std::string& race, const std::string& code,
                      const std::string& name,
                      const std::vector<Region>& areas) {
  const std::string list_path =
      race == "pdpr" ? "wilayah/pemilu/pdpr/dapil_dpr.json"
      : race == "pdprdp"
          ? absl::StrCat("wilayah/pemilu/pdprdp/", code.substr(0, 2), ".json")
          : absl::StrCat("wilayah/pemilu/pdprdk/", code.substr(0, 2), "/",
                         code.substr(2, 2), ".json");
  Json& list = dapil_lists_[list_path];
  if (list.is_null()) list = Json::array();
  list.push_back({{"id_dapil", list.size() + 1},
                  {"kode_dapil", code},
                  {"nama_dapil", name}});
  for (const Region& area : areas) {
    absl::StrAppend(&map_, race, ",", code, ",", area.code, "\n");
  }
  Json ballot = Json::object();
  for (const PartyFact& party : kParties) {
    ballot[absl::StrCat(party.id)] =
        Candidates(race, 3 + static_cast<int>(random_.Below(8)));
  }
  files_.emplace_back(absl::StrCat("pemilu/caleg/partai/", code, ".json"),
                      ballot.dump());
}

std::vector<std::pair<std::string, std::string>> Writer::Write(
    const Regions& regions) {
  Json parties = Json::object();
  for (const PartyFact& party : kParties) {
    parties[absl::StrCat(party.id)] = {{"id_partai", party.id},
                                       {"nomor_urut", party.id},
                                       {"nama", party.name},
                                       {"is_aceh", false}};
  }
  files_.emplace_back("pemilu/partai.json", parties.dump());

  std::string overseas_dapil;
  std::string last_jakarta_dapil;
  for (const Region& province : regions.provinces) {
    if (province.code == "99") continue;
    auto kabupaten = regions.kabupaten.find(province.code);
    if (kabupaten == regions.kabupaten.end()) continue;
    int n = 0;
    for (const std::vector<Region>& group :
         Groups(kabupaten->second, options_.kabupaten_per_dpr_dapil)) {
      ++n;
      const std::string code = absl::StrFormat("%s%02d", province.code, n);
      AddDapil("pdpr", code, absl::StrCat(province.name, " ", n), group);
      if (province.code == "31") last_jakarta_dapil = code;
    }
    n = 0;
    for (const std::vector<Region>& group :
         Groups(kabupaten->second, options_.kabupaten_per_province_dapil)) {
      ++n;
      AddDapil("pdprdp", absl::StrFormat("%s00%02d", province.code, n),
               absl::StrCat(province.name, " ", n), group);
    }
    for (const Region& kab : kabupaten->second) {
      auto kecamatan = regions.kecamatan.find(kab.code);
      if (kecamatan == regions.kecamatan.end()) continue;
      n = 0;
      for (const std::vector<Region>& group :
           Groups(kecamatan->second, options_.kecamatan_per_kabupaten_dapil)) {
        ++n;
        AddDapil("pdprdk", absl::StrFormat("%s%02d", kab.code, n),
                 absl::StrCat(kab.name, " ", n), group);
      }
    }
    Json dpd = Candidates("pdpd", 8 + static_cast<int>(random_.Below(20)));
    files_.emplace_back(
        absl::StrCat("pemilu/caleg/dpd/", province.code, ".json"), dpd.dump());
  }
  for (const Region& province : regions.provinces) {
    if (province.code != "99") continue;
    if (last_jakarta_dapil.empty()) {
      AddDapil("pdpr", "9901", province.name, {province});
    } else {
      absl::StrAppend(&map_, "pdpr,", last_jakarta_dapil, ",99\n");
    }
  }
  for (auto& [path, list] : dapil_lists_) {
    files_.emplace_back(path, list.dump());
  }
  files_.emplace_back("map/dapil.csv", map_);
  return std::move(files_);
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
SyntheticReferenceFiles(const RegionTree& tree,
                        const SyntheticReferenceOptions& options) {
  ASSIGN_OR_RETURN(Regions regions, ReadRegions(tree));
  return Writer(options).Write(regions);
}

absl::StatusOr<ReferenceReport> GenerateSyntheticReference(
    Database* db, const SyntheticReferenceOptions& options,
    absl::Time import_time) {
  ASSIGN_OR_RETURN(std::vector<v1::Party> parties,
                   ReferenceStore(db).ListParties());
  if (!parties.empty()) {
    return absl::FailedPreconditionError(
        "the database holds reference data already; synthetic reference "
        "data goes only into a database without");
  }
  RegionTree tree(db);
  ASSIGN_OR_RETURN(auto files, SyntheticReferenceFiles(tree, options));
  ReferenceImporter importer(db, import_time);
  for (const auto& [path, text] : files) importer.AddText(path, text);
  ASSIGN_OR_RETURN(ReferenceReport report, importer.Commit());
  if (report.HasErrors()) {
    return absl::InternalError(absl::StrCat(
        "the synthetic reference data was refused: ", report.ToString()));
  }
  return report;
}

}  // namespace c1tally
