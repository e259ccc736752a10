#include "ocr/image_decode.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <new>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

uint8_t Byte(absl::string_view b, size_t i) {
  return static_cast<uint8_t>(b[i]);
}
uint32_t Be16(absl::string_view b, size_t i) {
  return (Byte(b, i) << 8) | Byte(b, i + 1);
}
uint32_t Be32(absl::string_view b, size_t i) {
  return (Be16(b, i) << 16) | Be16(b, i + 2);
}
uint32_t Le16(absl::string_view b, size_t i) {
  return Byte(b, i) | (Byte(b, i + 1) << 8);
}
uint32_t Le32(absl::string_view b, size_t i) {
  return Le16(b, i) | (Le16(b, i + 2) << 16);
}

absl::Status Truncated(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " header is cut short or malformed"));
}

// Names what a non-image upload looks like, so the uploader learns why it
// was refused.
std::string GuessNonImage(absl::string_view b) {
  if (absl::StartsWith(b, "%PDF")) return "PDF";
  if (absl::StartsWith(b, "GIF8")) return "GIF, which is not accepted";
  if (absl::StartsWith(b, "PK\x03\x04")) return "a ZIP or office document";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    return "HEIC or a video, which is not accepted";
  }
  if (b.empty()) return "an empty file";
  const size_t n = std::min<size_t>(b.size(), 512);
  const bool text = std::all_of(b.begin(), b.begin() + n, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t';
  });
  return text ? "text" : "unknown binary data";
}

// JPEG: walks the marker segments up to the first start-of-frame.
absl::StatusOr<ImageHeader> JpegHeader(absl::string_view b) {
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (Byte(b, i) != 0xFF) return Truncated("JPEG");
    uint8_t marker = Byte(b, i + 1);
    if (marker == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      i += 2;  // standalone markers carry no length
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // EOI/SOS before any SOF
    const uint32_t length = Be16(b, i + 2);
    if (length < 2) return Truncated("JPEG");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 &&
                     marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (i + 9 > b.size()) return Truncated("JPEG");
      ImageHeader h{ImageFormat::kJpeg, static_cast<int>(Be16(b, i + 7)),
                    static_cast<int>(Be16(b, i + 5))};
      return h;
    }
    i += 2 + length;
  }
  return absl::InvalidArgumentError(
      "JPEG has no frame header (truncated or corrupt)");
}

absl::StatusOr<ImageHeader> PngHeader(absl::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") return Truncated("PNG");
  const uint32_t w = Be32(b, 16), h = Be32(b, 20);
  // PNG allows up to 2^31-1; clamp so the int fields cannot wrap.
  return ImageHeader{ImageFormat::kPng,
                     static_cast<int>(std::min<uint32_t>(w, 1u << 30)),
                     static_cast<int>(std::min<uint32_t>(h, 1u << 30))};
}

absl::StatusOr<ImageHeader> WebpHeader(absl::string_view b) {
  if (b.size() < 30) return Truncated("WebP");
  const absl::string_view chunk = b.substr(12, 4);
  ImageHeader h{ImageFormat::kWebp, 0, 0};
  if (chunk == "VP8X") {
    h.width = 1 + static_cast<int>(Byte(b, 24) | (Byte(b, 25) << 8) |
                                   (Byte(b, 26) << 16));
    h.height = 1 + static_cast<int>(Byte(b, 27) | (Byte(b, 28) << 8) |
                                    (Byte(b, 29) << 16));
  } else if (chunk == "VP8L") {
    const uint32_t bits = Le32(b, 21);
    h.width = 1 + static_cast<int>(bits & 0x3FFF);
    h.height = 1 + static_cast<int>((bits >> 14) & 0x3FFF);
  } else if (chunk == "VP8 ") {
    h.width = static_cast<int>(Le16(b, 26) & 0x3FFF);
    h.height = static_cast<int>(Le16(b, 28) & 0x3FFF);
  } else {
    return Truncated("WebP");
  }
  return h;
}

absl::StatusOr<ImageHeader> BmpHeader(absl::string_view b) {
  if (b.size() < 26) return Truncated("BMP");
  const uint32_t info_size = Le32(b, 14);
  ImageHeader h{ImageFormat::kBmp, 0, 0};
  if (info_size == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
    h.width = static_cast<int>(Le16(b, 18));
    h.height = static_cast<int>(Le16(b, 20));
    return h;
  }
  const int64_t w = static_cast<int32_t>(Le32(b, 18));
  const int64_t hh = static_cast<int32_t>(Le32(b, 22));  // < 0: top-down
  h.width = static_cast<int>(std::min<int64_t>(std::llabs(w), 1 << 30));
  h.height = static_cast<int>(std::min<int64_t>(std::llabs(hh), 1 << 30));
  return h;
}

// TIFF: reads ImageWidth (256) and ImageLength (257) from the first IFD.
absl::StatusOr<ImageHeader> TiffHeader(absl::string_view b) {
  if (b.size() < 8) return Truncated("TIFF");
  const bool le = b[0] == 'I';
  auto u16 = [&](size_t i) { return le ? Le16(b, i) : Be16(b, i); };
  auto u32 = [&](size_t i) { return le ? Le32(b, i) : Be32(b, i); };
  const uint64_t ifd = u32(4);
  if (ifd + 2 > b.size()) return Truncated("TIFF");
  const uint32_t count = u16(ifd);
  ImageHeader h{ImageFormat::kTiff, 0, 0};
  for (uint32_t k = 0; k < count; ++k) {
    const uint64_t e = ifd + 2 + 12ull * k;
    if (e + 12 > b.size()) return Truncated("TIFF");
    const uint32_t tag = u16(e), type = u16(e + 2);
    if (tag != 256 && tag != 257) continue;
    const uint32_t v = type == 3 ? u16(e + 8) : u32(e + 8);
    const int value = static_cast<int>(std::min<uint32_t>(v, 1u << 30));
    (tag == 256 ? h.width : h.height) = value;
  }
  if (h.width == 0 || h.height == 0) return Truncated("TIFF");
  return h;
}

absl::Status CheckDimensions(const ImageHeader& h, const DecodeLimits& l) {
  if (h.width <= 0 || h.height <= 0) {
    return absl::InvalidArgumentError("image header states a zero size");
  }
  if (h.width > l.max_side || h.height > l.max_side) {
    return absl::InvalidArgumentError(
        absl::StrCat("image is ", h.width, "x", h.height, " px; a side above ",
                     l.max_side, " px is refused"));
  }
  const int64_t pixels = int64_t{h.width} * h.height;
  if (pixels > l.max_pixels) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "image is ", h.width, "x", h.height, " px (", pixels / 1000000,
        " MP); above ", l.max_pixels / 1000000, " MP is refused"));
  }
  if (h.width < l.min_side || h.height < l.min_side) {
    return absl::InvalidArgumentError(
        absl::StrCat("image is ", h.width, "x", h.height,
                     " px: too small to be a form photo"));
  }
  return absl::OkStatus();
}

// The imdecode flag that decodes a JPEG at the smallest 1/2, 1/4 or 1/8
// scale whose long side is still at least `target_long_side` (libjpeg
// scales during decoding, which is much faster than decoding and
// shrinking); IMREAD_COLOR or IMREAD_GRAYSCALE for full size.
int DecodeFlagFor(const ImageHeader& header, int target_long_side,
                  PixelFormat format) {
  const bool gray = format == PixelFormat::kGray;
  if (header.format != ImageFormat::kJpeg || target_long_side <= 0) {
    return gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR;
  }
  const int long_side = std::max(header.width, header.height);
  if (long_side >= 8 * target_long_side) {
    return gray ? cv::IMREAD_REDUCED_GRAYSCALE_8 : cv::IMREAD_REDUCED_COLOR_8;
  }
  if (long_side >= 4 * target_long_side) {
    return gray ? cv::IMREAD_REDUCED_GRAYSCALE_4 : cv::IMREAD_REDUCED_COLOR_4;
  }
  if (long_side >= 2 * target_long_side) {
    return gray ? cv::IMREAD_REDUCED_GRAYSCALE_2 : cv::IMREAD_REDUCED_COLOR_2;
  }
  return gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR;
}

absl::StatusOr<cv::Mat> Decode(absl::string_view bytes, int flags) {
  // imdecode wants a Mat; this wraps the caller's bytes without copying.
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                       const_cast<char*>(bytes.data()));
  try {
    // IMREAD_COLOR and IMREAD_GRAYSCALE (and their reduced forms) give 8-bit
    // BGR or gray and, unless IMREAD_IGNORE_ORIENTATION is set, apply the
    // EXIF orientation (tested in ocr_image_decode_test).
    cv::Mat image = cv::imdecode(buffer, flags);
    if (image.empty()) {
      return absl::InvalidArgumentError("image data is corrupt or unsupported");
    }
    return image;
  } catch (const cv::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("image decoder failed: ", e.what()));
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory decoding the image");
  }
}

}  // namespace

absl::StatusOr<ImageHeader> ReadImageHeader(absl::string_view b) {
  if (absl::StartsWith(b, "\xFF\xD8\xFF")) return JpegHeader(b);
  if (absl::StartsWith(b, "\x89PNG\r\n\x1A\n")) return PngHeader(b);
  if (b.size() >= 12 && absl::StartsWith(b, "RIFF") &&
      b.substr(8, 4) == "WEBP") {
    return WebpHeader(b);
  }
  if (absl::StartsWith(b, "BM")) return BmpHeader(b);
  if (absl::StartsWith(b, absl::string_view("II*\0", 4)) ||
      absl::StartsWith(b, absl::string_view("MM\0*", 4))) {
    return TiffHeader(b);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("not an image (looks like ", GuessNonImage(b), ")"));
}

absl::StatusOr<cv::Mat> DecodePhoto(absl::string_view bytes,
                                    const DecodeLimits& limits,
                                    int target_long_side, PixelFormat format) {
  if (bytes.size() > limits.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("file is ", bytes.size(), " bytes; above ",
                     limits.max_bytes, " bytes is refused"));
  }
  absl::StatusOr<ImageHeader> header = ReadImageHeader(bytes);
  if (!header.ok()) return header.status();
  RETURN_IF_ERROR(CheckDimensions(*header, limits));
  absl::StatusOr<cv::Mat> image =
      Decode(bytes, DecodeFlagFor(*header, target_long_side, format));
  if (!image.ok()) return image;
  // EXIF rotation may swap the sides, and a lying header must not let a
  // different size through: check what was actually decoded.
  const ImageHeader decoded{header->format, image->cols, image->rows};
  RETURN_IF_ERROR(CheckDimensions(decoded, limits));
  return image;
}

absl::StatusOr<std::string> ReadPhotoFile(const std::string& path,
                                          const DecodeLimits& limits) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  const std::streamoff size = in.tellg();
  if (size < 0) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  if (static_cast<uint64_t>(size) > limits.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(path, " is ", size, " bytes; above ", limits.max_bytes,
                     " bytes is refused"));
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), size)) {
    return absl::DataLossError(absl::StrCat("short read on ", path));
  }
  return bytes;
}

absl::StatusOr<cv::Mat> DecodePhotoFile(const std::string& path,
                                        const DecodeLimits& limits,
                                        int target_long_side,
                                        PixelFormat format) {
  ASSIGN_OR_RETURN(std::string bytes, ReadPhotoFile(path, limits));
  return DecodePhoto(bytes, limits, target_long_side, format);
}

}  // namespace c1tally::ocr
