#include "gtest/gtest.h"
#include "ocr/bubble_reader.h"
#include "opencv2/imgproc.hpp"

namespace c1tally::ocr {
namespace {

// A white page with one printed column of ten numbered bubbles.
struct Column {
  cv::Mat page = cv::Mat(400, 100, CV_8UC1, cv::Scalar(255));
  BubbleColumn centres;
  float radius = 10;

  Column() {
    for (int digit = 0; digit < 10; ++digit) {
      cv::Point2f centre(50, 30 + digit * 35);
      centres.centres[digit] = centre;
      cv::circle(page, centre, static_cast<int>(radius), cv::Scalar(40), 2);
      cv::putText(page, std::to_string(digit), centre + cv::Point2f(-5, 5),
                  cv::FONT_HERSHEY_PLAIN, 1.0, cv::Scalar(60), 1);
    }
  }

  void Blacken(int digit, int gray = 30) {
    cv::circle(page, centres.centres[digit], static_cast<int>(radius) - 1,
               cv::Scalar(gray), cv::FILLED);
  }
};

TEST(BubbleReaderTest, ReadsTheBlackenedBubble) {
  for (int digit = 0; digit < 10; ++digit) {
    Column column;
    column.Blacken(digit);
    BubbleColumnReading reading =
        ReadBubbleColumn(column.page, column.centres, column.radius);
    ASSERT_TRUE(reading.digit.has_value()) << digit;
    EXPECT_EQ(*reading.digit, digit);
    EXPECT_FALSE(reading.empty);
    EXPECT_GT(reading.confidence, 0.9);
  }
}

TEST(BubbleReaderTest, EmptyAndAmbiguousColumns) {
  Column empty;
  BubbleColumnReading reading =
      ReadBubbleColumn(empty.page, empty.centres, empty.radius);
  EXPECT_TRUE(reading.empty);
  EXPECT_FALSE(reading.digit.has_value());

  Column twice;
  twice.Blacken(2);
  twice.Blacken(7);
  reading = ReadBubbleColumn(twice.page, twice.centres, twice.radius);
  EXPECT_FALSE(reading.empty);
  EXPECT_FALSE(reading.digit.has_value());
  EXPECT_EQ(reading.confidence, 0);
}

TEST(BubbleReaderTest, BadInputReadsNothing) {
  Column column;
  EXPECT_FALSE(ReadBubbleColumn(cv::Mat(), column.centres, 10).digit);
  BubbleColumn outside;
  outside.centres.fill(cv::Point2f(-100, -100));
  EXPECT_FALSE(ReadBubbleColumn(column.page, outside, 10).digit);
}

TEST(BubbleNumberTest, LeadingEmptyColumnsAreZeros) {
  BubbleColumnReading none;
  none.empty = true;
  BubbleColumnReading three, two, unclear;
  three.digit = 3;
  two.digit = 2;
  EXPECT_EQ(BubbleNumber({none, three, two}), 32);
  EXPECT_EQ(BubbleNumber({three, none, two}), std::nullopt);
  EXPECT_EQ(BubbleNumber({none, none, none}), std::nullopt);
  EXPECT_EQ(BubbleNumber({three, unclear, two}), std::nullopt);
}

}  // namespace
}  // namespace c1tally::ocr
