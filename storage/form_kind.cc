#include "storage/form_kind.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "storage/status_macros.h"

namespace c1tally {

extern const std::vector<std::pair<std::string, std::string>> kBuiltinFormKinds;

absl::Status FormKinds::Check(const v1::FormKind& kind) {
  if (kind.name().empty()) {
    return absl::InvalidArgumentError("form kind without a name");
  }
  std::set<std::string> names;
  for (const v1::FormKind::Field& field : kind.fields()) {
    if (!names.insert(field.name()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "form kind ", kind.name(), ": field ", field.name(), " twice"));
    }
    if (field.min_value() > field.max_value()) {
      return absl::InvalidArgumentError(absl::StrCat("form kind ", kind.name(),
                                                     ": field ", field.name(),
                                                     " has min above max"));
    }
  }
  for (const v1::FormKind::Rule& rule : kind.rules()) {
    for (const auto* side : {&rule.left(), &rule.right()}) {
      for (const std::string& name : *side) {
        if (names.count(name) == 0) {
          return absl::InvalidArgumentError(
              absl::StrCat("form kind ", kind.name(), ": rule ", rule.name(),
                           " names unknown field ", name));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<FormKinds> FormKinds::Builtin() {
  std::vector<std::string> texts;
  for (const auto& [file, text] : kBuiltinFormKinds) texts.push_back(text);
  return FromJson(texts);
}

absl::StatusOr<FormKinds> FormKinds::FromJson(
    const std::vector<std::string>& texts) {
  FormKinds kinds;
  for (const std::string& text : texts) {
    v1::FormKind kind;
    google::protobuf::util::Status parsed =
        google::protobuf::util::JsonStringToMessage(text, &kind);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("form kind JSON: ", parsed.ToString()));
    }
    RETURN_IF_ERROR(Check(kind));
    std::string name = kind.name();
    if (!kinds.kinds_.emplace(name, std::move(kind)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("form kind ", name, " defined twice"));
    }
  }
  return kinds;
}

absl::StatusOr<const v1::FormKind*> FormKinds::Find(
    absl::string_view name) const {
  auto it = kinds_.find(std::string(name));
  if (it == kinds_.end()) {
    std::vector<std::string> known;
    for (const auto& [known_name, kind] : kinds_) known.push_back(known_name);
    return absl::NotFoundError(
        absl::StrCat("unknown form kind \"", name,
                     "\"; known: ", absl::StrJoin(known, ", ")));
  }
  return &it->second;
}

absl::Status FormKinds::Validate(const v1::TpsResult& result) const {
  absl::StatusOr<const v1::FormKind*> kind = Find(result.form_kind());
  if (!kind.ok()) return absl::InvalidArgumentError(kind.status().message());
  return ValidateAgainst(**kind, result);
}

absl::Status FormKinds::ValidateAgainst(const v1::FormKind& kind,
                                        const v1::TpsResult& result) {
  // Checked in a fixed order (protobuf maps iterate in no stable order), so
  // that the same input always gets the same message.
  std::set<std::string> unknown;
  for (const auto& [name, value] : result.values()) unknown.insert(name);
  for (const v1::FormKind::Field& field : kind.fields()) {
    unknown.erase(field.name());
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("field \"", *unknown.begin(),
                     "\" is not a field of form kind ", kind.name()));
  }
  for (const v1::FormKind::Field& field : kind.fields()) {
    auto it = result.values().find(field.name());
    if (it == result.values().end()) {
      if (field.required()) {
        return absl::InvalidArgumentError(
            absl::StrCat("required field ", field.name(), " is missing"));
      }
      continue;
    }
    if (it->second < field.min_value() || it->second > field.max_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "field ", field.name(), " = ", it->second, " is outside ",
          field.min_value(), "..", field.max_value()));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> FormKinds::BrokenRules(
    const v1::TpsResult& result) const {
  absl::StatusOr<const v1::FormKind*> kind = Find(result.form_kind());
  if (!kind.ok()) return {};
  return BrokenRulesOf(**kind, result);
}

std::vector<std::string> FormKinds::BrokenRulesOf(const v1::FormKind& kind,
                                                  const v1::TpsResult& result) {
  std::vector<std::string> broken;
  for (const v1::FormKind::Rule& rule : kind.rules()) {
    int64_t sums[2] = {0, 0};
    bool complete = true;
    int side_index = 0;
    for (const auto* side : {&rule.left(), &rule.right()}) {
      for (const std::string& name : *side) {
        auto it = result.values().find(name);
        if (it == result.values().end()) {
          complete = false;
        } else {
          sums[side_index] += it->second;
        }
      }
      ++side_index;
    }
    if (complete && sums[0] != sums[1]) broken.push_back(rule.name());
  }
  return broken;
}

}  // namespace c1tally
