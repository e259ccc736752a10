// c1ctl audit compare: verified results against Sirekap's latest records
// (offline, on --data; the database is opened read-only, so it also runs
// beside a live c1tallyd).
//
//   c1ctl audit compare --data DIR [--region=CODE] [--form_kind=ppwp]
//       (--form_kind=pdpr|pdprdp|pdprdk|pdpd: a legislative race, compared
//       over the ballot fields of each TPS's dapil)
//       The region's rollup, its children ranked by size, then every TPS
//       with a discrepancy, ranked by size, one line each.
//   ... --csv
//       The TPS as CSV, one row per field that disagrees:
//       tps,field,kind,ours,sirekap,difference,tps_size
//   ... --csv --by_region
//       The region and its children as CSV: code,tps_compared,
//       tps_differing,tps_only_ours,tps_only_sirekap,size, then
//       net_FIELD (sum of sirekap - ours) for every field of the form kind
//       and, for a legislative race, every ballot field compared.
#include <algorithm>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit/sirekap_comparison.h"
#include "audit/sirekap_store.h"
#include "storage/database.h"
#include "storage/form_kind.h"
#include "storage/scoped_snapshot.h"
#include "storage/status_macros.h"
#include "tools/c1ctl/command.h"

ABSL_FLAG(std::string, region, "",
          "audit compare: region code to compare below (default: the nation)");
ABSL_FLAG(std::string, form_kind, "ppwp", "audit compare: form kind (race)");
ABSL_FLAG(bool, csv, false, "audit compare: print CSV");
ABSL_FLAG(bool, by_region, false,
          "audit compare --csv: the per-region rollup instead of the TPS");

namespace c1tally::c1ctl {
namespace {

std::string KindName(v1::FieldDiscrepancy::Kind kind) {
  switch (kind) {
    case v1::FieldDiscrepancy::KIND_DIFFERS:
      return "differs";
    case v1::FieldDiscrepancy::KIND_ONLY_OURS:
      return "only_ours";
    case v1::FieldDiscrepancy::KIND_ONLY_SIREKAP:
      return "only_sirekap";
    default:
      return "unspecified";
  }
}

std::string Optional(bool present, int64_t value) {
  return present ? absl::StrCat(value) : "";
}

std::string DifferenceOf(const v1::FieldDiscrepancy& field) {
  if (!field.has_ours() || !field.has_sirekap()) return "";
  return absl::StrCat(field.sirekap() - field.ours());
}

// Describes one ranked TPS in full.
using Describe = std::function<absl::StatusOr<v1::TpsDiscrepancy>(
    const SirekapComparison::Ranked&)>;

absl::Status PrintTpsCsv(const SirekapComparison& comparison,
                         const Describe& describe) {
  std::cout << "tps,field,kind,ours,sirekap,difference,tps_size\n";
  for (const SirekapComparison::Ranked& ranked : comparison.tps) {
    ASSIGN_OR_RETURN(v1::TpsDiscrepancy described, describe(ranked));
    const v1::TpsDiscrepancy& tps = described;
    for (const v1::FieldDiscrepancy& field : tps.fields()) {
      std::cout << tps.tps_code() << "," << field.field() << ","
                << KindName(field.kind()) << ","
                << Optional(field.has_ours(), field.ours()) << ","
                << Optional(field.has_sirekap(), field.sirekap()) << ","
                << DifferenceOf(field) << "," << tps.size() << "\n";
    }
  }
  return absl::OkStatus();
}

// The fields of the net differences: the kind's, then (a legislative
// race, whose ballot fields differ per dapil) every other field the region
// has, by name. The region's total has every field its children have.
std::vector<std::string> NetFields(const SirekapComparison& comparison,
                                   const v1::FormKind& kind) {
  std::vector<std::string> fields;
  for (const v1::FormKind::Field& field : kind.fields()) {
    fields.push_back(field.name());
  }
  std::set<std::string> others;
  for (const auto& [field, net] : comparison.total.net_difference()) {
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      others.insert(field);
    }
  }
  fields.insert(fields.end(), others.begin(), others.end());
  return fields;
}

std::vector<std::string> RegionColumns(const v1::RegionDiscrepancy& region,
                                       const std::vector<std::string>& net) {
  std::vector<std::string> columns = {region.code(),
                                      absl::StrCat(region.tps_compared()),
                                      absl::StrCat(region.tps_differing()),
                                      absl::StrCat(region.tps_only_ours()),
                                      absl::StrCat(region.tps_only_sirekap()),
                                      absl::StrCat(region.size())};
  for (const std::string& field : net) {
    auto it = region.net_difference().find(field);
    columns.push_back(
        it == region.net_difference().end() ? "" : absl::StrCat(it->second));
  }
  return columns;
}

void PrintRegionCsv(const SirekapComparison& comparison,
                    const v1::FormKind& kind) {
  const std::vector<std::string> net = NetFields(comparison, kind);
  std::vector<std::string> header = {
      "code",          "tps_compared",     "tps_differing",
      "tps_only_ours", "tps_only_sirekap", "size"};
  for (const std::string& field : net) {
    header.push_back(absl::StrCat("net_", field));
  }
  std::cout << absl::StrJoin(header, ",") << "\n";
  std::cout << absl::StrJoin(RegionColumns(comparison.total, net), ",") << "\n";
  for (const v1::RegionDiscrepancy& child : comparison.children) {
    std::cout << absl::StrJoin(RegionColumns(child, net), ",") << "\n";
  }
}

std::string DescribeRegion(const v1::RegionDiscrepancy& region,
                           const std::vector<std::string>& fields) {
  std::string text = absl::StrCat(
      region.code().empty() ? "nation" : region.code(),
      ": compared=", region.tps_compared(),
      " differing=", region.tps_differing(),
      " only_ours=", region.tps_only_ours(),
      " only_sirekap=", region.tps_only_sirekap(), " size=", region.size());
  std::vector<std::string> net;
  for (const std::string& field : fields) {
    auto it = region.net_difference().find(field);
    if (it != region.net_difference().end() && it->second != 0) {
      net.push_back(
          absl::StrCat(field, "=", it->second > 0 ? "+" : "", it->second));
    }
  }
  if (!net.empty()) absl::StrAppend(&text, " net ", absl::StrJoin(net, " "));
  return text;
}

absl::Status PrintText(const SirekapComparison& comparison,
                       const v1::FormKind& kind, const Describe& describe) {
  const std::vector<std::string> fields = NetFields(comparison, kind);
  std::cout << "region " << DescribeRegion(comparison.total, fields) << "\n";
  for (const v1::RegionDiscrepancy& child : comparison.children) {
    std::cout << "  child " << DescribeRegion(child, fields) << "\n";
  }
  for (const SirekapComparison::Ranked& ranked : comparison.tps) {
    ASSIGN_OR_RETURN(v1::TpsDiscrepancy described, describe(ranked));
    const v1::TpsDiscrepancy& tps = described;
    const v1::FieldDiscrepancy::Kind first = tps.fields(0).kind();
    if (first != v1::FieldDiscrepancy::KIND_DIFFERS &&
        std::all_of(tps.fields().begin(), tps.fields().end(),
                    [&](const auto& f) { return f.kind() == first; })) {
      // A TPS only one source has: its fields say nothing more.
      std::cout << "tps " << tps.tps_code() << " " << KindName(first) << " ("
                << tps.fields_size() << " fields)\n";
      continue;
    }
    std::vector<std::string> fields;
    for (const v1::FieldDiscrepancy& field : tps.fields()) {
      fields.push_back(absl::StrCat(
          field.field(), " ", KindName(field.kind()),
          " ours=", Optional(field.has_ours(), field.ours()),
          " sirekap=", Optional(field.has_sirekap(), field.sirekap())));
    }
    std::cout << "tps " << tps.tps_code() << " size=" << tps.size() << ": "
              << absl::StrJoin(fields, "; ") << "\n";
  }
  std::cout << "tps_seen=" << comparison.tps_seen
            << " tps_with_discrepancies=" << comparison.tps.size() << "\n";
  return absl::OkStatus();
}

}  // namespace

int RunAuditCompare(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "c1ctl: audit compare takes no arguments (use --region)\n";
    return 2;
  }
  absl::StatusOr<RegionCode> region =
      RegionCode::Parse(absl::GetFlag(FLAGS_region));
  if (!region.ok()) return Fail(region.status());
  absl::StatusOr<FormKinds> kinds = FormKinds::Builtin();
  if (!kinds.ok()) return Fail(kinds.status());
  absl::StatusOr<const v1::FormKind*> kind =
      kinds->Find(absl::GetFlag(FLAGS_form_kind));
  if (!kind.ok()) return Fail(kind.status());
  absl::StatusOr<std::unique_ptr<Database>> db = OpenDataDir(true);
  if (!db.ok()) return Fail(db.status());
  SirekapStore store(db->get());
  // One snapshot for the ranking and the TPS described from it.
  ScopedSnapshot snapshot(db->get());
  absl::StatusOr<SirekapComparison> comparison =
      CompareWithSirekap(db->get(), store, **kind, *region, snapshot.get());
  if (!comparison.ok()) return Fail(comparison.status());
  const Describe describe = [&](const SirekapComparison::Ranked& ranked) {
    return DescribeTpsDiscrepancy(db->get(), store, **kind,
                                  *RegionCode::Parse(ranked.tps_code),
                                  snapshot.get());
  };
  if (!absl::GetFlag(FLAGS_csv)) {
    return Fail(PrintText(*comparison, **kind, describe));
  }
  if (absl::GetFlag(FLAGS_by_region)) {
    PrintRegionCsv(*comparison, **kind);
    return 0;
  }
  return Fail(PrintTpsCsv(*comparison, describe));
}

}  // namespace c1tally::c1ctl
