// CheckPhoto: whether uploaded bytes are a whole photo worth storing.
//
// Anyone can upload, so before a byte is stored the photo must be a
// supported image (by magic bytes and header, ocr::ReadImageHeader), be
// complete (a JPEG ends its last scan with an end-of-image marker, a PNG has
// its IEND chunk; a cut-short upload would otherwise decode with a gray
// half and waste OCR and volunteers' time), and decode (ocr::DecodePhoto at
// reduced scale, which also applies the size and pixel limits).
#ifndef C1TALLY_SERVICES_INGEST_PHOTO_CHECK_H_
#define C1TALLY_SERVICES_INGEST_PHOTO_CHECK_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c1tally {

struct CheckedPhoto {
  std::string format;  // "jpeg", "png", "webp", "bmp", "tiff"
  int width = 0;
  int height = 0;
};

// INVALID_ARGUMENT with a message a person can act on ("not an image (looks
// like PDF)", "the JPEG is cut short ...", "photo too large ...") for
// anything that is not a whole, decodable photo within the limits.
absl::StatusOr<CheckedPhoto> CheckPhoto(absl::string_view bytes);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_INGEST_PHOTO_CHECK_H_
