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

TEST(TriageFieldTest, BubblesMendOneUnsureBoxWhoseRunnerUpTheyAgreeWith) {
  // Real page 2: 274 written, the units read as 7 (0.43) with 4 the
  // runner-up; the bubbles say 274.
  std::vector<BoxCall> boxes = Boxes({"2", "7", "7"});
  boxes[2].confidence = 0.43;
  boxes[2].alternatives = {{"4", 0.4}, {"1", 0.1}};
  FieldTriage mended = TriageField(boxes, true, 274, 0.9, TriagePolicy());
  EXPECT_TRUE(mended.accepted);
  EXPECT_EQ(mended.value, 274);
  EXPECT_EQ(mended.mended_box, 2u);

  // A leading X or blank the bubbles read as 0.
  std::vector<BoxCall> leading = Boxes({"1", "3", "2"});
  leading[0].confidence = 0.6;
  leading[0].alternatives = {{"X", 0.2}, {"blank", 0.1}};
  FieldTriage zero = TriageField(leading, true, 32, 0.9, TriagePolicy());
  EXPECT_TRUE(zero.accepted);
  EXPECT_EQ(zero.value, 32);
}

TEST(TriageFieldTest, BubblesMendNothingTheBoxesDoNotAllow) {
  std::vector<BoxCall> boxes = Boxes({"2", "7", "7"});
  boxes[2].confidence = 0.43;
  boxes[2].alternatives = {{"4", 0.4}};
  // The bubbles differ in two boxes.
  FieldTriage two = TriageField(boxes, true, 244, 0.9, TriagePolicy());
  EXPECT_FALSE(two.accepted);
  EXPECT_EQ(two.value, 277);
  EXPECT_EQ(two.mended_box, std::nullopt);
  // Faint bubbles.
  EXPECT_FALSE(TriageField(boxes, true, 274, 0.2, TriagePolicy()).accepted);
  // The bubbles' digit is not a likely enough runner-up.
  boxes[2].alternatives = {{"4", 0.03}, {"1", 0.4}};
  EXPECT_FALSE(TriageField(boxes, true, 274, 0.9, TriagePolicy()).accepted);
  // The box the bubbles contradict is read surely: the officer's digits
  // and bubbles disagree, which is for people to see.
  boxes[2].confidence = 0.995;
  boxes[2].alternatives = {{"4", 0.005}};
  TriagePolicy policy;
  policy.min_repair_probability = 0.001;
  EXPECT_FALSE(TriageField(boxes, true, 274, 0.9, policy).accepted);
  // More places in the bubbles than boxes: 1274 is not 274.
  boxes[2].confidence = 0.43;
  boxes[2].alternatives = {{"4", 0.4}};
  EXPECT_FALSE(TriageField(boxes, true, 1274, 0.9, TriagePolicy()).accepted);
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
  std::vector<RuleCheck> checks = TriagePage(rules, TriagePolicy(), &fields);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_TRUE(checks[0].ok);
  EXPECT_TRUE(fields["suara_sah"].accepted);

  fields["suara_total"].value = 431;
  checks = TriagePage(rules, TriagePolicy(), &fields);
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
  std::vector<RuleCheck> checks =
      TriagePage({{"r", {"a"}, {"b"}}}, TriagePolicy(), &fields);
  EXPECT_FALSE(checks[0].ok);
  EXPECT_FALSE(fields["a"].accepted);
}

// Page 3 as read: suara_sah, suara_tidak_sah, suara_total.
std::map<std::string, FieldTriage> Page3(const std::vector<BoxCall>& sah,
                                         const std::vector<BoxCall>& tidak_sah,
                                         const std::vector<BoxCall>& total) {
  std::map<std::string, FieldTriage> fields;
  fields["suara_sah"] =
      TriageField(sah, false, std::nullopt, 0, TriagePolicy());
  fields["suara_tidak_sah"] =
      TriageField(tidak_sah, false, std::nullopt, 0, TriagePolicy());
  fields["suara_total"] =
      TriageField(total, false, std::nullopt, 0, TriagePolicy());
  return fields;
}

const std::vector<ArithmeticRule> kPage3Rules = {
    {"total", {"suara_sah", "suara_tidak_sah"}, {"suara_total"}}};

TEST(TriagePageTest, ARuleThatHoldsVouchesForUnsureBoxes) {
  // 427 + 3 = 430, the units read at 0.7: alone that is review, but a
  // misread units digit would break the sum.
  std::vector<BoxCall> sah = Boxes({"4", "2", "7"});
  std::vector<BoxCall> total = Boxes({"4", "3", "0"});
  sah[2].confidence = 0.7;
  total[2].confidence = 0.7;
  std::map<std::string, FieldTriage> fields =
      Page3(sah, Boxes({"X", "X", "3"}), total);
  ASSERT_FALSE(fields["suara_sah"].accepted);
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  for (const auto& [name, field] : fields) {
    EXPECT_TRUE(field.accepted) << name;
    EXPECT_THAT(field.reasons, IsEmpty()) << name;
  }
}

TEST(TriagePageTest, ARuleDoesNotVouchForTheSameDigitUnsureOnBothSides) {
  // The hundreds "4" of suara_sah and suara_total, both unsure: misread
  // alike (one hand wrote both) they would keep the sum holding.
  std::vector<BoxCall> sah = Boxes({"4", "2", "7"});
  std::vector<BoxCall> total = Boxes({"4", "3", "0"});
  sah[0].confidence = 0.7;
  total[0].confidence = 0.8;
  std::map<std::string, FieldTriage> fields =
      Page3(sah, Boxes({"X", "X", "3"}), total);
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  EXPECT_FALSE(fields["suara_sah"].accepted);
  EXPECT_FALSE(fields["suara_total"].accepted);
  EXPECT_TRUE(fields["suara_tidak_sah"].accepted);  // sure on its own

  // One of the pair read surely: the rule vouches for the other.
  total[0].confidence = 0.995;
  fields = Page3(sah, Boxes({"X", "X", "3"}), total);
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  EXPECT_TRUE(fields["suara_sah"].accepted);
  EXPECT_TRUE(fields["suara_total"].accepted);
}

TEST(TriagePageTest, ARuleVouchesOnlyForBoxesAndOnlyForClearFavourites) {
  std::vector<BoxCall> sah = Boxes({"4", "2", "7"});
  sah[1].confidence = 0.3;  // not even the model's clear favourite
  std::map<std::string, FieldTriage> fields =
      Page3(sah, Boxes({"X", "X", "3"}), Boxes({"4", "3", "0"}));
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  EXPECT_FALSE(fields["suara_sah"].accepted);

  // A field in doubt for another reason than its boxes stays in review.
  fields = Page3(Boxes({"4", "2", "7"}), Boxes({"X", "X", "3"}),
                 Boxes({"4", "3", "0"}));
  fields["suara_sah"] = TriageField(Boxes({"4", "2", "7"}, 0.7), true,
                                    std::nullopt, 0, TriagePolicy());
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  EXPECT_FALSE(fields["suara_sah"].accepted);
  EXPECT_THAT(fields["suara_sah"].reasons,
              ::testing::Contains("bubbles unreadable"));
}

TEST(TriagePageTest, OneBoxReadOtherwiseThatMendsTheRuleGoesToPeopleAlone) {
  // 421 + 3 = 424 written; the units of suara_sah read as 7 (0.6), the
  // model's runner-up being the 1 that was written.
  std::vector<BoxCall> sah = Boxes({"4", "2", "7"});
  sah[2].confidence = 0.6;
  sah[2].alternatives = {{"1", 0.35}, {"9", 0.04}};
  std::map<std::string, FieldTriage> fields =
      Page3(sah, Boxes({"X", "X", "3"}), Boxes({"4", "2", "4"}));
  std::vector<RuleCheck> checks =
      TriagePage(kPage3Rules, TriagePolicy(), &fields);
  EXPECT_FALSE(checks[0].ok);  // as read
  EXPECT_TRUE(fields["suara_tidak_sah"].accepted);
  EXPECT_TRUE(fields["suara_total"].accepted);
  EXPECT_FALSE(fields["suara_sah"].accepted);
  EXPECT_EQ(fields["suara_sah"].value, 427);  // what was read, not a guess
  EXPECT_THAT(
      fields["suara_sah"].reasons,
      ::testing::Contains("the rules hold only if box 3 is 1 (read as 7)"));
}

TEST(TriagePageTest, NoMendingWhenItIsNotTheOnlyOneOrTooUnlikely) {
  // 421 + 3 = 429 read: 426 (runner-up of the units of suara_sah) or 424
  // (runner-up of the units of suara_total) would both mend the rule, so
  // there is no telling which box slipped.
  std::vector<BoxCall> sah = Boxes({"4", "2", "1"});
  sah[2].confidence = 0.6;
  sah[2].alternatives = {{"6", 0.35}};
  std::vector<BoxCall> total = Boxes({"4", "2", "9"});
  total[2].confidence = 0.7;
  total[2].alternatives = {{"4", 0.2}};
  std::map<std::string, FieldTriage> fields =
      Page3(sah, Boxes({"X", "X", "3"}), total);
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  for (const auto& [name, field] : fields) {
    EXPECT_FALSE(field.accepted) << name;
  }

  sah = Boxes({"4", "2", "7"});
  sah[2].confidence = 0.6;
  // A runner-up below min_repair_probability is no witness.
  sah[2].alternatives = {{"1", 0.03}};
  fields = Page3(sah, Boxes({"X", "X", "3"}), Boxes({"4", "2", "4"}));
  TriagePage(kPage3Rules, TriagePolicy(), &fields);
  for (const auto& [name, field] : fields) {
    EXPECT_FALSE(field.accepted) << name;
  }

  // Nor is a box the model is sure of mended.
  sah[2].confidence = 0.995;
  sah[2].alternatives = {{"1", 0.005}};
  TriagePolicy policy;
  policy.min_repair_probability = 0.001;
  fields = Page3(sah, Boxes({"X", "X", "3"}), Boxes({"4", "2", "4"}));
  TriagePage(kPage3Rules, policy, &fields);
  for (const auto& [name, field] : fields) {
    EXPECT_FALSE(field.accepted) << name;
  }
}

}  // namespace
}  // namespace c1tally::ocr
