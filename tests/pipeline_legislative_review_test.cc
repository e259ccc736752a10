// People read legislative photos whole, on a real database with the
// fixture tree and reference data: an uploaded DPR photo goes straight to
// people (no OCR lease), its task lists the sheets of the TPS's dapil with
// the ballot's labels, a volunteer picks race and sheet and types it blind
// and twice; a disagreement takes a third person, then a moderator; once
// page 1 and every party's sheet are settled the TPS's DPR result is
// published and checked per party and across parties.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/photo_recovery.h"
#include "storage/reference/ballot_sheets.h"
#include "tests/photo_pipeline_test_support.h"

namespace c1tally {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A TPS of ACEH I (fixture reference: PKB with 100281 and 100282, Gerindra
// with 100291, Ummat with 100301).
constexpr char kTps[] = "1101012001001";

using Values = std::map<std::string, int64_t>;

class LegislativeReviewTest : public testing::PhotoPipelineTest {
 protected:
  void SetUp() override {
    PhotoPipelineTest::SetUp();
    testing::ImportFixtureReference(db_.get());
  }

  // Uploads a DPR photo and hands it to people as the ingest service does.
  std::string UploadDpr(const std::string& photo) {
    const std::string name = Upload(photo, kTps, "pdpr");
    absl::StatusOr<v1::Submission> handed = photos_->HandToPeople(name);
    EXPECT_TRUE(handed.ok()) << handed.status();
    return name;
  }

  static v1::ReviewEntry Sheet(const v1::ReviewTask& task, int page, int party,
                               const Values& values,
                               const std::string& race = "") {
    v1::ReviewEntry entry;
    entry.set_task(task.name());
    entry.set_verdict(v1::ReviewEntry::VERDICT_VALUE);
    entry.set_page(page);
    entry.set_party(party);
    entry.set_form_kind(race);
    for (const auto& [field, value] : values) {
      (*entry.mutable_values())[field] = value;
    }
    return entry;
  }

  // `volunteer` claims the next task and types `values` as the sheet.
  v1::ReviewTask ClaimAndType(const std::string& volunteer, int page, int party,
                              const Values& values) {
    absl::StatusOr<v1::ReviewTask> task = reviews_->Claim(volunteer);
    EXPECT_TRUE(task.ok()) << volunteer << ": " << task.status();
    if (!task.ok()) return {};
    absl::StatusOr<v1::ReviewTask> entered = photos_->Enter(
        volunteer, task->lease_id(), Sheet(*task, page, party, values));
    EXPECT_TRUE(entered.ok()) << entered.status();
    return entered.ok() ? *entered : v1::ReviewTask();
  }

  // Two volunteers type each sheet of `sheets` (page, party, values), one
  // photo per sheet.
  void TypeWhole(const std::vector<std::tuple<int, int, Values>>& sheets) {
    for (const auto& [page, party, values] : sheets) {
      UploadDpr(absl::StrCat("dpr-sheet-", photos_uploaded_++));
      EXPECT_EQ(ClaimAndType("ani", page, party, values).state(),
                v1::ReviewTask::STATE_OPEN);
      EXPECT_EQ(ClaimAndType("budi", page, party, values).state(),
                v1::ReviewTask::STATE_VERIFIED);
    }
  }

  int photos_uploaded_ = 0;

  absl::StatusOr<v1::TpsResult> DprResult() {
    return tally_->GetResult(*RegionCode::Parse(kTps), "pdpr");
  }

  static Values Page1() {
    return {{"suara_sah", 50},         {"suara_tidak_sah", 2},
            {"suara_total", 52},       {"pemilih_dpt_l", 100},
            {"pemilih_dpt_p", 110},    {"pemilih_dpt_j", 210},
            {"pengguna_dpt_j", 50},    {"pengguna_dptb_j", 1},
            {"pengguna_non_dpt_j", 1}, {"pengguna_total_j", 52}};
  }
  static Values Pkb(int64_t total = 35) {
    return {{"suara_partai_1", 10},
            {"suara_caleg_100281", 20},
            {"suara_caleg_100282", 5},
            {"suara_total_partai_1", total}};
  }
  static Values Gerindra() {
    return {{"suara_partai_2", 3},
            {"suara_caleg_100291", 7},
            {"suara_total_partai_2", 10}};
  }
  static Values Ummat() {
    return {{"suara_partai_24", 0},
            {"suara_caleg_100301", 5},
            {"suara_total_partai_24", 5}};
  }
};

TEST_F(LegislativeReviewTest, APhotoGoesToPeopleWithTheSheetsOfItsBallot) {
  const std::string name = UploadDpr("dpr-photo");
  const v1::Submission read = Get(name);
  EXPECT_EQ(read.state(), v1::Submission::STATE_READ);
  EXPECT_EQ(read.form_kind(), "pdpr");
  EXPECT_THAT(read.reading().error_detail(), HasSubstr("no machine reading"));
  // Never leased to an OCR worker.
  EXPECT_TRUE(absl::IsNotFound(photos_->Lease("w", absl::Minutes(1)).status()));

  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->kind(), v1::ReviewTask::KIND_PAGE);
  EXPECT_EQ(task->form_kind(), "pdpr");
  EXPECT_EQ(task->photo(), "dpr-photo");
  std::vector<v1::ReviewSheet> sheets(task->sheets().begin(),
                                      task->sheets().end());
  // DPR: page 1 and one page 2 per party in ballot order; DPRD provinsi
  // (the fixture maps 11 to 110001) has a dapil too but no ballot: left
  // out; DPD has the province's candidates.
  std::vector<std::string> labels;
  for (const v1::ReviewSheet& sheet : sheets) {
    labels.push_back(absl::StrCat(sheet.form_kind(), " ", sheet.page(), " ",
                                  sheet.party(), " ", sheet.label()));
  }
  EXPECT_THAT(labels,
              ElementsAre(HasSubstr("pdpr 1 0 Halaman 1"), "pdpr 2 1 1. PKB",
                          "pdpr 2 2 2. Gerindra", "pdpr 2 24 3. Ummat",
                          HasSubstr("pdpd 1 0"), "pdpd 2 0 Calon anggota DPD"));
  const v1::ReviewSheet* pkb = FindSheet(sheets, "pdpr", 2, 1);
  ASSERT_NE(pkb, nullptr);
  std::vector<std::string> fields;
  for (const auto& field : pkb->fields()) {
    fields.push_back(absl::StrCat(field.name(), "=", field.label()));
  }
  EXPECT_THAT(fields, ElementsAre("suara_partai_1=PKB: suara partai",
                                  "suara_caleg_100281=PKB 1. A. SATU",
                                  "suara_caleg_100282=PKB 2. A. DUA",
                                  "suara_total_partai_1=PKB: jumlah suara"));
}

TEST_F(LegislativeReviewTest, AStopBeforeTheHandOverIsMendedAtTheStart) {
  // Stored, then the server died before handing it to people.
  const std::string name = Upload("dpr-photo", kTps, "pdpr");
  EXPECT_EQ(Get(name).state(), v1::Submission::STATE_RECEIVED);
  Open();  // a restart
  absl::StatusOr<int> recovered = RecoverPhotos(*submissions_, photos_.get());
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(Get(name).state(), v1::Submission::STATE_READ);
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->submission(), name);
}

TEST_F(LegislativeReviewTest, EverySheetTypedTwicePublishesTheDprResult) {
  TypeWhole({{1, 0, Page1()}, {2, 1, Pkb()}, {2, 2, Gerindra()}});
  // Ummat's sheet is missing: nothing published yet.
  EXPECT_TRUE(absl::IsNotFound(DprResult().status()));
  TypeWhole({{2, 24, Ummat()}});
  absl::StatusOr<v1::TpsResult> result = DprResult();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->dapil(), "1101");
  EXPECT_EQ(result->values().at("suara_caleg_100281"), 20);
  EXPECT_EQ(result->values().at("suara_total_partai_24"), 5);
  EXPECT_EQ(result->values().at("pemilih_dpt_j"), 210);
  EXPECT_THAT(result->flags(), IsEmpty());
  EXPECT_EQ(result->provenance().source(), v1::Provenance::SOURCE_PEOPLE);
  EXPECT_EQ(result->provenance().submission_ids_size(), 4);
  // The presidential result is untouched by DPR sheets.
  EXPECT_TRUE(absl::IsNotFound(
      tally_->GetResult(*RegionCode::Parse(kTps), "ppwp").status()));
  absl::StatusOr<v1::Aggregate> dapil =
      tally_->GetDapilAggregate("pdpr", "1101");
  ASSERT_TRUE(dapil.ok()) << dapil.status();
  EXPECT_EQ(dapil->sums().at("suara_total_partai_1"), 35);
}

TEST_F(LegislativeReviewTest, APartyTotalThatBreaksItsRuleFlagsTheTps) {
  // Both typed what the sheet says: PKB's total 36, not 10 + 20 + 5.
  TypeWhole(
      {{1, 0, Page1()}, {2, 1, Pkb(36)}, {2, 2, Gerindra()}, {2, 24, Ummat()}});
  absl::StatusOr<v1::TpsResult> result = DprResult();
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->flags(), Contains("arithmetic:partai_1"));
  // And the party totals no longer sum to suara_sah.
  EXPECT_THAT(result->flags(), Contains("arithmetic:suara_sah"));
}

TEST_F(LegislativeReviewTest, DisagreementTakesAThirdThenAModerator) {
  UploadDpr("dpr-gerindra");
  Values other = Gerindra();
  other["suara_caleg_100291"] = 8;
  EXPECT_EQ(ClaimAndType("ani", 2, 2, Gerindra()).state(),
            v1::ReviewTask::STATE_OPEN);
  EXPECT_EQ(ClaimAndType("budi", 2, 2, other).state(),
            v1::ReviewTask::STATE_OPEN);
  // Another party's sheet does not agree with either.
  v1::ReviewTask disputed = ClaimAndType("cici", 2, 24, Ummat());
  EXPECT_EQ(disputed.state(), v1::ReviewTask::STATE_DISPUTED);
  absl::StatusOr<v1::ReviewTask> full = reviews_->Get(disputed.name());
  ASSERT_TRUE(full.ok());
  EXPECT_GT(full->sheets_size(), 0);  // the moderator picks a sheet too
  absl::StatusOr<v1::ReviewTask> resolved =
      photos_->Resolve("mod", disputed.name(),
                       Sheet(disputed, 2, 2, Gerindra()), "8 is a 7 on zoom");
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  const v1::Submission settled = Get(disputed.submission());
  EXPECT_EQ(settled.state(), v1::Submission::STATE_SETTLED);
  EXPECT_EQ(settled.settled_form_kind(), "pdpr");
  EXPECT_EQ(settled.settled_values().at("suara_caleg_100291"), 7);
  EXPECT_EQ(settled.settled_by().at("suara_caleg_100291"), "moderator");
}

TEST_F(LegislativeReviewTest, ASheetThatDoesNotFitIsRefusedAndLosesNothing) {
  UploadDpr("dpr-pkb");
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  auto refused = [&](const v1::ReviewEntry& entry) {
    absl::Status status =
        photos_->Enter("ani", task->lease_id(), entry).status();
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
    return std::string(status.message());
  };
  // A candidate not on this dapil's ballot (DKI's 300001).
  Values stranger = Pkb();
  stranger.erase("suara_caleg_100282");
  stranger["suara_caleg_300001"] = 5;
  EXPECT_THAT(refused(Sheet(*task, 2, 1, stranger)),
              HasSubstr("needs suara_caleg_100282"));
  // A party the race does not have here (PNA, 18).
  EXPECT_THAT(refused(Sheet(*task, 2, 18, {{"suara_partai_18", 1}})),
              HasSubstr("has no pdpr sheet of page 2, party 18"));
  // A sheet typed in part, and one with a field more.
  Values part = Pkb();
  part.erase("suara_total_partai_1");
  EXPECT_THAT(refused(Sheet(*task, 2, 1, part)), HasSubstr("type 0"));
  Values more = Pkb();
  more["suara_partai_2"] = 1;
  EXPECT_THAT(refused(Sheet(*task, 2, 1, more)), HasSubstr("only 4 fields"));
  // ppwp is no legislative sheet; nor is a race the TPS has no ballot in.
  EXPECT_THAT(refused(Sheet(*task, 2, 1, Pkb(), "ppwp")),
              HasSubstr("not a legislative race"));
  EXPECT_THAT(refused(Sheet(*task, 1, 0, Page1(), "pdprdk")),
              HasSubstr("no pdprdk sheet"));
  // Nothing of that counted: two entries still settle it.
  ASSERT_TRUE(
      photos_->Enter("ani", task->lease_id(), Sheet(*task, 2, 1, Pkb())).ok());
  EXPECT_EQ(ClaimAndType("budi", 2, 1, Pkb()).state(),
            v1::ReviewTask::STATE_VERIFIED);
}

TEST_F(LegislativeReviewTest, TheVolunteerMayCorrectTheUploadersRace) {
  // Uploaded as DPR, but it is the DPD sheet.
  UploadDpr("actually-dpd");
  const Values dpd = {{"suara_caleg_500001", 30}, {"suara_caleg_500002", 20}};
  absl::StatusOr<v1::ReviewTask> task = reviews_->Claim("ani");
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(
      photos_->Enter("ani", task->lease_id(), Sheet(*task, 2, 0, dpd, "pdpd"))
          .ok());
  task = reviews_->Claim("budi");
  ASSERT_TRUE(task.ok());
  absl::StatusOr<v1::ReviewTask> entered =
      photos_->Enter("budi", task->lease_id(), Sheet(*task, 2, 0, dpd, "pdpd"));
  ASSERT_TRUE(entered.ok()) << entered.status();
  EXPECT_EQ(entered->state(), v1::ReviewTask::STATE_VERIFIED);
  EXPECT_EQ(Get(task->submission()).settled_form_kind(), "pdpd");
}

}  // namespace
}  // namespace c1tally
