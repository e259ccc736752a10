// Form specs: where everything sits on one page of one form kind, as data.
//
// A spec is one JSON file under ocr/forms/. Coordinates are pixels in the
// page's reference frame: the page upright, scaled to reference_size, with
// (0,0) at the top-left. Registration maps a photo into that frame, so the
// cell and bubble readers only ever see reference coordinates. A new form
// kind is a new JSON file; no code changes. The format (points [x, y],
// boxes [x, y, w, h]):
//
//   {"form": "C.HASIL-PPWP", "page": 2, "pages_total": 3,
//    "reference_size": [w, h],
//    "tag": {"dictionary": "DICT_APRILTAG_36h10", "id": 102,
//            "corners": [4 points, cv::aruco order]},
//    "corner_marks": [{"corner": "top_left", "outer": point, "size": [w, h],
//                      "search_box": box}, ...top_right, bottom_right,
//                      bottom_left],
//    "header_box": box,
//    "fields": [{"name": "suara_paslon_1", "boxes": [3 boxes],
//                "bubbles": {"radius": r, "columns": [3 x 10 points]}}],
//    "rules": [{"name": "...", "lhs": [names], "rhs": [names]}]}
//
// "bubbles" and "rules" are optional; other keys (e.g. "note") are ignored.
#ifndef C1TALLY_OCR_FORM_SPEC_H_
#define C1TALLY_OCR_FORM_SPEC_H_

#include <array>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace c1tally::ocr {

// One of the four black corner marks. Order in FormSpec::corner_marks:
// top-left, top-right, bottom-right, bottom-left.
struct CornerMark {
  // The mark's outermost corner (the one nearest the page corner).
  cv::Point2f outer_corner;
  // Width and height of the whole mark (both squares), for telling it from
  // text and lines in the search box.
  cv::Size2f size;
  // Where registration first looks for the mark, in reference coordinates;
  // it may extend past the page.
  cv::Rect2f search_box;
};

// The 10 bubbles (digits 0..9, top to bottom) under one digit box.
struct BubbleColumn {
  std::array<cv::Point2f, 10> centres;
};

// One number written in three boxes.
struct DigitField {
  std::string name;  // e.g. "suara_paslon_1", "pemilih_dpt_l"
  // Hundreds, tens, units: the printed frame of each box (outer edge).
  std::array<cv::Rect2f, 3> boxes;
  // Empty, or one column per box (page 2 of C.HASIL-PPWP).
  std::vector<BubbleColumn> bubble_columns;
  float bubble_radius = 0;
};

// sum(lhs) == sum(rhs) must hold among the page's fields.
struct ArithmeticRule {
  std::string name;
  std::vector<std::string> lhs;
  std::vector<std::string> rhs;
};

struct FormSpec {
  std::string form;  // "C.HASIL-PPWP"
  int page = 0;      // 1-based
  int pages_total = 0;
  std::string tag_dictionary;  // OpenCV aruco name, "DICT_APRILTAG_36h10"
  int tag_dictionary_id = 0;   // the cv::aruco::PREDEFINED_DICTIONARY_NAME
  int tag_id = 0;              // unique across all loaded specs
  // The tag's corners in cv::aruco's order (its own top-left first,
  // clockwise), in reference coordinates. Matching them index by index
  // fixes the photo's orientation.
  std::array<cv::Point2f, 4> tag_corners;
  cv::Size reference_size;
  std::array<CornerMark, 4> corner_marks;
  // Where "MODEL C.HASIL-PPWP" and "Halaman N dari 3" are printed.
  cv::Rect2f header_box;
  std::vector<DigitField> fields;
  std::vector<ArithmeticRule> rules;
  std::string source_path;  // the JSON file it came from

  // The field named `name`, or nullptr. The pointer lives as long as this.
  const DigitField* FindField(const std::string& name) const;
};

// Parses and validates one spec. INVALID_ARGUMENT with the file and the
// reason for bad JSON, a missing or mistyped key, an unknown tag
// dictionary, a point or box outside the page, duplicate field names, or a
// rule naming an unknown field; NOT_FOUND if the file cannot be read.
absl::StatusOr<FormSpec> ParseFormSpec(const std::string& json_text,
                                       const std::string& source_path);
absl::StatusOr<FormSpec> LoadFormSpec(const std::string& path);

// Loads every *.json in `dir` (sorted by file name). Fails on the first
// bad file, on two specs sharing a tag id, and on an empty directory.
absl::StatusOr<std::vector<FormSpec>> LoadFormSpecs(const std::string& dir);

// The specs shipped in the source tree (C1TALLY_FORMS_DIR).
std::string DefaultFormsDir();

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_FORM_SPEC_H_
