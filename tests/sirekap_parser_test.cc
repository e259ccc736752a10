// Sirekap JSON parsing: every variant Sirekap published, and bad input
// refused with the reason.
#include "audit/sirekap_parser.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c1tally {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const SirekapLocation kTps = {"ppwp", "3101011001003"};

// A complete per-TPS record as in DOMAIN.md.
constexpr char kComplete[] = R"({"mode":"hhcw",
  "chart":{"null":null,"100025":83,"100026":107,"100027":38},
  "images":["https://a/1.jpg",null,"https://a/3.jpg"],
  "administrasi":{"suara_sah":228,"suara_tidak_sah":5,"suara_total":233,
    "pemilih_dpt_j":292,"pemilih_dpt_l":147,"pemilih_dpt_p":145,
    "pengguna_dpt_j":292,"pengguna_dptb_j":1,"pengguna_non_dpt_j":0,
    "pengguna_total_j":292},
  "psu":null,"ts":"2024-02-16 16:25:10","status_suara":true,
  "status_adm":true})";

v1::SirekapRecord MustParse(const std::string& json,
                            const SirekapLocation& where = kTps) {
  absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(json, where);
  EXPECT_TRUE(record.ok()) << record.status();
  return record.ok() ? *record : v1::SirekapRecord();
}

std::string ErrorOf(const std::string& json,
                    const SirekapLocation& where = kTps) {
  absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(json, where);
  EXPECT_FALSE(record.ok()) << json;
  EXPECT_TRUE(record.ok() || absl::IsInvalidArgument(record.status()));
  return record.ok() ? "" : std::string(record.status().message());
}

TEST(SirekapParserTest, CompleteRecord) {
  v1::SirekapRecord record = MustParse(kComplete);
  EXPECT_EQ(record.race(), "ppwp");
  EXPECT_EQ(record.code(), "3101011001003");
  EXPECT_EQ(record.chart().size(), 3u);
  EXPECT_EQ(record.chart().at("100026"), 107);
  EXPECT_EQ(record.administrasi().size(), 10u);
  EXPECT_EQ(record.administrasi().at("suara_total"), 233);
  EXPECT_THAT(record.image_urls(),
              ElementsAre("https://a/1.jpg", "", "https://a/3.jpg"));
  EXPECT_EQ(record.mode(), "hhcw");
  EXPECT_EQ(record.psu(), "");
  EXPECT_EQ(record.sirekap_time(), "2024-02-16 16:25:10");
  EXPECT_TRUE(record.has_status_suara() && record.status_suara());
}

TEST(SirekapParserTest, PublishedVariants) {
  // All null, "mode" missing, every image slot null.
  v1::SirekapRecord empty = MustParse(
      R"({"chart":null,"images":[null,null,null],"administrasi":null,
          "psu":null,"ts":"2024-02-15 00:41:44","status_suara":false,
          "status_adm":false})");
  EXPECT_THAT(empty.chart(), IsEmpty());
  EXPECT_THAT(empty.administrasi(), IsEmpty());
  EXPECT_EQ(empty.mode(), "");
  EXPECT_THAT(empty.image_urls(), ElementsAre("", "", ""));
  // A chart that is only the "null" key.
  EXPECT_THAT(
      MustParse(R"({"chart":{"null":null},"administrasi":null})").chart(),
      IsEmpty());
  // Chart only; a null candidate is absent, not zero.
  v1::SirekapRecord chart_only = MustParse(
      R"({"chart":{"null":null,"100025":1,"100026":null,"100027":0},
          "administrasi":null})");
  EXPECT_EQ(chart_only.chart().size(), 2u);
  EXPECT_EQ(chart_only.chart().at("100027"), 0);
  // Administrasi only, with a null value.
  v1::SirekapRecord administrasi_only = MustParse(
      R"({"chart":null,"administrasi":{"suara_sah":10,"suara_total":null}})");
  EXPECT_EQ(administrasi_only.administrasi().size(), 1u);
  // Members Sirekap may add later are ignored.
  MustParse(R"({"chart":null,"administrasi":null,"new_thing":[1,2]})");
}

TEST(SirekapParserTest, DpdChartKeyedByCandidateIds) {
  v1::SirekapRecord record = MustParse(
      R"({"chart":{"null":null,"1101":20,"1102":7,"1188":0},
          "administrasi":null})",
      {"pdpd", "3101011001003"});
  EXPECT_EQ(record.race(), "pdpd");
  EXPECT_EQ(record.chart().size(), 3u);
  EXPECT_EQ(record.chart().at("1188"), 0);
  EXPECT_THAT(ErrorOf(R"({"chart":{"calon":3}})", {"pdpd", "3101011001003"}),
              HasSubstr("unknown candidate id \"calon\""));
}

TEST(SirekapParserTest, Aggregate) {
  v1::SirekapRecord record = MustParse(
      R"({"ts":"2024-02-22 17:00:16","psu":"Reguler","mode":"hhcw",
          "chart":{"100025":555,"100026":94,"100027":15,"persen":100.0},
          "table":{
            "1101012001001":{"psu":"Reguler","100025":144,"100026":19,
                             "100027":2,"persen":100,"status_progress":true},
            "1101012001002":{"psu":"Reguler","persen":0,
                             "status_progress":false}},
          "progres":{"total":3,"progres":1}})",
      {"ppwp", "1101012001"});
  EXPECT_EQ(record.chart().size(), 3u);
  EXPECT_DOUBLE_EQ(record.percent(), 100.0);
  ASSERT_EQ(record.table().size(), 2u);
  EXPECT_EQ(record.table().at("1101012001001").chart().at("100025"), 144);
  EXPECT_THAT(record.table().at("1101012001002").chart(), IsEmpty());
  EXPECT_FALSE(record.table().at("1101012001002").status_progress());
  EXPECT_EQ(record.progress_total(), 3);
  EXPECT_EQ(record.progress_done(), 1);
  // The nation's table is keyed by province.
  EXPECT_EQ(MustParse(R"({"chart":{"100025":1},"table":{"11":{"100025":1}}})",
                      {"ppwp", ""})
                .table()
                .size(),
            1u);
}

TEST(SirekapParserTest, BadInputIsRefusedWithTheReason) {
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":1)"), HasSubstr("malformed JSON"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("malformed JSON"));
  EXPECT_THAT(ErrorOf("[1,2]"), HasSubstr("top level is array"));
  EXPECT_THAT(ErrorOf(R"({"chart":[1,2,3]})"),
              HasSubstr("chart is [1,2,3]: not an object"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":"83"}})"),
              HasSubstr("chart[\"100025\"] is \"83\": not a whole number"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":8.5}})"),
              HasSubstr("not a whole number"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":-3}})"),
              HasSubstr("is -3: negative"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":1000}})"),
              HasSubstr("is 1000: above 999"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":99999999999999999999}})"),
              HasSubstr("not a whole number"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":18446744073709551615}})"),
              HasSubstr("absurdly large"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100028":1}})"),
              HasSubstr("unknown candidate id \"100028\" for race ppwp"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"null":5}})"), HasSubstr("expected null"));
  EXPECT_THAT(ErrorOf(R"({"administrasi":{"suara_sahh":1}})"),
              HasSubstr("unknown key \"suara_sahh\""));
  EXPECT_THAT(ErrorOf(R"({"administrasi":{"suara_sah":true}})"),
              HasSubstr("administrasi.suara_sah is true: not a whole number"));
  EXPECT_THAT(ErrorOf(R"({"administrasi":5})"), HasSubstr("not an object"));
  EXPECT_THAT(ErrorOf(R"({"images":"x.jpg"})"), HasSubstr("not an array"));
  EXPECT_THAT(ErrorOf(R"({"images":[1]})"), HasSubstr("images[0]"));
  EXPECT_THAT(ErrorOf(R"({"ts":"kemarin"})"), HasSubstr("ts is \"kemarin\""));
  EXPECT_THAT(ErrorOf(R"({"ts":17})"), HasSubstr("not a string"));
  EXPECT_THAT(ErrorOf(R"({"status_adm":"yes"})"),
              HasSubstr("not true or false"));
  EXPECT_THAT(ErrorOf(R"({"chart":null,"table":{}})"),
              HasSubstr("region aggregate"));
}

TEST(SirekapParserTest, CodesThatAreNotWhereTheyBelong) {
  // A per-TPS record under a kelurahan code.
  EXPECT_THAT(ErrorOf(kComplete, {"ppwp", "3101011001"}),
              HasSubstr("kelurahan/desa, not a TPS"));
  // Table rows must be the region's children.
  EXPECT_THAT(ErrorOf(R"({"table":{"3102":{"100025":1}}})", {"ppwp", "11"}),
              HasSubstr("\"3102\", which is not a child of \"11\""));
  EXPECT_THAT(ErrorOf(R"({"table":{"110101":{"100025":1}}})", {"ppwp", "11"}),
              HasSubstr("not a child"));
  // Aggregates may hold more than one TPS's worth, TPS rows may not.
  EXPECT_THAT(ErrorOf(R"({"table":{"1101012001001":{"100025":1000}}})",
                      {"ppwp", "1101012001"}),
              HasSubstr("above 999"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"100025":1000000001}})", {"ppwp", "11"}),
              HasSubstr("above 1000000000"));
  EXPECT_THAT(ErrorOf(R"({"chart":{"persen":101}})", {"ppwp", "11"}),
              HasSubstr("not within 0..100"));
}

TEST(SirekapParserTest, MangledRecordsAreRefusedNeverHalfRead) {
  // Deterministic mutations of a real-shaped record: cut short, bytes
  // changed, numbers swapped for other JSON. Each must parse cleanly (and
  // then hold only counts in range) or be refused as INVALID_ARGUMENT.
  std::mt19937 random(42);
  const std::string original = kComplete;
  const std::vector<std::string> swaps = {
      "-1",         "1e3", "\"7\"", "null", "true",
      "[]",         "{}",  "1000",  "0.5",  "18446744073709551616",
      "\"\\ud800\""};
  int parsed = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = original;
    switch (round % 3) {
      case 0:
        text.resize(random() % text.size());
        break;
      case 1:
        for (int i = 0; i < 3; ++i) {
          text[random() % text.size()] = static_cast<char>(random() % 256);
        }
        break;
      default: {
        // Replace one number with something else.
        size_t at = text.find_first_of("0123456789", random() % text.size());
        if (at == std::string::npos) at = text.find("228");
        size_t end = text.find_first_not_of("0123456789", at);
        text.replace(at, end - at, swaps[random() % swaps.size()]);
      }
    }
    absl::StatusOr<v1::SirekapRecord> record = ParseSirekapRecord(text, kTps);
    if (!record.ok()) {
      ASSERT_TRUE(absl::IsInvalidArgument(record.status())) << text;
      ++refused;
      continue;
    }
    ++parsed;
    for (const auto& [id, votes] : record->chart()) {
      ASSERT_TRUE(votes >= 0 && votes <= 999) << text;
    }
    for (const auto& [key, value] : record->administrasi()) {
      ASSERT_TRUE(value >= 0 && value <= 999) << text;
    }
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GT(refused, 1000);
}

TEST(SirekapParserTest, LocateFromPublishedPaths) {
  absl::StatusOr<SirekapLocation> tps = LocateSirekapFile(
      "x/pemilu/hhcw/ppwp/31/3101/310101/3101011001/3101011001003.json",
      "pdpd");
  ASSERT_TRUE(tps.ok()) << tps.status();
  EXPECT_EQ(tps->race, "ppwp");
  EXPECT_EQ(tps->code, "3101011001003");
  absl::StatusOr<SirekapLocation> nation =
      LocateSirekapFile("/data/hhcw/ppwp.json", "pdpd");
  ASSERT_TRUE(nation.ok());
  EXPECT_EQ(nation->race, "ppwp");
  EXPECT_EQ(nation->code, "");
  // A flat folder takes the default race.
  absl::StatusOr<SirekapLocation> flat =
      LocateSirekapFile("ppwp-tps-2024-02-16/3101011001003.json", "ppwp");
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->code, "3101011001003");
  absl::StatusOr<SirekapLocation> dpd =
      LocateSirekapFile("hhcw/pdpd/31/3101.json", "ppwp");
  ASSERT_TRUE(dpd.ok());
  EXPECT_EQ(dpd->race, "pdpd");

  EXPECT_THAT(LocateSirekapFile("x/notes.json", "ppwp").status().message(),
              HasSubstr("not a region or TPS code"));
  EXPECT_THAT(
      LocateSirekapFile("x/3101011001000.json", "ppwp").status().message(),
      HasSubstr("not a region or TPS code"));
  // The legislative races are known (sirekap_legislative_parser_test).
  EXPECT_THAT(LocateSirekapFile("x/31.json", "pilkada").status().message(),
              HasSubstr("unknown Sirekap race \"pilkada\""));
  EXPECT_THAT(LocateSirekapFile("ppwp/32/3101.json", "ppwp").status().message(),
              HasSubstr("does not contain it"));
}

}  // namespace
}  // namespace c1tally
