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
// rule of the page that names the field holds (checked by TriagePage); a
// rule that holds also lowers the box threshold of its fields, as agreeing
// bubbles do.
#ifndef C1TALLY_OCR_FIELD_TRIAGE_H_
#define C1TALLY_OCR_FIELD_TRIAGE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ocr/form_spec.h"

namespace c1tally::ocr {

// What the classifier said of one box.
struct BoxCall {
  // "0".."9", "X" or "blank".
  std::string digit_class;
  // Calibrated probability that the class is right.
  double confidence = 0;
  // The other classes the model thought possible, with their probabilities
  // (any order); only used to see whether one box read otherwise would
  // make the rules hold or the bubbles agree (min_repair_probability).
  std::vector<std::pair<std::string, double>> alternatives = {};
  // True when the crop looks unlike every box the model was trained on
  // (DigitReading::novel): the field then goes to people whatever else
  // agrees.
  bool novel = false;
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
  // ...or, where an arithmetic rule of the page holds with the field's value
  // (page 3: suara_sah + suara_tidak_sah = suara_total), this sure. A rule
  // holding is a second witness too: a misread digit passes only if another
  // box of the rule is misread by exactly the compensating amount. One such
  // pair is likely, not rare: the same digit in the same place on both
  // sides (the hundreds of suara_sah and suara_total, written by one hand)
  // misread the same way in both leaves the rule holding. So for such a
  // pair the rule vouches only if one of the two is read at
  // min_box_confidence. Chosen on a tuning set (`c1ctl forms generate
  // --generate_seed 2000000`), checked on the evaluation set; see
  // docs/ARCHITECTURE.md.
  double min_box_confidence_by_rule = 0.5;
  // Where the page's rules do not hold as read, an unsure box (below
  // min_box_confidence) whose runner-up class, at least this likely, is the
  // ONLY single change of a box that makes every rule hold is taken as the
  // slip: the field of that box goes to people (its reading was wrong or
  // the officer's arithmetic is), and the rules, holding with it, vouch for
  // the other fields as they would have. Without this one misread box sends
  // every field of its rules to people.
  // Likewise, where clearly read bubbles differ from the boxes in one
  // unsure box only and give there a runner-up of the model at least this
  // likely, the bubbles' number stands: the two readings agree once the
  // box is read as its runner-up, as they must for any accepted field.
  double min_repair_probability = 0.05;
};

struct FieldTriage {
  std::optional<int64_t> value;
  bool accepted = false;
  // Product of the box confidences.
  double confidence = 0;
  // What the classifier said of each box, most significant first.
  std::vector<BoxCall> boxes;
  // The box read as its runner-up because the bubbles say so (see
  // min_repair_probability); `value` is then the bubbles' number.
  std::optional<size_t> mended_box;
  // True when the only doubt is boxes below the threshold: a rule that
  // holds may then vouch for the field (TriagePage).
  bool doubt_only_in_boxes = false;
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

// Checks the page's rules against the field values: a field doubted only
// for its boxes is accepted when a rule naming it holds and the rule
// vouches for every box (see min_box_confidence_by_rule); then every field
// of a rule that does not hold goes to review, unless one unsure box read
// otherwise makes every rule hold (see min_repair_probability). Returns the
// checks in rule order, of the values as read.
std::vector<RuleCheck> TriagePage(const std::vector<ArithmeticRule>& rules,
                                  const TriagePolicy& policy,
                                  std::map<std::string, FieldTriage>* fields);

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_FIELD_TRIAGE_H_
