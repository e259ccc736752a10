// Form specs load from the shipped JSON and malformed specs fail with a
// reason that names the file and the problem.
#include <string>

#include "gtest/gtest.h"
#include "ocr/form_spec.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

constexpr char kMinimal[] = R"({
  "form": "TEST", "page": 1, "pages_total": 1,
  "reference_size": [1000, 1400],
  "tag": {"dictionary": "DICT_APRILTAG_36h10", "id": 7,
          "corners": [[900, 100], [850, 100], [850, 50], [900, 50]]},
  "corner_marks": [
    {"corner": "top_left", "outer": [10, 10], "size": [30, 30], "search_box": [-50, -50, 150, 150]},
    {"corner": "top_right", "outer": [990, 10], "size": [30, 30], "search_box": [900, -50, 150, 150]},
    {"corner": "bottom_right", "outer": [990, 1390], "size": [30, 30], "search_box": [900, 1300, 150, 150]},
    {"corner": "bottom_left", "outer": [10, 1390], "size": [30, 30], "search_box": [-50, 1300, 150, 150]}],
  "header_box": [800, 20, 150, 60],
  "fields": [
    {"name": "a", "boxes": [[100, 200, 40, 40], [150, 200, 40, 40], [200, 200, 40, 40]]},
    {"name": "b", "boxes": [[100, 300, 40, 40], [150, 300, 40, 40], [200, 300, 40, 40]]},
    {"name": "c", "boxes": [[100, 400, 40, 40], [150, 400, 40, 40], [200, 400, 40, 40]]}],
  "rules": [{"name": "a + b = c", "lhs": ["a", "b"], "rhs": ["c"]}]
})";

std::string Replace(std::string text, const std::string& from,
                    const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

void ExpectError(const std::string& json, const std::string& reason) {
  absl::StatusOr<FormSpec> spec = ParseFormSpec(json, "test.json");
  ASSERT_FALSE(spec.ok()) << reason;
  EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(spec.status().message().find(reason), std::string::npos)
      << spec.status();
  EXPECT_NE(spec.status().message().find("test.json"), std::string::npos);
}

TEST(FormSpecTest, ShippedSpecsLoad) {
  absl::StatusOr<std::vector<FormSpec>> specs =
      LoadFormSpecs(DefaultFormsDir());
  ASSERT_TRUE(specs.ok()) << specs.status();
  ASSERT_EQ(specs->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const FormSpec& spec = (*specs)[i];
    EXPECT_EQ(spec.form, "C.HASIL-PPWP");
    EXPECT_EQ(spec.page, i + 1);
    EXPECT_EQ(spec.pages_total, 3);
    EXPECT_EQ(spec.tag_id, 101 + i);
    EXPECT_EQ(spec.tag_dictionary, "DICT_APRILTAG_36h10");
  }
  EXPECT_EQ((*specs)[1].reference_size, cv::Size(1192, 1760));
  EXPECT_EQ((*specs)[2].reference_size, cv::Size(1292, 1938));
  // Page 1: DPT, the four voter rows (L/P/J), four ballot counts,
  // disability L/P/J.
  EXPECT_EQ((*specs)[0].fields.size(), 22u);
  ASSERT_NE((*specs)[0].FindField("pemilih_dpt_j"), nullptr);
  ASSERT_NE((*specs)[0].FindField("pengguna_total_j"), nullptr);
  // Page 2: three candidates, each with three bubble columns of ten.
  ASSERT_EQ((*specs)[1].fields.size(), 3u);
  for (const DigitField& f : (*specs)[1].fields) {
    ASSERT_EQ(f.bubble_columns.size(), 3u) << f.name;
    EXPECT_GT(f.bubble_radius, 0);
    // Bubbles run top to bottom under their box.
    EXPECT_GT(f.bubble_columns[0].centres[0].y, f.boxes[0].br().y);
    EXPECT_GT(f.bubble_columns[0].centres[9].y,
              f.bubble_columns[0].centres[0].y);
  }
  EXPECT_EQ((*specs)[1].fields[2].name, "suara_paslon_3");
  // Page 3: A + B = C.
  ASSERT_EQ((*specs)[2].rules.size(), 1u);
  EXPECT_EQ((*specs)[2].rules[0].lhs,
            (std::vector<std::string>{"suara_sah", "suara_tidak_sah"}));
  EXPECT_EQ((*specs)[2].rules[0].rhs,
            (std::vector<std::string>{"suara_total"}));
}

TEST(FormSpecTest, MinimalSpecParses) {
  absl::StatusOr<FormSpec> spec = ParseFormSpec(kMinimal, "test.json");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->tag_id, 7);
  EXPECT_EQ(spec->fields[1].boxes[2], cv::Rect2f(200, 300, 40, 40));
  EXPECT_EQ(spec->corner_marks[2].outer_corner, cv::Point2f(990, 1390));
  EXPECT_EQ(spec->source_path, "test.json");
}

TEST(FormSpecTest, MalformedSpecsFailWithReasons) {
  ExpectError("{\"form\": ", "not valid JSON");
  ExpectError("[1, 2]", "expected a JSON object");
  ExpectError(Replace(kMinimal, "\"page\": 1,", ""), "missing \"page\"");
  ExpectError(Replace(kMinimal, "\"id\": 7", "\"id\": \"7\""),
              "expected an integer");
  ExpectError(Replace(kMinimal, "DICT_APRILTAG_36h10", "DICT_QR"),
              "unknown tag dictionary");
  ExpectError(Replace(kMinimal, "[200, 400, 40, 40]", "[980, 400, 40, 40]"),
              "a box of \"c\" is outside the page");
  ExpectError(Replace(kMinimal, "[200, 400, 40, 40]]",
                      "[200, 400, 40, 40], [1, 1, 1, 1]]"),
              "expected 3 boxes");
  ExpectError(Replace(kMinimal, "{\"name\": \"b\"", "{\"name\": \"a\""),
              "duplicate field \"a\"");
  ExpectError(Replace(kMinimal, "\"rhs\": [\"c\"]", "\"rhs\": [\"d\"]"),
              "names unknown field \"d\"");
  ExpectError(Replace(kMinimal, "\"corner\": \"top_right\"",
                      "\"corner\": \"bottom_left\""),
              "expected corner \"top_right\"");
  ExpectError(
      Replace(kMinimal, "[850, 50], [900, 50]]", "[850, 50], [900, -5]]"),
      "point outside the page");
}

TEST(FormSpecTest, DirectoryErrors) {
  testing::TempDir dir;
  EXPECT_EQ(LoadFormSpecs(dir.path()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadFormSpecs(dir.Sub("absent")).status().code(),
            absl::StatusCode::kNotFound);
  testing::WriteFile(dir.Sub("a.json"), kMinimal);
  testing::WriteFile(dir.Sub("notes.txt"), "not a spec");
  absl::StatusOr<std::vector<FormSpec>> one = LoadFormSpecs(dir.path());
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->size(), 1u);
  // A second file with the same tag id is refused: the id names the page.
  testing::WriteFile(dir.Sub("b.json"), kMinimal);
  absl::StatusOr<std::vector<FormSpec>> two = LoadFormSpecs(dir.path());
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("tag id 7 is already used"),
            std::string::npos)
      << two.status();
  testing::WriteFile(dir.Sub("b.json"), "{broken");
  EXPECT_NE(LoadFormSpecs(dir.path()).status().message().find("b.json"),
            std::string::npos);
}

}  // namespace
}  // namespace c1tally::ocr
