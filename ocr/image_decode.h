// Guarded decoding of uploaded photos.
//
// Uploaded bytes come from anyone, so every check that can be made from the
// header is made before the decoder runs: cv::imdecode allocates whatever
// the header claims, which makes a small "decompression bomb" file cost
// gigabytes. Only after the format, the byte size and the claimed
// dimensions pass does OpenCV decode the pixels.
#ifndef C1TALLY_OCR_IMAGE_DECODE_H_
#define C1TALLY_OCR_IMAGE_DECODE_H_

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c1tally::ocr {

// Bounds applied before and after decoding. The defaults fit phone photos
// of a plano form (12-50 MP) with room to spare.
struct DecodeLimits {
  size_t max_bytes = 25u * 1024 * 1024;  // RESOURCE_EXHAUSTED above
  int64_t max_pixels = 50'000'000;       // RESOURCE_EXHAUSTED above
  int max_side = 20000;                  // INVALID_ARGUMENT above
  int min_side = 100;                    // INVALID_ARGUMENT below
};

// The container formats DecodePhoto accepts, recognised by magic bytes.
enum class ImageFormat { kUnknown, kJpeg, kPng, kWebp, kBmp, kTiff };

// Width and height as the file header states them, before any decoding.
struct ImageHeader {
  ImageFormat format = ImageFormat::kUnknown;
  int width = 0;
  int height = 0;
};

// The pixels DecodePhoto returns: 8-bit BGR, or 8-bit gray. Gray is
// decoded as such (a JPEG's luma alone: no chroma is decoded or converted),
// which is what the reader needs and about a third cheaper.
enum class PixelFormat { kBgr, kGray };

// Recognises the format by magic bytes and reads the stated dimensions
// (JPEG SOF marker, PNG IHDR, WebP VP8/VP8L/VP8X, BMP info header, TIFF
// first IFD) without decoding pixels.
// INVALID_ARGUMENT: not an image ("not an image (looks like PDF)"), or a
// header that is cut short or malformed.
absl::StatusOr<ImageHeader> ReadImageHeader(absl::string_view bytes);

// Decodes `bytes` to an 8-bit, 3-channel BGR image (or, with
// PixelFormat::kGray, a 1-channel gray one), turned upright according to
// the EXIF orientation tag when there is one.
// Errors (never throws):
//   RESOURCE_EXHAUSTED: more than limits.max_bytes, or the header claims
//     more than limits.max_pixels;
//   INVALID_ARGUMENT: not a supported image, a side above limits.max_side
//     or below limits.min_side ("too small to be a form photo"), or pixel
//     data the decoder rejects.
// A truncated JPEG may decode with its missing part filled in gray; that
// photo then fails registration or reads as review, which is the right
// outcome for half an image.
//
// `target_long_side` > 0 lets a JPEG be decoded at 1/2, 1/4 or 1/8 scale
// (by libjpeg, while decoding) as long as its long side stays at least that
// long: the reader needs about reference resolution, and decoding 12 MP at
// full size is most of the cost of a read.
absl::StatusOr<cv::Mat> DecodePhoto(absl::string_view bytes,
                                    const DecodeLimits& limits = {},
                                    int target_long_side = 0,
                                    PixelFormat format = PixelFormat::kBgr);

// Reads the file at `path` (refusing files above limits.max_bytes before
// reading them) and decodes it as DecodePhoto does. NOT_FOUND when the file
// cannot be opened.
// The bytes of the file at `path`, refusing (RESOURCE_EXHAUSTED) a file
// above limits.max_bytes before reading it; NOT_FOUND when it cannot be
// opened.
absl::StatusOr<std::string> ReadPhotoFile(const std::string& path,
                                          const DecodeLimits& limits = {});

absl::StatusOr<cv::Mat> DecodePhotoFile(const std::string& path,
                                        const DecodeLimits& limits = {},
                                        int target_long_side = 0,
                                        PixelFormat format = PixelFormat::kBgr);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_IMAGE_DECODE_H_
