#include "storage/reference/reference_report.h"

#include "absl/strings/str_cat.h"

namespace c1tally {

std::string ReferenceReport::ToString() const {
  std::string out;
  for (const std::string& line : refused)
    absl::StrAppend(&out, "refused ", line, "\n");
  for (const std::string& line : unplaced) {
    absl::StrAppend(&out, "unplaced ", line, ": not in the region tree\n");
  }
  for (const std::string& dapil : dapil_without_tps) {
    absl::StrAppend(&out, "dapil without TPS: ", dapil, "\n");
  }
  std::string summary = "reference:";
  for (const auto& [kind, count] : counts) {
    absl::StrAppend(&summary, " ", kind, "_written=", count.written, " ", kind,
                    "_unchanged=", count.unchanged);
  }
  absl::StrAppend(&summary, " refused=", refused.size(),
                  " unplaced=", unplaced.size(),
                  " dapil_without_tps=", dapil_without_tps.size());
  for (const auto& [race, count] : tps_without_dapil) {
    absl::StrAppend(&summary, " ", race, "_tps_without_dapil=", count);
  }
  return absl::StrCat(out, summary, "\n");
}

}  // namespace c1tally
