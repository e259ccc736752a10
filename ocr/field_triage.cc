#include "ocr/field_triage.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace c1tally::ocr {
namespace {

bool IsDigit(const std::string& digit_class) {
  return digit_class.size() == 1 && digit_class[0] >= '0' &&
         digit_class[0] <= '9';
}

}  // namespace

std::optional<int64_t> NumberFromBoxes(const std::vector<BoxCall>& boxes) {
  int64_t value = 0;
  bool started = false;
  for (const BoxCall& box : boxes) {
    if (IsDigit(box.digit_class)) {
      started = true;
      value = value * 10 + (box.digit_class[0] - '0');
    } else if (started ||
               (box.digit_class != "X" && box.digit_class != "blank")) {
      // An X or blank after a digit, or a class that is none of ours.
      return std::nullopt;
    }
  }
  if (!started) return std::nullopt;
  return value;
}

FieldTriage TriageField(const std::vector<BoxCall>& boxes, bool has_bubbles,
                        std::optional<int64_t> bubble_value,
                        double bubble_confidence, const TriagePolicy& policy) {
  FieldTriage triage;
  triage.value = NumberFromBoxes(boxes);
  const bool bubbles_read = has_bubbles && bubble_value.has_value() &&
                            bubble_confidence >= policy.min_bubble_confidence;
  const bool confirmed = bubbles_read && triage.value.has_value() &&
                         *bubble_value == *triage.value;
  const double min_box = confirmed
                             ? std::min(policy.min_box_confidence,
                                        policy.min_box_confidence_confirmed)
                             : policy.min_box_confidence;
  triage.confidence = boxes.empty() ? 0 : 1;
  for (size_t i = 0; i < boxes.size(); ++i) {
    triage.confidence *= boxes[i].confidence;
    if (boxes[i].confidence < min_box) {
      triage.reasons.push_back(
          absl::StrCat("box ", i + 1, " unsure (", boxes[i].digit_class, ")"));
    }
  }
  if (!triage.value.has_value()) {
    triage.reasons.push_back("the boxes form no number");
  }
  if (has_bubbles) {
    if (!bubbles_read) {
      triage.reasons.push_back("bubbles unreadable");
    } else if (triage.value.has_value() && !confirmed) {
      triage.reasons.push_back(absl::StrCat("bubbles say ", *bubble_value));
    }
  }
  triage.accepted = triage.reasons.empty();
  return triage;
}

std::vector<RuleCheck> TriagePage(const std::vector<ArithmeticRule>& rules,
                                  std::map<std::string, FieldTriage>* fields) {
  std::vector<RuleCheck> checks;
  for (const ArithmeticRule& rule : rules) {
    RuleCheck check{rule.name, true};
    int64_t sums[2] = {0, 0};
    int side = 0;
    for (const auto* names : {&rule.lhs, &rule.rhs}) {
      for (const std::string& name : *names) {
        auto it = fields->find(name);
        if (it == fields->end() || !it->second.value.has_value()) {
          check.ok = false;
        } else {
          sums[side] += *it->second.value;
        }
      }
      ++side;
    }
    check.ok = check.ok && sums[0] == sums[1];
    if (!check.ok) {
      for (const auto* names : {&rule.lhs, &rule.rhs}) {
        for (const std::string& name : *names) {
          auto it = fields->find(name);
          if (it == fields->end()) continue;
          it->second.accepted = false;
          it->second.reasons.push_back(
              absl::StrCat("rule ", rule.name, " does not hold"));
        }
      }
    }
    checks.push_back(check);
  }
  return checks;
}

}  // namespace c1tally::ocr
