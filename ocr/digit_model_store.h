// DigitModelStore: the installed digit models and the one in use.
//
// A models folder holds each installed model's files side by side
// (DigitClassifier::Save: <version>.json, .onnx, -novelty.yml.gz) and
// CURRENT, one line naming the version in use. Installing writes the new
// files first and then replaces CURRENT with one rename, so a reader sees
// the old model or the new one, never a mix; workers holding a store pick
// the new version up at their next recheck, without a restart. Every
// reading records the version it was read with (PageReading).
#ifndef C1TALLY_OCR_DIGIT_MODEL_STORE_H_
#define C1TALLY_OCR_DIGIT_MODEL_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ocr/digit_classifier.h"

namespace c1tally::ocr {

class DigitModelStore {
 public:
  // Opens `path`: a models folder (its CURRENT is followed and rechecked at
  // most every `recheck`) or one model's descriptor (fixed). Loads the
  // current model, or fails with the reason: a reader never runs without a
  // model.
  static absl::StatusOr<std::unique_ptr<DigitModelStore>> Open(
      const std::string& path, absl::Duration recheck = absl::Seconds(10));

  // The model to read with now. When the folder's CURRENT names another
  // version than the one loaded, loads that one and switches to it; a
  // version that fails to load is kept out (last_error() says why) and the
  // loaded model stays in use. Thread-safe; the model stays valid for as
  // long as the caller holds it.
  std::shared_ptr<const DigitClassifier> Current() ABSL_LOCKS_EXCLUDED(mu_);

  // Why the last switch to a new version failed; OK when none has.
  absl::Status last_error() const ABSL_LOCKS_EXCLUDED(mu_);

  // Installs the model of `descriptor` into the models folder `dir`
  // (created when missing): copies its files, checks that the copy loads,
  // then makes it CURRENT. AlreadyExists when `dir` holds different files
  // under that version; installing the same files again only makes them
  // current.
  static absl::Status Install(const std::string& descriptor,
                              const std::string& dir);

  // The version CURRENT names in `dir`.
  static absl::StatusOr<std::string> CurrentVersion(const std::string& dir);
  // The versions whose descriptors lie in `dir`, sorted.
  static std::vector<std::string> Versions(const std::string& dir);

 private:
  DigitModelStore(std::string dir, absl::Duration recheck,
                  std::shared_ptr<const DigitClassifier> model);

  // Empty for a fixed model.
  const std::string dir_;
  const absl::Duration recheck_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const DigitClassifier> model_ ABSL_GUARDED_BY(mu_);
  absl::Time next_check_ ABSL_GUARDED_BY(mu_);
  // The version CURRENT named when it failed to load, so it is not retried
  // at every recheck; cleared when CURRENT changes again.
  std::string failed_version_ ABSL_GUARDED_BY(mu_);
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally::ocr

#endif  // C1TALLY_OCR_DIGIT_MODEL_STORE_H_
