// The OCR library's PageReading as the API's Reading: what a worker reports
// and what the submission keeps (crops as PNG, for reviewers).
#ifndef C1TALLY_SERVICES_OCR_READING_PROTO_H_
#define C1TALLY_SERVICES_OCR_READING_PROTO_H_

#include <string>

#include "absl/status/statusor.h"
#include "c1tally/v1/reading.pb.h"
#include "ocr/page_reader.h"

namespace c1tally {

// INTERNAL only when a crop cannot be encoded.
absl::StatusOr<v1::Reading> ReadingToProto(const ocr::PageReading& reading,
                                           const std::string& model_version);

// The Reading.Error of a PageReading's error.
v1::Reading::Error ReadingErrorOf(ocr::PageError error);

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_OCR_READING_PROTO_H_
