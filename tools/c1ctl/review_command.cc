// c1ctl review: the review queue's by-products.
//
//   c1ctl review export-crops --data DIR --out OUT
//     writes the digit boxes people verified as OUT/<class>/*.png, which
//     `train_digits --extra=OUT` adds to the training set. Opens the data
//     read-only, so it runs beside a live c1tallyd.
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "storage/training_crops.h"
#include "tools/c1ctl/command.h"

ABSL_DECLARE_FLAG(std::string, out);

namespace c1tally::c1ctl {

int RunReview(const std::vector<std::string>& args) {
  if (args[0] != "export-crops" || args.size() != 1 ||
      absl::GetFlag(FLAGS_out).empty()) {
    std::cerr << "c1ctl: usage: c1ctl review export-crops --data DIR "
                 "--out OUT\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  absl::StatusOr<int> written =
      ExportTrainingCrops(db->get(), absl::GetFlag(FLAGS_out));
  if (!written.ok()) return Fail(written.status());
  std::cout << "exported " << *written << " verified digit boxes to "
            << absl::GetFlag(FLAGS_out) << "; retrain with: train_digits "
            << "--extra=" << absl::GetFlag(FLAGS_out) << "\n";
  return 0;
}

}  // namespace c1tally::c1ctl
