// Triage of one field: turns the classes read from its digit boxes (and, on
// page 2, its bubbles) into a number and decides whether the machine may
// publish it alone ("accepted") or people must type it ("review").
//
// The rule, in the project's words: no number is published that a
// confident, self-consistent machine reading does not vouch for. So a field
// is accepted only if every box is confident (less so where the bubbles
// independently give the same number), the boxes form a number
// (leading X or blank boxes are zeros; nothing but digits after the first
// digit), the bubbles agree where the page has them, and every arithmetic
// rule of the page that names the field holds (checked by TriagePage).
#ifndef C1TALLY_OCR_FIELD_TRIAGE_H_
#define C1TALLY_OCR_FIELD_TRIAGE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ocr/form_spec.h"

namespace c1tally::ocr {

// What the classifier said of one box.
struct BoxCall {
  // "0".."9", "X" or "blank".
  std::string digit_class;
  // Calibrated probability that the class is right.
  double confidence = 0;
};

struct TriagePolicy {
  // Every box must be at least this sure...
  double min_box_confidence = 0.99;
  // ...or, where the bubbles (read clearly) give the same number, this sure:
  // the box's reading must be the model's clear favourite. The bubbles are
  // a second, independent reading of every digit, so a wrong box passes
  // only if the officer's bubbles are also read as that very wrong digit.
  // Measured on 500 generated pages (`c1ctl ocr eval`): the model is wrong
  // on under 3% of the boxes it gives 0.5 or more, and no bubble number read
  // clearly was wrong (0 of 718), so the two agreeing on a wrong digit is
  // orders of magnitude rarer than a wrong box at the single threshold.
  double min_box_confidence_confirmed = 0.5;
  // A bubble column must be at least this clear to count as agreeing.
  double min_bubble_confidence = 0.5;
};

struct FieldTriage {
  std::optional<int64_t> value;
  bool accepted = false;
  // Product of the box confidences.
  double confidence = 0;
  // Why not accepted; empty when accepted.
  std::vector<std::string> reasons;
};

// The number the boxes form, most significant first; unset when they form
// none (all X/blank, or X/blank after a digit).
std::optional<int64_t> NumberFromBoxes(const std::vector<BoxCall>& boxes);

// Triage from the boxes alone, plus the bubble number where the page has
// bubbles (`has_bubbles`; `bubble_value` unset = unreadable bubbles).
FieldTriage TriageField(const std::vector<BoxCall>& boxes, bool has_bubbles,
                        std::optional<int64_t> bubble_value,
                        double bubble_confidence, const TriagePolicy& policy);

struct RuleCheck {
  std::string rule;
  // False also when a field of the rule has no value.
  bool ok = false;
};

// Checks the page's rules against the field values and demotes to review
// every accepted field of a rule that does not hold. Returns the checks in
// rule order.
std::vector<RuleCheck> TriagePage(const std::vector<ArithmeticRule>& rules,
                                  std::map<std::string, FieldTriage>* fields);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_FIELD_TRIAGE_H_
