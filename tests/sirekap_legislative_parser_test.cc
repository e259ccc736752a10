// Sirekap's legislative JSON (pdpr, pdprdp, pdprdk, pdpd): per-TPS records
// with every null variant read as "not published" (never 0), region and
// dapil aggregates, and malformed input refused with the reason.
#include "audit/sirekap_parser.h"
#include "audit/sirekap_race.h"
#include "audit/sirekap_record.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/sirekap_legislative_fixtures.h"

namespace c1tally {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using Json = nlohmann::json;

constexpr char kTpsPath[] =
    "pemilu/hhcw/pdpr/11/1101/110101/1101012001/1101012001001.json";

SirekapLocation Locate(const std::string& path) {
  absl::StatusOr<SirekapLocation> where = LocateSirekapFile(path, "ppwp");
  EXPECT_TRUE(where.ok()) << path << ": " << where.status();
  return where.value_or(SirekapLocation());
}

v1::SirekapRecord MustParse(const Json& json,
                            const std::string& path = kTpsPath) {
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json.dump(), Locate(path));
  EXPECT_TRUE(record.ok()) << record.status();
  return record.value_or(v1::SirekapRecord());
}

std::string ErrorOf(const Json& json, const std::string& path = kTpsPath) {
  absl::StatusOr<v1::SirekapRecord> record =
      ParseSirekapRecord(json.dump(), Locate(path));
  EXPECT_FALSE(record.ok()) << json.dump();
  EXPECT_TRUE(record.ok() || absl::IsInvalidArgument(record.status()));
  return record.ok() ? "" : std::string(record.status().message());
}

std::map<std::string, int64_t> Values(const v1::SirekapRecord& record) {
  return FormValues(record, *FindSirekapRace(record.race()));
}

TEST(SirekapLegislativeParserTest, CompleteDprRecord) {
  const v1::SirekapRecord record = MustParse(testing::AcehIDprRecord());
  EXPECT_EQ(record.race(), "pdpr");
  EXPECT_EQ(record.code(), "1101012001001");
  EXPECT_EQ(record.kode_dapil(), "1101");
  EXPECT_TRUE(record.chart().empty());
  ASSERT_EQ(record.parties().size(), 3u);
  const v1::SirekapRecord::PartyVotes& pkb = record.parties().at(1);
  EXPECT_EQ(pkb.total(), 35);
  EXPECT_EQ(pkb.party_only(), 10);
  EXPECT_THAT(pkb.candidates(), ::testing::UnorderedElementsAre(
                                    Pair("100281", 20), Pair("100282", 5)));
  EXPECT_TRUE(pkb.candidates_complete());
  EXPECT_EQ(record.parties().at(24).party_only(), 0);  // a real 0 stays
  EXPECT_TRUE(record.parties().at(24).has_party_only());
  EXPECT_EQ(record.administrasi().at("pengguna_dpt_l"), 30);
  EXPECT_THAT(record.image_urls(),
              ElementsAre("https://sirekap/dpr-1.jpg", ""));
  EXPECT_EQ(StateOf(record), SirekapState::kComplete);
  // Our field names (storage/reference/ballot_form.h).
  const std::map<std::string, int64_t> values = Values(record);
  EXPECT_EQ(values.at("suara_total_partai_1"), 35);
  EXPECT_EQ(values.at("suara_partai_1"), 10);
  EXPECT_EQ(values.at("suara_caleg_100281"), 20);
  EXPECT_EQ(values.at("suara_caleg_100301"), 5);
  EXPECT_EQ(values.at("suara_partai_24"), 0);
  EXPECT_EQ(values.at("suara_sah"), 50);
  EXPECT_EQ(values.size(), 10u + 12u);
}

TEST(SirekapLegislativeParserTest, EveryRaceWithPartiesReadsTheSameShape) {
  for (const std::string race : {"pdpr", "pdprdp", "pdprdk"}) {
    const v1::SirekapRecord record =
        MustParse(testing::AcehIDprRecord(),
                  "pemilu/hhcw/" + race +
                      "/11/1101/110101/1101012001/1101012001001.json");
    EXPECT_EQ(record.race(), race);
    EXPECT_EQ(record.parties().size(), 3u) << race;
    EXPECT_EQ(Values(record).at("suara_caleg_100291"), 7) << race;
  }
}

TEST(SirekapLegislativeParserTest, NullsAreNotPublishedNeverZero) {
  struct Case {
    std::string what;
    Json json;
    // Fields that must be absent under our names.
    std::vector<std::string> absent;
    // Fields that must still be there.
    std::vector<std::string> present;
  };
  std::vector<Case> cases;
  Json json = testing::AcehIDprRecord();
  json["chart"] = nullptr;
  cases.push_back({"null chart",
                   json,
                   {"suara_total_partai_1", "suara_partai_1"},
                   {"suara_caleg_100281", "suara_sah"}});
  json = testing::AcehIDprRecord();
  json.erase("chart");
  cases.push_back({"missing chart",
                   json,
                   {"suara_total_partai_2"},
                   {"suara_caleg_100291"}});
  json = testing::AcehIDprRecord();
  json["caleg"] = nullptr;
  cases.push_back({"null caleg",
                   json,
                   {"suara_caleg_100281", "suara_caleg_100291"},
                   {"suara_total_partai_1"}});
  json = testing::AcehIDprRecord();
  json.erase("caleg");
  cases.push_back(
      {"missing caleg", json, {"suara_caleg_100301"}, {"suara_partai_24"}});
  json = testing::AcehIDprRecord();
  json["chart"]["2"] = nullptr;
  json["caleg"]["2"] = nullptr;
  cases.push_back(
      {"null party entries",
       json,
       {"suara_total_partai_2", "suara_partai_2", "suara_caleg_100291"},
       {"suara_total_partai_1"}});
  json = testing::AcehIDprRecord();
  json["chart"]["1"]["jml_suara_total"] = nullptr;
  json["chart"]["2"].erase("jml_suara_partai");
  json["caleg"]["1"]["100282"] = nullptr;
  cases.push_back(
      {"null values",
       json,
       {"suara_total_partai_1", "suara_partai_2", "suara_caleg_100282"},
       {"suara_partai_1", "suara_total_partai_2", "suara_caleg_100281"}});
  json = testing::AcehIDprRecord();
  json["administrasi"] = nullptr;
  cases.push_back({"null administrasi",
                   json,
                   {"suara_sah", "suara_total"},
                   {"suara_total_partai_1"}});
  for (const Case& test : cases) {
    const std::map<std::string, int64_t> values = Values(MustParse(test.json));
    for (const std::string& field : test.absent) {
      EXPECT_THAT(values, Not(Contains(Key(field)))) << test.what;
    }
    for (const std::string& field : test.present) {
      EXPECT_THAT(values, Contains(Key(field))) << test.what;
    }
  }

  // The detail the checks need: which blocks were published in full.
  Json partial = testing::AcehIDprRecord();
  partial["caleg"]["1"]["100282"] = nullptr;
  partial["caleg"]["2"] = nullptr;
  partial["chart"]["24"] = nullptr;
  const v1::SirekapRecord record = MustParse(partial);
  EXPECT_FALSE(record.parties().at(1).candidates_complete());
  EXPECT_FALSE(record.parties().at(2).candidates_complete());
  EXPECT_TRUE(record.parties().at(24).candidates_complete());
  EXPECT_FALSE(record.parties().at(24).has_total());
  EXPECT_TRUE(record.parties().at(2).has_total());
}

TEST(SirekapLegislativeParserTest, EmptyRecordsOfEveryShape) {
  for (const char* text :
       {R"({})", R"({"chart":null,"caleg":null,"administrasi":null})",
        R"({"chart":{"null":null},"caleg":{"null":null}})",
        R"({"chart":{"1":null,"2":{"jml_suara_total":null}},
            "caleg":{"1":{"100281":null}},"kode_dapil":null})"}) {
    const v1::SirekapRecord record = MustParse(Json::parse(text));
    EXPECT_EQ(StateOf(record), SirekapState::kEmpty) << text;
    EXPECT_THAT(Values(record), IsEmpty()) << text;
    EXPECT_EQ(record.kode_dapil(), "") << text;
  }
}

TEST(SirekapLegislativeParserTest, PsuVariants) {
  for (const char* psu :
       {"Reguler", "Penghitungan Suara Ulang", "Penghitungan Suara Susulan",
        "Pemungutan Suara Ulang", "Pemungutan Suara Susulan",
        "Pemungutan Suara Lanjutan"}) {
    Json json = testing::AcehIDprRecord();
    json["psu"] = psu;
    EXPECT_EQ(MustParse(json).psu(), psu);
  }
}

TEST(SirekapLegislativeParserTest, DpdRecords) {
  const std::string path =
      "pemilu/hhcw/pdpd/11/1101/110101/1101012001/1101012001001.json";
  const v1::SirekapRecord record = MustParse(testing::AcehDpdRecord(), path);
  EXPECT_EQ(record.race(), "pdpd");
  EXPECT_EQ(record.kode_dapil(), "11");
  EXPECT_TRUE(record.parties().empty());
  EXPECT_THAT(Values(record),
              ::testing::IsSupersetOf({Pair("suara_caleg_500001", 30),
                                       Pair("suara_caleg_500002", 20)}));
  Json nulls = testing::AcehDpdRecord();
  nulls["chart"]["500002"] = nullptr;
  nulls["caleg"] = nullptr;
  EXPECT_THAT(Values(MustParse(nulls, path)),
              Not(Contains(Key("suara_caleg_500002"))));
  Json with_parties = testing::AcehDpdRecord();
  with_parties["caleg"] = Json::parse(R"({"1":{"500001":3}})");
  EXPECT_THAT(ErrorOf(with_parties, path), HasSubstr("without parties"));
}

TEST(SirekapLegislativeParserTest, DapilAggregate) {
  const std::string path = "pemilu/hhcd/pdpr/1101.json";
  const SirekapLocation where = Locate(path);
  EXPECT_EQ(where.race, "pdpr");
  EXPECT_EQ(where.dapil, "1101");
  EXPECT_EQ(where.code, "");
  Json json = testing::AcehIDapilAggregate();
  json["table"]["2"]["100291"] = nullptr;
  json["table"]["3"] = nullptr;
  const v1::SirekapRecord record = MustParse(json, path);
  EXPECT_TRUE(record.dapil_aggregate());
  EXPECT_EQ(record.kode_dapil(), "1101");
  EXPECT_EQ(record.code(), "");
  EXPECT_EQ(SirekapStoredCode(record), "d/1101");
  EXPECT_EQ(record.mode(), "hhcd");
  EXPECT_EQ(record.progress_total(), 120);
  EXPECT_EQ(record.progress_done(), 80);
  ASSERT_EQ(record.parties().size(), 4u);
  EXPECT_EQ(record.parties().at(1).total(), 3500);  // above 999: a dapil
  EXPECT_EQ(record.parties().at(1).candidates().at("100281"), 2000);
  EXPECT_TRUE(record.parties().at(1).candidates_complete());
  EXPECT_FALSE(record.parties().at(2).candidates_complete());
  EXPECT_THAT(record.parties().at(3).candidates(), IsEmpty());
  // The other races with parties have dapil aggregates too.
  EXPECT_EQ(Locate("pemilu/hhcd/pdprdp/110001.json").dapil, "110001");
}

TEST(SirekapLegislativeParserTest, RegionAggregateKeyedByParty) {
  const v1::SirekapRecord record =
      MustParse(Json::parse(R"({"ts":"2024-02-17 10:00:00","mode":"hhcw",
        "chart":{"1":3535,"2":1010,"persen":50.5},
        "table":{"1101":{"1":3535,"2":1010,"persen":50.5,"psu":"Reguler",
                         "status_progress":true},
                 "1102":{"psu":null,"persen":0,"status_progress":false}},
        "progres":{"total":300,"progres":150}})"),
                "pemilu/hhcw/pdpr/11.json");
  EXPECT_EQ(record.code(), "11");
  EXPECT_FALSE(record.dapil_aggregate());
  EXPECT_EQ(record.chart().at("1"), 3535);
  EXPECT_EQ(record.table().at("1101").chart().at("2"), 1010);
  EXPECT_THAT(record.table().at("1102").chart(), IsEmpty());
}

TEST(SirekapLegislativeParserTest, MalformedInputIsRefusedWithTheReason) {
  struct Case {
    std::string what;
    Json json;
    std::string reason;
    std::string path = kTpsPath;
  };
  std::vector<Case> cases;
  Json json = testing::AcehIDprRecord();
  json["chart"]["01"] = json["chart"]["1"];
  cases.push_back({"leading zero", json, "\"01\", which is no party id"});
  json = testing::AcehIDprRecord();
  json["caleg"]["PKB"] = Json::object();
  cases.push_back({"named party", json, "\"PKB\", which is no party id"});
  json = testing::AcehIDprRecord();
  json["chart"]["1"]["jml_suara_sah"] = 3;
  cases.push_back({"unknown count", json,
                   "chart[\"1\"] has unknown key \"jml_suara_sah\""});
  json = testing::AcehIDprRecord();
  json["chart"]["1"] = 35;
  cases.push_back(
      {"number for a block", json, "chart[\"1\"] is 35: not an object"});
  json = testing::AcehIDprRecord();
  json["caleg"]["1"]["A. SATU"] = 3;
  cases.push_back({"candidate name", json, "has unknown key \"A. SATU\""});
  json = testing::AcehIDprRecord();
  json["caleg"]["1"]["100281"] = 1000;
  cases.push_back({"above the boxes", json, "above 999"});
  json = testing::AcehIDprRecord();
  json["chart"]["2"]["jml_suara_partai"] = -3;
  cases.push_back({"negative", json, "negative"});
  json = testing::AcehIDprRecord();
  json["caleg"]["2"]["100291"] = 7.5;
  cases.push_back({"fraction", json, "not a whole number"});
  json = testing::AcehIDprRecord();
  json["kode_dapil"] = "ACEH I";
  cases.push_back({"dapil name", json, "not a dapil code"});
  json = testing::AcehIDprRecord();
  json["caleg"] = Json::array();
  cases.push_back({"caleg array", json, "caleg is []: not an object"});
  cases.push_back({"dapil aggregate with administrasi",
                   Json::parse(R"({"table":{},"administrasi":null})"),
                   "not a dapil aggregate", "pemilu/hhcd/pdpr/1101.json"});
  for (const Case& test : cases) {
    EXPECT_THAT(ErrorOf(test.json, test.path), HasSubstr(test.reason))
        << test.what;
  }
  // Files that name no dapil aggregate Sirekap has.
  for (const char* path :
       {"pemilu/hhcd/pdpd/11.json", "pemilu/hhcd/ppwp/1101.json",
        "pemilu/hhcd/pdpr/ACEH.json"}) {
    EXPECT_FALSE(LocateSirekapFile(path, "ppwp").ok()) << path;
  }
  // Malformed JSON as for ppwp.
  absl::StatusOr<v1::SirekapRecord> broken =
      ParseSirekapRecord(R"({"chart":{"1":{)", Locate(kTpsPath));
  EXPECT_THAT(std::string(broken.status().message()),
              HasSubstr("malformed JSON"));
}

}  // namespace
}  // namespace c1tally
