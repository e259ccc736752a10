#include "storage/tps_pages.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "google/protobuf/util/time_util.h"
#include "storage/submission_store.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

v1::Provenance::Source SourceOf(const std::string& by) {
  if (by == "machine") return v1::Provenance::SOURCE_MACHINE;
  if (by == "moderator") return v1::Provenance::SOURCE_MODERATOR;
  return v1::Provenance::SOURCE_PEOPLE;
}

// How much a source asks the reader to trust: a machine reading is
// checked twice by itself, people by each other, a moderator alone.
int Rank(v1::Provenance::Source source) {
  switch (source) {
    case v1::Provenance::SOURCE_MACHINE:
      return 0;
    case v1::Provenance::SOURCE_PEOPLE:
      return 1;
    default:
      return 2;
  }
}

}  // namespace

std::string SettledRace(const v1::Submission& submission) {
  return submission.settled_form_kind().empty()
             ? "ppwp"
             : submission.settled_form_kind();
}

std::optional<v1::TpsResult> JoinSettledPages(
    const v1::FormKind& kind, const std::vector<v1::Submission>& submissions) {
  std::set<std::string> known;
  for (const v1::FormKind::Field& field : kind.fields()) {
    known.insert(field.name());
  }
  std::vector<const v1::Submission*> settled;
  for (const v1::Submission& submission : submissions) {
    if (submission.state() == v1::Submission::STATE_SETTLED &&
        SettledRace(submission) == kind.name()) {
      settled.push_back(&submission);
    }
  }
  // Oldest first, so that the values that stand do not change when a
  // later photo disagrees.
  std::stable_sort(
      settled.begin(), settled.end(),
      [](const v1::Submission* a, const v1::Submission* b) {
        return TimeUtil::TimestampToMicroseconds(a->create_time()) <
               TimeUtil::TimestampToMicroseconds(b->create_time());
      });
  v1::TpsResult result;
  result.set_form_kind(kind.name());
  bool conflicting = false, duplicate = false;
  v1::Provenance* provenance = result.mutable_provenance();
  for (const v1::Submission* submission : settled) {
    result.set_tps_code(submission->tps_code());
    provenance->add_submission_ids(submission->name());
    duplicate = duplicate || std::find(submission->flags().begin(),
                                       submission->flags().end(),
                                       SubmissionStore::kDuplicateOtherTps) !=
                                 submission->flags().end();
    for (const auto& [field, value] : submission->settled_values()) {
      if (!known.count(field)) continue;
      auto [it, inserted] = result.mutable_values()->insert({field, value});
      if (!inserted) {
        conflicting = conflicting || it->second != value;
        continue;
      }
      auto by = submission->settled_by().find(field);
      (*provenance->mutable_field_sources())[field] = SourceOf(
          by == submission->settled_by().end() ? "people" : by->second);
    }
  }
  for (const v1::FormKind::Field& field : kind.fields()) {
    if (field.required() && !result.values().contains(field.name())) {
      return std::nullopt;
    }
  }
  v1::Provenance::Source weakest = v1::Provenance::SOURCE_MACHINE;
  for (const auto& [field, source] : provenance->field_sources()) {
    if (Rank(static_cast<v1::Provenance::Source>(source)) > Rank(weakest)) {
      weakest = static_cast<v1::Provenance::Source>(source);
    }
  }
  provenance->set_source(weakest);
  if (conflicting) result.add_flags(kConflictingPhotosFlag);
  if (duplicate) result.add_flags(kDuplicatePhotoFlag);
  return result;
}

}  // namespace c1tally
