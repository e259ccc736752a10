// The page tag: the AprilTag printed near the top of every page. Its id
// names the page (which FormSpec applies) and the order of its corners
// gives the photo's orientation; its four corners are the first points the
// page homography rests on (ocr/page_homography.h).
//
// Both functions are pure functions of their arguments: thread-safe, and
// OpenCV's exceptions become INTERNAL errors instead of escaping.
#ifndef C1TALLY_OCR_PAGE_TAG_H_
#define C1TALLY_OCR_PAGE_TAG_H_

#include <array>
#include <opencv2/core.hpp>
#include <vector>

#include "absl/status/statusor.h"
#include "ocr/form_spec.h"

namespace c1tally::ocr {

// A detected tag; corners in cv::aruco order (the tag's own top-left
// first, clockwise), refined to sub-pixel accuracy in the coordinates of
// the image given to DetectTags.
struct DetectedTag {
  int id = 0;
  std::array<cv::Point2f, 4> corners;
};

// Finds the tags of `dictionary_id` (cv::aruco::PREDEFINED_DICTIONARY_NAME)
// in `gray` (CV_8UC1), searching a copy scaled to `detect_long_side` and
// falling back to other detector settings when the first finds nothing.
// With `ids` given, only tags with those ids are found: the detector then
// compares each square it sees with a few codes instead of the whole
// dictionary (2,320 for 36h10), and the tags it finds are the same. An
// empty vector when none is found; INVALID_ARGUMENT for an empty or non
// CV_8UC1 image.
absl::StatusOr<std::vector<DetectedTag>> DetectTags(
    const cv::Mat& gray, int dictionary_id, int detect_long_side,
    const std::vector<int>& ids = {});

// The photo's page tag and the spec it names.
struct PageTag {
  // Points into the `specs` given to FindPageTag, which must outlive this
  // and must not be resized meanwhile.
  const FormSpec* spec = nullptr;
  DetectedTag tag;  // in the coordinates of FindPageTag's `gray`
};

// Picks the page tag of `gray` (CV_8UC1): the largest tag, by area, whose
// dictionary and id name one of `specs` (tags are searched with
// DetectTags at `detect_long_side`). Errors: a PageError status
// (ocr/page_error.h) of kWrongPage, naming the id, when only tags of no
// spec are seen; kNotAForm when no tag of any spec's dictionary is seen;
// and DetectTags' errors.
absl::StatusOr<PageTag> FindPageTag(const cv::Mat& gray,
                                    const std::vector<FormSpec>& specs,
                                    int detect_long_side);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_PAGE_TAG_H_
