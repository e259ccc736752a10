#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ocr/field_triage.h"

namespace c1tally::ocr {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<BoxCall> Boxes(std::vector<std::string> classes,
                           double confidence = 0.999) {
  std::vector<BoxCall> boxes;
  for (std::string& c : classes) boxes.push_back({std::move(c), confidence});
  return boxes;
}

TEST(NumberFromBoxesTest, LeadingXAndBlankAreZeros) {
  EXPECT_EQ(NumberFromBoxes(Boxes({"1", "2", "3"})), 123);
  EXPECT_EQ(NumberFromBoxes(Boxes({"X", "3", "2"})), 32);
  EXPECT_EQ(NumberFromBoxes(Boxes({"blank", "blank", "3"})), 3);
  EXPECT_EQ(NumberFromBoxes(Boxes({"X", "X", "0"})), 0);
  EXPECT_EQ(NumberFromBoxes(Boxes({"0", "6", "2"})), 62);
}

TEST(NumberFromBoxesTest, NoNumberWithoutDigitsOrWithMarksAfterThem) {
  EXPECT_EQ(NumberFromBoxes(Boxes({"blank", "blank", "blank"})), std::nullopt);
  EXPECT_EQ(NumberFromBoxes(Boxes({"X", "X", "X"})), std::nullopt);
  EXPECT_EQ(NumberFromBoxes(Boxes({"6", "X", "2"})), std::nullopt);
  EXPECT_EQ(NumberFromBoxes(Boxes({"6", "2", "blank"})), std::nullopt);
  EXPECT_EQ(NumberFromBoxes(Boxes({"?", "2", "1"})), std::nullopt);
}

TEST(TriageFieldTest, ConfidentBoxesAndAgreeingBubblesAreAccepted) {
  FieldTriage triage =
      TriageField(Boxes({"X", "3", "2"}), true, 32, 0.9, TriagePolicy());
  EXPECT_TRUE(triage.accepted);
  EXPECT_EQ(triage.value, 32);
  EXPECT_THAT(triage.reasons, IsEmpty());
  EXPECT_NEAR(triage.confidence, 0.999 * 0.999 * 0.999, 1e-9);
}

TEST(TriageFieldTest, AnyDoubtSendsTheFieldToPeople) {
  TriagePolicy policy;
  EXPECT_FALSE(
      TriageField(Boxes({"1", "2", "3"}, 0.9), false, std::nullopt, 0, policy)
          .accepted);
  // Bubbles that disagree: the famous 62 read as 941.
  FieldTriage disagree =
      TriageField(Boxes({"9", "4", "1"}), true, 62, 0.9, policy);
  EXPECT_FALSE(disagree.accepted);
  EXPECT_THAT(disagree.reasons, ElementsAre("bubbles say 62"));
  EXPECT_FALSE(
      TriageField(Boxes({"1", "2", "3"}), true, std::nullopt, 0, policy)
          .accepted);
  EXPECT_FALSE(TriageField(Boxes({"blank", "blank", "blank"}), false,
                           std::nullopt, 0, policy)
                   .accepted);
}

TEST(TriageFieldTest, BubblesThatAgreeLowerTheBoxThreshold) {
  TriagePolicy policy;
  policy.min_box_confidence = 0.99;
  policy.min_box_confidence_confirmed = 0.9;
  // 0.95 is below the single-reading threshold but the bubbles say 123 too.
  EXPECT_TRUE(TriageField(Boxes({"1", "2", "3"}, 0.95), true, 123, 0.9, policy)
                  .accepted);
  // Not when the bubbles are faint, say something else, or the box is
  // below even the confirmed threshold.
  EXPECT_FALSE(TriageField(Boxes({"1", "2", "3"}, 0.95), true, 123, 0.2, policy)
                   .accepted);
  FieldTriage other =
      TriageField(Boxes({"1", "2", "3"}, 0.95), true, 128, 0.9, policy);
  EXPECT_FALSE(other.accepted);
  EXPECT_THAT(other.reasons,
              ElementsAre("box 1 unsure (1)", "box 2 unsure (2)",
                          "box 3 unsure (3)", "bubbles say 128"));
  EXPECT_FALSE(TriageField(Boxes({"1", "2", "3"}, 0.8), true, 123, 0.9, policy)
                   .accepted);
  // Without bubbles on the page the full threshold applies.
  EXPECT_FALSE(
      TriageField(Boxes({"1", "2", "3"}, 0.95), false, std::nullopt, 0, policy)
          .accepted);
}

TEST(TriagePageTest, BrokenArithmeticDemotesEveryFieldOfTheRule) {
  std::map<std::string, FieldTriage> fields;
  for (const auto& [name, value] : std::vector<std::pair<std::string, int>>{
           {"suara_sah", 427}, {"suara_tidak_sah", 3}, {"suara_total", 430}}) {
    fields[name] = TriageField(Boxes({"1", "1", "1"}), false, std::nullopt, 0,
                               TriagePolicy());
    fields[name].value = value;
  }
  const std::vector<ArithmeticRule> rules = {
      {"suara_total", {"suara_sah", "suara_tidak_sah"}, {"suara_total"}}};
  std::vector<RuleCheck> checks = TriagePage(rules, &fields);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].ok);
  EXPECT_TRUE(fields["suara_sah"].accepted);

  fields["suara_total"].value = 431;
  checks = TriagePage(rules, &fields);
  EXPECT_FALSE(checks[0].ok);
  for (const auto& [name, field] : fields) {
    EXPECT_FALSE(field.accepted) << name;
  }
}

TEST(TriagePageTest, AMissingValueFailsTheRule) {
  std::map<std::string, FieldTriage> fields;
  fields["a"].value = 1;
  fields["a"].accepted = true;
  fields["b"].accepted = false;  // no value
  std::vector<RuleCheck> checks = TriagePage({{"r", {"a"}, {"b"}}}, &fields);
  EXPECT_FALSE(checks[0].ok);
  EXPECT_FALSE(fields["a"].accepted);
}

}  // namespace
}  // namespace c1tally::ocr
