// The legislative reference data end to end over a real RocksDB with the
// fixture tree: KPU's shapes (parties, dapil lists, candidates per dapil,
// DPD per province) and our TPS -> dapil map imported together; ballots in
// ballot order; the deepest mapped region wins; bad files, codes and rows
// refused or reported with the reason while the rest lands; a candidate in
// two dapil; dapil without TPS; history of a changed list.
#include "storage/reference/reference_importer.h"

#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keys.h"
#include "storage/reference/reference_store.h"
#include "tests/test_support.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A fixture file's text by its path (testing::FixtureReferenceFiles).
std::string Fixture(const std::string& path) {
  for (const auto& [name, text] : testing::FixtureReferenceFiles()) {
    if (name == path) return text;
  }
  ADD_FAILURE() << "no fixture " << path;
  return "";
}

const std::string kParties = Fixture("pemilu/partai.json");
const std::string kDprDapil = Fixture("wilayah/pemilu/pdpr/dapil_dpr.json");
const std::string kAcehICandidates = Fixture("pemilu/caleg/partai/1101.json");
const std::string kMap = Fixture("map/dapil.csv");

class ReferenceImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::OpenDatabase(dir_.Sub("db"));
    testing::ImportFixtureTree(db_.get(), dir_);
  }

  ReferenceReport Import(
      const std::vector<std::pair<std::string, std::string>>& files,
      absl::Time at = absl::FromUnixSeconds(1707000000)) {
    ReferenceImporter importer(db_.get(), at);
    for (const auto& [path, text] : files) importer.AddText(path, text);
    absl::StatusOr<ReferenceReport> report = importer.Commit();
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : ReferenceReport();
  }

  ReferenceReport ImportAll() {
    return Import(testing::FixtureReferenceFiles());
  }

  std::string DapilOf(const std::string& race, const std::string& code) {
    ReferenceStore store(db_.get());
    absl::StatusOr<std::string> dapil =
        store.DapilOf(race, *RegionCode::Parse(code));
    return dapil.ok() ? *dapil : std::string(dapil.status().message());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

std::vector<std::string> CandidateIds(const v1::Ballot& ballot) {
  std::vector<std::string> ids;
  for (const auto& list : ballot.parties()) {
    for (const auto& candidate : list.candidates()) {
      ids.push_back(absl::StrCat(list.party_id(), ":", candidate.id()));
    }
  }
  return ids;
}

TEST_F(ReferenceImporterTest, ImportsEveryShapeTogether) {
  const ReferenceReport report = ImportAll();
  EXPECT_THAT(report.refused, IsEmpty());
  EXPECT_THAT(report.unplaced, IsEmpty());
  EXPECT_EQ(report.counts.at("parties").written, 4);
  EXPECT_EQ(report.counts.at("dapil").written, 4 + 1 + 1);  // DPR, DPRD, DPD
  EXPECT_EQ(report.counts.at("ballots").written, 3);
  EXPECT_EQ(report.counts.at("candidates").written, 4 + 1 + 2);
  EXPECT_EQ(report.counts.at("areas").written, 4);
  EXPECT_FALSE(report.HasErrors());

  ReferenceStore store(db_.get());
  absl::StatusOr<v1::Party> pkb = store.GetParty(1);
  ASSERT_TRUE(pkb.ok()) << pkb.status();
  EXPECT_EQ(pkb->full_name(), "Partai Kebangkitan Bangsa");
  EXPECT_EQ(pkb->color(), "#00A651");
  EXPECT_EQ(pkb->choice_id(), 900001);
  EXPECT_TRUE(store.GetParty(18)->aceh_only());

  // Parties by their ballot number (PKB 1, Gerindra 2, Ummat 3), each
  // party's candidates by theirs.
  absl::StatusOr<v1::Ballot> aceh = store.GetBallot("pdpr", "1101");
  ASSERT_TRUE(aceh.ok()) << aceh.status();
  EXPECT_EQ(aceh->race(), "pdpr");
  EXPECT_THAT(CandidateIds(*aceh),
              ElementsAre("1:100281", "1:100282", "2:100291", "24:100301"));
  EXPECT_EQ(aceh->parties(2).candidates(0).residence(), "BANDA ACEH");
  absl::StatusOr<v1::Ballot> dpd = store.GetBallot("pdpd", "11");
  ASSERT_TRUE(dpd.ok()) << dpd.status();
  EXPECT_THAT(CandidateIds(*dpd), ElementsAre("0:500001", "0:500002"));
  EXPECT_EQ(store.GetDapil("pdpd", "11")->name(), "ACEH");
  EXPECT_EQ(*store.DapilOfCandidate("pdpr", "100291"), "1101");

  // The deepest mapped region wins; DPD's dapil is the province.
  EXPECT_EQ(DapilOf("pdpr", "1101012001001"), "1101");
  EXPECT_EQ(DapilOf("pdpr", "1101022001901"), "1102");
  EXPECT_EQ(DapilOf("pdpr", "110102"), "1102");
  EXPECT_EQ(DapilOf("pdpr", "3101011001004"), "3101");
  EXPECT_EQ(DapilOf("pdprdp", "1101012002001"), "110001");
  EXPECT_EQ(DapilOf("pdpd", "1101012002001"), "11");
  EXPECT_THAT(DapilOf("pdprdp", "3101011001001"), HasSubstr("in no pdprdp"));
  EXPECT_THAT(DapilOf("pdpd", "3101011001001"), HasSubstr("no DPD ballot"));
  EXPECT_THAT(DapilOf("pdprdk", "3101011001001"), HasSubstr("in no pdprdk"));

  // Coverage: ACEH III has no region; DKI's 4 TPS lack a DPRD-provinsi and a
  // DPD dapil.
  EXPECT_THAT(report.dapil_without_tps, ElementsAre("pdpr 1103 (ACEH III)"));
  EXPECT_EQ(report.tps_without_dapil.at("pdpr"), 0);
  EXPECT_EQ(report.tps_without_dapil.at("pdprdp"), 4);
  EXPECT_EQ(report.tps_without_dapil.at("pdpd"), 4);
  EXPECT_THAT(report.ToString(),
              HasSubstr("dapil without TPS: pdpr 1103 (ACEH III)"));
  EXPECT_THAT(report.ToString(), HasSubstr(" pdprdp_tps_without_dapil=4"));
}

TEST_F(ReferenceImporterTest, BadFilesAndRowsAreRefusedTheRestLands) {
  const ReferenceReport report = Import({
      {"pemilu/partai.json", kParties},
      {"wilayah/pemilu/pdpr/dapil_dpr.json", kDprDapil},
      {"pemilu/caleg/partai/3101.json", "{not json"},
      {"pemilu/caleg/partai/1101.json",
       R"({"PKB": {"100281": {"nama": "A", "nomor_urut": 1}}})"},
      {"pemilu/caleg/partai/1102.json",
       R"({"9": {"100401": {"nama": "X", "nomor_urut": 1}}})"},
      {"pemilu/caleg/partai/1199.json",
       R"({"1": {"100501": {"nama": "Y", "nomor_urut": 1}}})"},
      {"pemilu/caleg/dpd/77.json",
       R"({"500001": {"nama": "Z", "nomor_urut": 1}})"},
      {"pemilu/caleg/partai/1103.json",
       R"({"1": {"100601": {"nama": "P", "nomor_urut": 1},
                 "100602": {"nama": "Q", "nomor_urut": 1}}})"},
      {"somewhere/else.json", "{}"},
      {"map/dapil.csv",
       "race,kode_dapil,wilayah\n"
       "pdpr,1101,11\n"
       "pdpr,1101,1101019999\n"     // not in the tree: unplaced
       "pdpr,1101,3101011001099\n"  // a TPS the tree lacks: unplaced
       "pdpr,9999,31\n"             // unknown dapil
       "presiden,1101,31\n"         // not a race
       "pdpr,1101,12x\n"            // not a code
       "pdpr,1101,11\n"             // twice
       "pdpd,11,11\n"               // DPD needs no map
       "pdpr,3101\n"},              // short row
  });
  auto refused = [&](const std::string& needle) {
    for (const std::string& line : report.refused) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(refused("3101.json: not valid JSON"));
  EXPECT_TRUE(refused("1101.json: party id \"PKB\" is not a number"));
  EXPECT_TRUE(refused("1102.json: party 9 is not in the party list"));
  EXPECT_TRUE(refused("1199.json: no dapil list names dapil 1199"));
  EXPECT_TRUE(refused("77.json: province 77 is not in the region tree"));
  EXPECT_TRUE(refused("share ballot number 1"));
  EXPECT_TRUE(
      refused("somewhere/else.json: \"somewhere/else.json\" is no "
              "known reference file"));
  EXPECT_TRUE(refused("line 5: dapil 9999 is in no pdpr dapil list"));
  EXPECT_TRUE(refused("line 6: \"presiden\" is not a legislative race"));
  EXPECT_TRUE(refused("line 7: wilayah \"12x\" is not a region or TPS code"));
  EXPECT_TRUE(refused("line 8: 11 is mapped twice in pdpr"));
  EXPECT_TRUE(refused("line 9: DPD needs no map"));
  EXPECT_TRUE(refused("line 10: 2 fields, not 3"));
  EXPECT_EQ(report.refused.size(), 13u) << report.ToString();
  EXPECT_THAT(report.unplaced,
              ElementsAre("map/dapil.csv line 3: pdpr 1101 1101019999",
                          "map/dapil.csv line 4: pdpr 1101 3101011001099"));
  EXPECT_TRUE(report.HasErrors());

  // What was sound landed: the parties, the dapil list, the one good row.
  ReferenceStore store(db_.get());
  EXPECT_EQ(store.ListParties()->size(), 4u);
  EXPECT_EQ(store.ListDapil("pdpr")->size(), 4u);
  EXPECT_EQ(DapilOf("pdpr", "1101012001001"), "1101");
  EXPECT_TRUE(absl::IsNotFound(store.GetBallot("pdpr", "1101").status()));
  EXPECT_TRUE(absl::IsNotFound(store.GetBallot("pdpd", "77").status()));
}

TEST_F(ReferenceImporterTest, ACandidateStandsInOneDapilOnly) {
  ImportAll();
  // 100281 already stands in ACEH I; ACEH II's list naming them is refused.
  const ReferenceReport second = Import({
      {"pemilu/caleg/partai/1102.json",
       R"({"1": {"100281": {"nama": "A. SATU", "nomor_urut": 1}},
           "2": {"100701": {"nama": "F", "nomor_urut": 1}}})"},
  });
  ASSERT_EQ(second.refused.size(), 1u);
  EXPECT_THAT(second.refused[0],
              HasSubstr("candidate 100281 (A. SATU) already stands in pdpr "
                        "dapil 1101"));
  ReferenceStore store(db_.get());
  EXPECT_TRUE(absl::IsNotFound(store.GetBallot("pdpr", "1102").status()));
  EXPECT_EQ(*store.DapilOfCandidate("pdpr", "100281"), "1101");
  EXPECT_TRUE(
      absl::IsNotFound(store.DapilOfCandidate("pdpr", "100701").status()));

  // Within one import too: the second list naming a candidate is refused.
  const ReferenceReport together = Import({
      {"pemilu/caleg/partai/1102.json",
       R"({"1": {"100801": {"nama": "G", "nomor_urut": 1}}})"},
      {"pemilu/caleg/partai/1103.json",
       R"({"2": {"100801": {"nama": "G", "nomor_urut": 1}}})"},
  });
  ASSERT_EQ(together.refused.size(), 1u);
  EXPECT_THAT(together.refused[0], HasSubstr("1103.json: candidate 100801"));
  EXPECT_EQ(*store.DapilOfCandidate("pdpr", "100801"), "1102");

  // Moving a candidate is a re-import of both lists: the old one drops them.
  const ReferenceReport moved = Import({
      {"pemilu/caleg/partai/1101.json",
       R"({"2": {"100291": {"nama": "B. SATU", "nomor_urut": 1}}})"},
      {"pemilu/caleg/partai/1103.json",
       R"({"1": {"100281": {"nama": "A. SATU", "nomor_urut": 1}}})"},
  });
  EXPECT_THAT(moved.refused, IsEmpty());
  EXPECT_EQ(*store.DapilOfCandidate("pdpr", "100281"), "1103");
  EXPECT_TRUE(
      absl::IsNotFound(store.DapilOfCandidate("pdpr", "100282").status()));
}

TEST_F(ReferenceImporterTest, ARaceIsClearOrTheListIsRefused) {
  // DPRD-provinsi with a dapil code DPR already uses: a candidate list for
  // that code cannot say which race it is for.
  Import({{"pemilu/partai.json", kParties},
          {"wilayah/pemilu/pdpr/dapil_dpr.json", kDprDapil},
          {"wilayah/pemilu/pdprdp/11.json",
           R"([{"id_dapil": 1, "kode_dapil": "1101", "nama_dapil": "X"}])"}});
  const ReferenceReport report =
      Import({{"pemilu/caleg/partai/1101.json", kAcehICandidates}});
  ASSERT_EQ(report.refused.size(), 1u);
  EXPECT_THAT(report.refused[0],
              HasSubstr("named by the lists of pdpr and pdprdp"));
}

TEST_F(ReferenceImporterTest, ReimportsKeepWhatTheyReplaced) {
  const absl::Time first = absl::FromUnixSeconds(1707000000);
  const absl::Time second = first + absl::Hours(24);
  ImportAll();
  // The same files again: nothing written.
  const ReferenceReport same =
      Import({{"pemilu/partai.json", kParties},
              {"pemilu/caleg/partai/1101.json", kAcehICandidates},
              {"map/dapil.csv", kMap}},
             second);
  EXPECT_EQ(same.counts.at("parties").written, 0);
  EXPECT_EQ(same.counts.at("parties").unchanged, 4);
  EXPECT_EQ(same.counts.at("ballots").unchanged, 1);
  EXPECT_EQ(same.counts.at("candidates").unchanged, 4);
  EXPECT_EQ(same.counts.at("areas").unchanged, 4);

  // A changed list replaces the stored one and keeps it in the history.
  const ReferenceReport changed =
      Import({{"pemilu/caleg/partai/1101.json",
               R"({"1": {"100281": {"nama": "A. SATU", "nomor_urut": 1}}})"}},
             second);
  EXPECT_EQ(changed.counts.at("ballots").written, 1);
  ReferenceStore store(db_.get());
  EXPECT_THAT(CandidateIds(*store.GetBallot("pdpr", "1101")),
              ElementsAre("1:100281"));
  absl::StatusOr<std::vector<ReferenceStore::Version>> history =
      store.History(keys::ReferenceBallot("pdpr", "1101"));
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].replaced_at, first);
  EXPECT_EQ((*history)[0].value, "");  // there was none before
  EXPECT_EQ((*history)[1].replaced_at, second);
  v1::Ballot before;
  ASSERT_TRUE(before.ParseFromString((*history)[1].value));
  EXPECT_THAT(CandidateIds(before),
              ElementsAre("1:100281", "1:100282", "2:100291", "24:100301"));
  // The dropped candidates stand nowhere now.
  EXPECT_TRUE(
      absl::IsNotFound(store.DapilOfCandidate("pdpr", "100301").status()));
}

TEST_F(ReferenceImporterTest, TheCommandWritesNothingWhenAFileIsUnreadable) {
  db_.reset();  // c1ctl opens the directory itself
  const std::string parties = dir_.Sub("pemilu/partai.json");
  const std::string dapil = dir_.Sub("dapil_dpr.json");
  const std::string map = dir_.Sub("dapil.csv");
  std::filesystem::create_directories(dir_.Sub("pemilu"));
  testing::WriteFile(parties, kParties);
  testing::WriteFile(dapil, kDprDapil);
  testing::WriteFile(map,
                     "race,kode_dapil,wilayah\npdpr,1101,11\n"
                     "pdpr,1101,1101019999\n");
  const std::string data = absl::StrCat("--data=", dir_.Sub("db"));
  const std::string c1ctl = testing::BinaryPath("c1ctl");

  testing::ProgramResult missing = testing::RunProgram(
      {c1ctl, "reference", "import", parties, dir_.Sub("nope.json"), data});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("nope.json"));
  testing::ProgramResult none = testing::RunProgram(
      {c1ctl, "reference", "dapil", "pdpr", "1101012001001", data});
  EXPECT_EQ(none.exit_code, 1) << none.output;  // nothing was written

  // With an unplaced row: written but for it, exit 3, the row named.
  testing::ProgramResult some = testing::RunProgram(
      {c1ctl, "reference", "import", parties, dapil, map, data});
  EXPECT_EQ(some.exit_code, 3) << some.output;
  EXPECT_THAT(some.output,
              HasSubstr("unplaced " + map + " line 3: pdpr 1101 1101019999"));
  EXPECT_THAT(some.output, HasSubstr("reference: areas_written=1"));
  testing::ProgramResult found = testing::RunProgram(
      {c1ctl, "reference", "dapil", "pdpr", "1101012001001", data});
  EXPECT_EQ(found.exit_code, 0) << found.output;
  EXPECT_THAT(found.output, HasSubstr("\"name\": \"ACEH I\""));
  testing::ProgramResult bad =
      testing::RunProgram({c1ctl, "reference", "dapil", "pdpr", "11x", data});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
}

}  // namespace
}  // namespace c1tally
