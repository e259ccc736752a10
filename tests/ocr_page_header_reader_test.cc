#include "gtest/gtest.h"
#include "ocr/page_header_reader.h"
#include "opencv2/imgcodecs.hpp"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

TEST(PageHeaderParseTest, FindsFormAndPageDespiteSlips) {
  PageHeader header =
      PageHeaderReader::Parse("MODEL\nC.HASIL-PPWP\nHalaman 2 dari 3\n");
  EXPECT_EQ(header.form, "C.HASIL-PPWP");
  EXPECT_EQ(header.page, 2);
  EXPECT_EQ(header.pages_total, 3);
  header = PageHeaderReader::Parse("MODEL C HASILPPWP\nHalaman3 dan 3");
  EXPECT_EQ(header.form, "C.HASIL-PPWP");
  EXPECT_EQ(header.page, 3);
  header = PageHeaderReader::Parse("Provinsi : ......");
  EXPECT_TRUE(header.form.empty());
  EXPECT_FALSE(header.page.has_value());
}

// The printed header of the real templates.
TEST(PageHeaderReaderTest, ReadsTheTemplates) {
  const std::string data = testing::SharedDataDir();
  C1TALLY_NEED(!data.empty(), "../shared/data");
  absl::StatusOr<std::unique_ptr<PageHeaderReader>> reader =
      PageHeaderReader::Create();
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (int page : {2, 3}) {
    cv::Mat image = cv::imread(data + "/forms/templates/PPWP-2024-hal" +
                                   std::to_string(page) + "-plano.png",
                               cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(image.empty());
    // The top right corner, where the model and page are printed.
    cv::Rect box(static_cast<int>(image.cols * 0.82),
                 static_cast<int>(image.rows * 0.03),
                 static_cast<int>(image.cols * 0.12),
                 static_cast<int>(image.rows * 0.055));
    PageHeader header = (*reader)->Read(image(box));
    EXPECT_EQ(header.form, "C.HASIL-PPWP") << header.text;
    EXPECT_EQ(header.page, page) << header.text;
    EXPECT_EQ(header.pages_total, 3) << header.text;
  }
}

TEST(PageHeaderReaderTest, EmptyInputReadsNothing) {
  absl::StatusOr<std::unique_ptr<PageHeaderReader>> reader =
      PageHeaderReader::Create();
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE((*reader)->Read(cv::Mat()).form.empty());
  EXPECT_TRUE(
      (*reader)->Read(cv::Mat(1, 1, CV_8UC1, cv::Scalar(0))).form.empty());
}

}  // namespace
}  // namespace c1tally::ocr
