#include "ocr/field_triage.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace c1tally::ocr {
namespace {

bool IsDigit(const std::string& digit_class) {
  return digit_class.size() == 1 && digit_class[0] >= '0' &&
         digit_class[0] <= '9';
}

// The number a box stands for in its place: X and blank are zeros.
int BoxValue(const BoxCall& box) {
  return IsDigit(box.digit_class) ? box.digit_class[0] - '0' : 0;
}

// How likely the model found `box` to say `digit`: for a leading zero, X
// and blank say it too.
double ProbabilityOf(const BoxCall& box, int digit, bool leading) {
  auto says = [&](const std::string& digit_class) {
    if (IsDigit(digit_class)) return digit_class[0] - '0' == digit;
    return leading && digit == 0 &&
           (digit_class == "X" || digit_class == "blank");
  };
  double p = says(box.digit_class) ? box.confidence : 0;
  for (const auto& [digit_class, probability] : box.alternatives) {
    if (says(digit_class)) p += probability;
  }
  return p;
}

// The one box where `boxes` differ from `bubble_value`, if the bubbles'
// digit is a likely enough runner-up of an unsure box there; nullopt when
// they differ elsewhere too or the box does not allow it.
std::optional<size_t> MendedByBubbles(const std::vector<BoxCall>& boxes,
                                      int64_t bubble_value,
                                      const TriagePolicy& policy) {
  std::vector<int> digits(boxes.size());
  for (size_t i = boxes.size(); i-- > 0; bubble_value /= 10) {
    digits[i] = static_cast<int>(bubble_value % 10);
  }
  if (bubble_value != 0) return std::nullopt;  // more places than boxes
  std::optional<size_t> differs;
  bool leading = true;
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (BoxValue(boxes[i]) != digits[i]) {
      if (differs.has_value()) return std::nullopt;
      if (boxes[i].confidence >= policy.min_box_confidence || boxes[i].novel ||
          ProbabilityOf(boxes[i], digits[i], leading) <
              policy.min_repair_probability) {
        return std::nullopt;
      }
      differs = i;
    }
    leading = leading && digits[i] == 0;
  }
  return differs;
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
  bool confirmed = bubbles_read && triage.value.has_value() &&
                   *bubble_value == *triage.value;
  std::optional<size_t> mended;
  if (bubbles_read && triage.value.has_value() && !confirmed) {
    mended = MendedByBubbles(boxes, *bubble_value, policy);
    if (mended.has_value()) {
      triage.value = bubble_value;
      triage.mended_box = mended;
      confirmed = true;
    }
  }
  const double min_box = confirmed
                             ? std::min(policy.min_box_confidence,
                                        policy.min_box_confidence_confirmed)
                             : policy.min_box_confidence;
  triage.boxes = boxes;
  triage.confidence = boxes.empty() ? 0 : 1;
  for (size_t i = 0; i < boxes.size(); ++i) {
    triage.confidence *= boxes[i].confidence;
    if (boxes[i].confidence < min_box && mended != i) {
      triage.reasons.push_back(
          absl::StrCat("box ", i + 1, " unsure (", boxes[i].digit_class, ")"));
    }
  }
  const size_t box_reasons = triage.reasons.size();
  // A box unlike anything the model learnt is a doubt no witness lifts:
  // its reading says nothing, so agreeing bubbles or a rule that holds
  // would be an excuse, not a second reading.
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (boxes[i].novel) {
      triage.reasons.push_back(absl::StrCat("box ", i + 1,
                                            " looks unlike the boxes the model "
                                            "learnt"));
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
  triage.doubt_only_in_boxes =
      box_reasons > 0 && box_reasons == triage.reasons.size();
  return triage;
}

namespace {

// Whether `rule` holds; false when a field of it has no value.
bool RuleHolds(const ArithmeticRule& rule,
               const std::map<std::string, FieldTriage>& fields) {
  int64_t sums[2] = {0, 0};
  int side = 0;
  for (const auto* names : {&rule.lhs, &rule.rhs}) {
    for (const std::string& name : *names) {
      auto it = fields.find(name);
      if (it == fields.end() || !it->second.value.has_value()) return false;
      sums[side] += *it->second.value;
    }
    ++side;
  }
  return sums[0] == sums[1];
}

// Calls `visit` with every field of `rule` that the page has.
template <typename Visit>
void ForEachField(const ArithmeticRule& rule,
                  std::map<std::string, FieldTriage>* fields, Visit visit) {
  for (const auto* names : {&rule.lhs, &rule.rhs}) {
    for (const std::string& name : *names) {
      auto it = fields->find(name);
      if (it != fields->end()) visit(it->second);
    }
  }
}

// Whether holding `rule` vouches for every box of its fields: no box below
// min_box_confidence_by_rule, and every pair of equal boxes in the same
// place on opposite sides (misread alike, they keep the rule holding) has
// one box at min_box_confidence.
std::map<FieldTriage*, bool> RuleVouches(
    const ArithmeticRule& rule, const TriagePolicy& policy,
    std::map<std::string, FieldTriage>* fields) {
  std::map<FieldTriage*, bool> vouched;
  ForEachField(rule, fields, [&](FieldTriage& field) {
    bool all = true;
    for (const BoxCall& box : field.boxes) {
      all = all && box.confidence >= policy.min_box_confidence_by_rule;
    }
    vouched[&field] = all;
  });
  for (const std::string& left : rule.lhs) {
    for (const std::string& right : rule.rhs) {
      auto a = fields->find(left), b = fields->find(right);
      if (a == fields->end() || b == fields->end()) continue;
      const std::vector<BoxCall>& x = a->second.boxes;
      const std::vector<BoxCall>& y = b->second.boxes;
      // Places aligned from the units.
      for (size_t k = 0; k < std::min(x.size(), y.size()); ++k) {
        const BoxCall& p = x[x.size() - 1 - k];
        const BoxCall& q = y[y.size() - 1 - k];
        if (BoxValue(p) == BoxValue(q) &&
            std::max(p.confidence, q.confidence) < policy.min_box_confidence) {
          vouched[&a->second] = false;
          vouched[&b->second] = false;
        }
      }
    }
  }
  return vouched;
}

// One box of one field read as another class.
struct Repair {
  std::string field;
  size_t box = 0;
  BoxCall call;
};

std::vector<RuleCheck> CheckRules(
    const std::vector<ArithmeticRule>& rules,
    const std::map<std::string, FieldTriage>& fields) {
  std::vector<RuleCheck> checks;
  for (const ArithmeticRule& rule : rules) {
    checks.push_back({rule.name, RuleHolds(rule, fields)});
  }
  return checks;
}

bool AllHold(const std::vector<RuleCheck>& checks) {
  for (const RuleCheck& check : checks) {
    if (!check.ok) return false;
  }
  return true;
}

// `fields` with `repair` applied to its field's box and value.
void Apply(const Repair& repair, std::map<std::string, FieldTriage>* fields) {
  FieldTriage& field = (*fields)[repair.field];
  field.boxes[repair.box] = repair.call;
  field.value = NumberFromBoxes(field.boxes);
}

// The one change of one unsure box to a likely enough class that makes
// every rule hold; nullopt when there is none or more than one.
std::optional<Repair> FindRepair(
    const std::vector<ArithmeticRule>& rules, const TriagePolicy& policy,
    const std::map<std::string, FieldTriage>& fields) {
  std::optional<Repair> found;
  for (const auto& [name, field] : fields) {
    // Its value is the bubbles' already, not its boxes' (a page with both
    // bubbles and rules); one mend a field is enough.
    if (field.mended_box.has_value()) continue;
    for (size_t b = 0; b < field.boxes.size(); ++b) {
      const BoxCall& box = field.boxes[b];
      // A novel box's runner-up means no more than its first choice.
      if (box.confidence >= policy.min_box_confidence || box.novel) continue;
      for (const auto& [digit_class, probability] : box.alternatives) {
        if (probability < policy.min_repair_probability ||
            digit_class == box.digit_class) {
          continue;
        }
        Repair repair{name, b, {digit_class, probability, {}}};
        std::map<std::string, FieldTriage> changed = fields;
        Apply(repair, &changed);
        if (!AllHold(CheckRules(rules, changed))) continue;
        if (found.has_value()) return std::nullopt;  // not the only one
        found = repair;
      }
    }
  }
  return found;
}

// Vouching by the rules that hold, then demotion by those that do not.
void JudgeByRules(const std::vector<ArithmeticRule>& rules,
                  const std::vector<RuleCheck>& checks,
                  const TriagePolicy& policy,
                  std::map<std::string, FieldTriage>* fields) {
  // Rules that hold vouch first, so that a failing rule has the last word.
  for (size_t r = 0; r < rules.size(); ++r) {
    if (!checks[r].ok) continue;
    for (auto [field, vouched] : RuleVouches(rules[r], policy, fields)) {
      if (!vouched || !field->doubt_only_in_boxes) continue;
      field->accepted = true;
      field->doubt_only_in_boxes = false;
      field->reasons.clear();
    }
  }
  for (size_t r = 0; r < rules.size(); ++r) {
    if (checks[r].ok) continue;
    ForEachField(rules[r], fields, [&](FieldTriage& field) {
      field.accepted = false;
      field.reasons.push_back(
          absl::StrCat("rule ", rules[r].name, " does not hold"));
    });
  }
}

}  // namespace

std::vector<RuleCheck> TriagePage(const std::vector<ArithmeticRule>& rules,
                                  const TriagePolicy& policy,
                                  std::map<std::string, FieldTriage>* fields) {
  const std::vector<RuleCheck> checks = CheckRules(rules, *fields);
  std::optional<Repair> repair;
  if (!AllHold(checks)) repair = FindRepair(rules, policy, *fields);
  if (!repair.has_value()) {
    JudgeByRules(rules, checks, policy, fields);
    return checks;
  }
  // Judge the page as it would be read with the repair, then keep the
  // values as read: the repaired field itself goes to people.
  std::map<std::string, FieldTriage> judged = *fields;
  Apply(*repair, &judged);
  JudgeByRules(rules, CheckRules(rules, judged), policy, &judged);
  for (auto& [name, field] : *fields) {
    const FieldTriage& verdict = judged[name];
    field.accepted = verdict.accepted;
    field.doubt_only_in_boxes = verdict.doubt_only_in_boxes;
    field.reasons = verdict.reasons;
  }
  FieldTriage& repaired = (*fields)[repair->field];
  repaired.accepted = false;
  repaired.reasons.push_back(
      absl::StrCat("the rules hold only if box ", repair->box + 1, " is ",
                   repair->call.digit_class, " (read as ",
                   repaired.boxes[repair->box].digit_class, ")"));
  return checks;
}

}  // namespace c1tally::ocr
