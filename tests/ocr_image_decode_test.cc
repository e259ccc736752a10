// Guarded decoding: refusals happen on the header, before any pixels are
// allocated, and every bad input ends in a Status, never a crash.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/image_decode.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

std::string Encode(const cv::Mat& image, const std::string& ext) {
  std::vector<uchar> bytes;
  EXPECT_TRUE(cv::imencode(ext, image, bytes));
  return std::string(bytes.begin(), bytes.end());
}

// A 300x200 image: black left third, white elsewhere, so orientation shows.
cv::Mat Marked() {
  cv::Mat image(200, 300, CV_8UC3, cv::Scalar(255, 255, 255));
  image(cv::Rect(0, 0, 100, 200)).setTo(cv::Scalar(0, 0, 0));
  return image;
}

void PutBe32(std::string* s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    (*s)[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
}

// Rewrites the frame size in a JPEG's first SOF0 marker.
std::string WithJpegSize(std::string jpeg, int width, int height) {
  const size_t sof = jpeg.find("\xFF\xC0");
  EXPECT_NE(sof, std::string::npos);
  jpeg[sof + 5] = static_cast<char>(height >> 8);
  jpeg[sof + 6] = static_cast<char>(height & 0xFF);
  jpeg[sof + 7] = static_cast<char>(width >> 8);
  jpeg[sof + 8] = static_cast<char>(width & 0xFF);
  return jpeg;
}

// An APP1 Exif segment (big-endian TIFF) holding only Orientation.
std::string ExifOrientation(int orientation) {
  std::string tiff("MM\0*\0\0\0\x08", 8);
  tiff += std::string("\0\x01", 2);                    // one IFD entry
  tiff += std::string("\x01\x12\0\x03\0\0\0\x01", 8);  // 0x0112 SHORT x1
  tiff += std::string("\0", 1) + static_cast<char>(orientation) +
          std::string("\0\0", 2);
  tiff += std::string("\0\0\0\0", 4);  // no next IFD
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const size_t length = payload.size() + 2;
  return std::string("\xFF\xE1") + static_cast<char>(length >> 8) +
         static_cast<char>(length & 0xFF) + payload;
}

TEST(DecodePhotoTest, DecodesJpegAndPngToBgr) {
  for (const char* ext : {".jpg", ".png", ".bmp", ".tiff", ".webp"}) {
    absl::StatusOr<cv::Mat> image = DecodePhoto(Encode(Marked(), ext));
    ASSERT_TRUE(image.ok()) << ext << ": " << image.status();
    EXPECT_EQ(image->type(), CV_8UC3) << ext;
    EXPECT_EQ(image->size(), cv::Size(300, 200)) << ext;
  }
}

TEST(DecodePhotoTest, ReadsHeaderSizesWithoutDecoding) {
  for (const char* ext : {".jpg", ".png", ".bmp", ".tiff", ".webp"}) {
    absl::StatusOr<ImageHeader> header = ReadImageHeader(Encode(Marked(), ext));
    ASSERT_TRUE(header.ok()) << ext << ": " << header.status();
    EXPECT_EQ(header->width, 300) << ext;
    EXPECT_EQ(header->height, 200) << ext;
  }
}

TEST(DecodePhotoTest, RefusesPdf) {
  absl::StatusOr<cv::Mat> image =
      DecodePhoto("%PDF-1.7\n1 0 obj\n<< >>\nendobj\n");
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(image.status().message(), "not an image (looks like PDF)");
}

TEST(DecodePhotoTest, RefusesText) {
  absl::StatusOr<cv::Mat> image =
      DecodePhoto("suara_sah,427\nsuara_tidak_sah,3\n");
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(image.status().message(), "not an image (looks like text)");
  EXPECT_EQ(DecodePhoto("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DecodePhotoTest, RefusesOnePixelPng) {
  absl::StatusOr<cv::Mat> image =
      DecodePhoto(Encode(cv::Mat(1, 1, CV_8UC3), ".png"));
  EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(image.status().message().find("too small to be a form photo"),
            std::string::npos);
}

TEST(DecodePhotoTest, RefusesHeaderClaiming20000Squared) {
  const std::string jpeg = WithJpegSize(Encode(Marked(), ".jpg"), 20000, 20000);
  absl::StatusOr<cv::Mat> image = DecodePhoto(jpeg);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kResourceExhausted)
      << image.status();
  EXPECT_NE(image.status().message().find("20000x20000"), std::string::npos);
  // One side too long is refused even when the area would pass.
  absl::StatusOr<cv::Mat> strip =
      DecodePhoto(WithJpegSize(Encode(Marked(), ".jpg"), 30000, 200));
  EXPECT_EQ(strip.status().code(), absl::StatusCode::kInvalidArgument)
      << strip.status();
}

TEST(DecodePhotoTest, RefusesDecompressionBombPng) {
  // A real, tiny PNG whose IHDR is rewritten to 8000x8000 (64 MP): the
  // file stays a few hundred bytes; decoding it would need 192 MB.
  std::string png =
      Encode(cv::Mat(100, 100, CV_8UC3, cv::Scalar::all(255)), ".png");
  ASSERT_LT(png.size(), 2000u);
  PutBe32(&png, 16, 8000);
  PutBe32(&png, 20, 8000);
  absl::StatusOr<cv::Mat> image = DecodePhoto(png);
  EXPECT_EQ(image.status().code(), absl::StatusCode::kResourceExhausted)
      << image.status();
}

TEST(DecodePhotoTest, RefusesOver25Megabytes) {
  std::string big = Encode(Marked(), ".jpg");
  big.resize(26u * 1024 * 1024, '\0');
  EXPECT_EQ(DecodePhoto(big).status().code(),
            absl::StatusCode::kResourceExhausted);
  testing::TempDir dir;
  testing::WriteFile(dir.Sub("big.jpg"), big);
  EXPECT_EQ(DecodePhotoFile(dir.Sub("big.jpg")).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(DecodePhotoFile(dir.Sub("missing.jpg")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DecodePhotoTest, HonoursExifOrientation) {
  const std::string plain = Encode(Marked(), ".jpg");
  // Orientation 6: the camera was turned; the viewer rotates 90° clockwise.
  const std::string rotated =
      plain.substr(0, 2) + ExifOrientation(6) + plain.substr(2);
  absl::StatusOr<cv::Mat> image = DecodePhoto(rotated);
  ASSERT_TRUE(image.ok()) << image.status();
  ASSERT_EQ(image->size(), cv::Size(200, 300));
  cv::Mat gray;
  cv::cvtColor(*image, gray, cv::COLOR_BGR2GRAY);
  // The black left third is now the top third.
  EXPECT_LT(cv::mean(gray(cv::Rect(0, 0, 200, 90)))[0], 40);
  EXPECT_GT(cv::mean(gray(cv::Rect(0, 110, 200, 190)))[0], 215);
}

TEST(DecodePhotoTest, DecodesGrayAtFullAndReducedScale) {
  for (const char* ext : {".jpg", ".png"}) {
    absl::StatusOr<cv::Mat> image =
        DecodePhoto(Encode(Marked(), ext), {}, 0, PixelFormat::kGray);
    ASSERT_TRUE(image.ok()) << ext << ": " << image.status();
    EXPECT_EQ(image->type(), CV_8UC1) << ext;
    EXPECT_EQ(image->size(), cv::Size(300, 200)) << ext;
    EXPECT_LT(cv::mean((*image)(cv::Rect(0, 0, 90, 200)))[0], 40) << ext;
  }
  // A JPEG four times the target is decoded at a quarter (by libjpeg); a
  // PNG cannot be, and stays whole.
  cv::Mat big;
  cv::resize(Marked(), big, cv::Size(1200, 800), 0, 0, cv::INTER_NEAREST);
  absl::StatusOr<cv::Mat> quarter =
      DecodePhoto(Encode(big, ".jpg"), {}, 300, PixelFormat::kGray);
  ASSERT_TRUE(quarter.ok()) << quarter.status();
  EXPECT_EQ(quarter->type(), CV_8UC1);
  EXPECT_EQ(quarter->size(), cv::Size(300, 200));
  absl::StatusOr<cv::Mat> png =
      DecodePhoto(Encode(big, ".png"), {}, 300, PixelFormat::kGray);
  ASSERT_TRUE(png.ok()) << png.status();
  EXPECT_EQ(png->size(), cv::Size(1200, 800));
}

TEST(DecodePhotoTest, GrayHonoursExifOrientation) {
  const std::string plain = Encode(Marked(), ".jpg");
  const std::string rotated =
      plain.substr(0, 2) + ExifOrientation(6) + plain.substr(2);
  for (int target : {0, 100}) {
    absl::StatusOr<cv::Mat> image =
        DecodePhoto(rotated, {}, target, PixelFormat::kGray);
    ASSERT_TRUE(image.ok()) << image.status();
    const int f = target == 0 ? 1 : 2;  // 300 px long side: 1/2 for 100
    ASSERT_EQ(image->size(), cv::Size(200 / f, 300 / f));
    // The black left third is now the top third.
    EXPECT_LT(cv::mean((*image)(cv::Rect(0, 0, 200 / f, 90 / f)))[0], 40);
    EXPECT_GT(cv::mean((*image)(cv::Rect(0, 110 / f, 200 / f, 190 / f)))[0],
              215);
  }
}

TEST(DecodePhotoTest, TruncatedJpegIsAnErrorOrAnImageNeverACrash) {
  const std::string jpeg = Encode(Marked(), ".jpg");
  for (size_t cut : {size_t{2}, size_t{20}, jpeg.size() / 3, jpeg.size() / 2,
                     jpeg.size() - 2}) {
    absl::StatusOr<cv::Mat> image = DecodePhoto(jpeg.substr(0, cut));
    if (image.ok()) {
      EXPECT_EQ(image->size(), cv::Size(300, 200)) << cut;
    } else {
      EXPECT_EQ(image.status().code(), absl::StatusCode::kInvalidArgument)
          << cut;
    }
  }
}

TEST(DecodePhotoTest, TruncatedRealPhoto) {
  const std::string data = testing::SharedDataDir();
  C1TALLY_NEED(!data.empty(), "../shared/data");
  const std::string jpeg =
      testing::ReadFile(data + "/forms/photos/2024/ppwp-page2-a.jpg");
  absl::StatusOr<cv::Mat> whole = DecodePhoto(jpeg);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(std::max(whole->cols, whole->rows), 4032);
  absl::StatusOr<cv::Mat> half = DecodePhoto(jpeg.substr(0, jpeg.size() / 2));
  if (half.ok()) {
    EXPECT_EQ(half->size(), whole->size());
  }
  absl::StatusOr<cv::Mat> head = DecodePhoto(jpeg.substr(0, 300));
  EXPECT_FALSE(head.ok());
}

}  // namespace
}  // namespace c1tally::ocr
