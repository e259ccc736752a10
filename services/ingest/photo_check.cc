#include "services/ingest/photo_check.h"

#include "absl/strings/str_cat.h"
#include "ocr/image_decode.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

// Decoding at this long side checks every byte of entropy-coded data while
// libjpeg scales down by 8 (about 10 ms for 12 MP).
constexpr int kCheckLongSide = 256;

const char* FormatName(ocr::ImageFormat format) {
  switch (format) {
    case ocr::ImageFormat::kJpeg:
      return "jpeg";
    case ocr::ImageFormat::kPng:
      return "png";
    case ocr::ImageFormat::kWebp:
      return "webp";
    case ocr::ImageFormat::kBmp:
      return "bmp";
    case ocr::ImageFormat::kTiff:
      return "tiff";
    case ocr::ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

// In entropy-coded JPEG data every 0xFF is followed by 0x00 or a restart
// marker, so an end-of-image marker (FF D9) after the last start-of-scan
// (FF DA) means the last scan was finished. An EXIF thumbnail's markers
// come before the main image's scans and do not count.
bool JpegIsComplete(absl::string_view bytes) {
  const size_t last_scan = bytes.rfind("\xFF\xDA");
  const size_t last_end = bytes.rfind("\xFF\xD9");
  return last_scan != absl::string_view::npos &&
         last_end != absl::string_view::npos && last_end > last_scan;
}

// The IEND chunk closes every PNG; some writers pad after it.
bool PngIsComplete(absl::string_view bytes) {
  const size_t tail = bytes.size() > 64 ? bytes.size() - 64 : 0;
  return bytes.find("IEND", tail) != absl::string_view::npos;
}

absl::Status CheckComplete(ocr::ImageFormat format, absl::string_view bytes) {
  bool complete = true;
  if (format == ocr::ImageFormat::kJpeg) complete = JpegIsComplete(bytes);
  if (format == ocr::ImageFormat::kPng) complete = PngIsComplete(bytes);
  if (complete) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("the ", FormatName(format),
                   " is cut short (no end-of-image marker); upload the whole "
                   "file again"));
}

// The decoder's own codes, turned into the one an uploader gets for a photo
// that will never be accepted.
absl::Status AsInvalid(const absl::Status& status) {
  if (status.ok() || absl::IsInvalidArgument(status)) return status;
  return absl::InvalidArgumentError(status.message());
}

}  // namespace

absl::StatusOr<CheckedPhoto> CheckPhoto(absl::string_view bytes) {
  const ocr::DecodeLimits limits;
  if (bytes.size() > limits.max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("photo too large: ", bytes.size(), " bytes; at most ",
                     limits.max_bytes, " bytes are accepted"));
  }
  absl::StatusOr<ocr::ImageHeader> header = ocr::ReadImageHeader(bytes);
  if (!header.ok()) return AsInvalid(header.status());
  RETURN_IF_ERROR(CheckComplete(header->format, bytes));
  absl::StatusOr<cv::Mat> decoded =
      ocr::DecodePhoto(bytes, limits, kCheckLongSide);
  if (!decoded.ok()) return AsInvalid(decoded.status());
  CheckedPhoto photo;
  photo.format = FormatName(header->format);
  photo.width = header->width;
  photo.height = header->height;
  return photo;
}

}  // namespace c1tally
