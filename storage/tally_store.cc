#include "storage/tally_store.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "storage/keys.h"
#include "storage/reference/dapil_tps.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/status_macros.h"

namespace c1tally {
namespace {

using google::protobuf::util::TimeUtil;

// What one change adds to an aggregate.
struct AggregateDelta {
  std::map<std::string, int64_t> sums;
  int64_t with_result = 0;
  int64_t flagged = 0;

  void Add(const v1::TpsResult& result, int sign) {
    for (const auto& [name, value] : result.values())
      sums[name] += sign * value;
    with_result += sign;
    if (result.flags_size() > 0) flagged += sign;
  }
};

void ApplyDelta(const AggregateDelta& delta, v1::Aggregate* aggregate) {
  for (const auto& [name, value] : delta.sums) {
    int64_t& sum = (*aggregate->mutable_sums())[name];
    sum += value;
    // A field no TPS carries any more is dropped, so that a cleared region
    // reads the same as one that never had results.
    if (sum == 0) aggregate->mutable_sums()->erase(name);
  }
  aggregate->set_tps_with_result(aggregate->tps_with_result() +
                                 delta.with_result);
  aggregate->set_tps_flagged(aggregate->tps_flagged() + delta.flagged);
}

}  // namespace

bool SameResult(const v1::TpsResult& a, const v1::TpsResult& b) {
  using google::protobuf::util::MessageDifferencer;
  if (a.values_size() != b.values_size()) return false;
  for (const auto& [name, value] : a.values()) {
    auto it = b.values().find(name);
    if (it == b.values().end() || it->second != value) return false;
  }
  return a.dapil() == b.dapil() &&
         std::equal(a.flags().begin(), a.flags().end(), b.flags().begin(),
                    b.flags().end()) &&
         MessageDifferencer::Equals(a.provenance(), b.provenance());
}

absl::StatusOr<std::unique_ptr<TallyStore>> TallyStore::Open(
    Database* db, const FormKinds* kinds) {
  auto store = std::unique_ptr<TallyStore>(new TallyStore(db, kinds));
  absl::MutexLock lock(&store->write_mu_);
  RETURN_IF_ERROR(store->journal_.Load());
  return store;
}

uint64_t TallyStore::journal_sequence() const {
  absl::MutexLock lock(&write_mu_);
  return journal_.head_sequence();
}

absl::Status TallyStore::Normalize(v1::TpsResult* result) const {
  absl::StatusOr<RegionCode> code = RegionCode::Parse(result->tps_code());
  if (!code.ok()) return code.status();
  if (!code->is_tps()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", result->tps_code(), "\" is a ",
                     RegionCode::LevelName(code->level()),
                     " code; results are set on TPS (13 digits)"));
  }
  if (result->form_kind().empty()) {
    return absl::InvalidArgumentError("form_kind is missing");
  }
  ASSIGN_OR_RETURN(RaceForms::Form form,
                   forms_.For(*code, result->form_kind()));
  RETURN_IF_ERROR(FormKinds::ValidateAgainst(*form.kind, *result));
  result->set_dapil(form.dapil);
  std::set<std::string> flags;
  for (const std::string& flag : result->flags()) {
    if (flag.empty()) return absl::InvalidArgumentError("empty flag");
    // Arithmetic flags are the store's to compute, never the caller's.
    if (!absl::StartsWith(flag, kArithmeticFlagPrefix)) flags.insert(flag);
  }
  for (const std::string& rule :
       FormKinds::BrokenRulesOf(*form.kind, *result)) {
    flags.insert(absl::StrCat(kArithmeticFlagPrefix, rule));
  }
  result->clear_flags();
  for (const std::string& flag : flags) result->add_flags(flag);
  result->clear_update_time();
  result->clear_journal_sequence();
  return absl::OkStatus();
}

absl::StatusOr<TallyStore::Outcome> TallyStore::SetResults(
    std::vector<v1::TpsResult> results, rocksdb::WriteBatch* together) {
  if (results.size() > kMaxBatch) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a batch holds at most ", kMaxBatch, " results, not ", results.size()));
  }
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < results.size(); ++i) {
    v1::TpsResult& result = results[i];
    absl::Status status = Normalize(&result);
    if (status.ok() &&
        !seen.insert(keys::Result(result.form_kind(), result.tps_code()))
             .second) {
      status = absl::InvalidArgumentError(
          "the same TPS and form kind twice in one batch");
    }
    if (status.ok()) {
      absl::StatusOr<v1::Tps> tps =
          tree_.GetTps(*RegionCode::Parse(result.tps_code()));
      if (!tps.ok()) {
        status = absl::IsNotFound(tps.status())
                     ? absl::NotFoundError(
                           "TPS is not in the region tree (import it first)")
                     : tps.status();
      }
    }
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("result ", i, " (TPS \"", result.tps_code(),
                       "\", form kind \"", result.form_kind(),
                       "\"): ", status.message()));
    }
  }

  absl::MutexLock lock(&write_mu_);
  // Read what each result replaces, under the lock so that no other writer
  // changes it in between.
  std::vector<std::unique_ptr<v1::TpsResult>> before(results.size());
  std::vector<Change> changes;
  Outcome outcome;
  for (size_t i = 0; i < results.size(); ++i) {
    absl::StatusOr<v1::TpsResult> old = GetResult(
        *RegionCode::Parse(results[i].tps_code()), results[i].form_kind());
    if (old.ok()) {
      before[i] = std::make_unique<v1::TpsResult>(*std::move(old));
      if (SameResult(*before[i], results[i])) {
        results[i] = *before[i];
        continue;
      }
    } else if (!absl::IsNotFound(old.status())) {
      return old.status();
    }
    changes.push_back(Change{before[i].get(), &results[i], "",
                             results[i].tps_code(), results[i].form_kind()});
  }
  rocksdb::WriteBatch own;
  ASSIGN_OR_RETURN(uint64_t sequence,
                   Apply(changes, together != nullptr ? together : &own));
  outcome.changed = static_cast<int>(changes.size());
  outcome.journal_sequence = sequence;
  outcome.stored = std::move(results);
  return outcome;
}

absl::StatusOr<uint64_t> TallyStore::ClearResult(absl::string_view tps,
                                                 absl::string_view form_kind,
                                                 absl::string_view reason) {
  ASSIGN_OR_RETURN(RegionCode code,
                   RegionCode::ParseAt(tps, v1::REGION_LEVEL_TPS));
  if (absl::StatusOr<const v1::FormKind*> kind = kinds_->Find(form_kind);
      !kind.ok()) {
    return absl::InvalidArgumentError(kind.status().message());
  }
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(v1::TpsResult old, GetResult(code, form_kind));
  std::vector<Change> changes = {Change{&old, nullptr, std::string(reason),
                                        std::string(tps),
                                        std::string(form_kind)}};
  rocksdb::WriteBatch batch;
  return Apply(changes, &batch);
}

absl::StatusOr<uint64_t> TallyStore::Apply(std::vector<Change>& changes,
                                           rocksdb::WriteBatch* batch) {
  if (changes.empty()) {
    if (batch->Count() > 0) RETURN_IF_ERROR(db_->Write(batch));
    return journal_.head_sequence();
  }
  const google::protobuf::Timestamp now = TimeUtil::GetCurrentTime();
  // Deltas per aggregate key, merged over the whole batch so that each
  // ancestor is read and written once.
  std::map<std::string, AggregateDelta> deltas;
  for (Change& change : changes) {
    const RegionCode tps = *RegionCode::Parse(change.tps_code);
    v1::JournalEntry entry;
    entry.set_tps_code(change.tps_code);
    entry.set_form_kind(change.form_kind);
    *entry.mutable_commit_time() = now;
    entry.set_reason(change.reason);
    if (change.before != nullptr) *entry.mutable_previous() = *change.before;
    if (change.after != nullptr) {
      *change.after->mutable_update_time() = now;
      // The journal sequence of the result is that of its entry: known only
      // once staged, so stage first and fill it in after.
      *entry.mutable_current() = *change.after;
    }
    for (const RegionCode& region : tps.ancestors()) {
      AggregateDelta& delta =
          deltas[keys::Aggregate(change.form_kind, region.str())];
      if (change.before != nullptr) delta.Add(*change.before, -1);
      if (change.after != nullptr) delta.Add(*change.after, +1);
    }
    // A dapil's aggregate, in the same write. The TPS may have moved to
    // another dapil since the result it replaces: that one gives it back.
    if (change.before != nullptr && !change.before->dapil().empty()) {
      deltas[keys::DapilAggregate(change.form_kind, change.before->dapil())]
          .Add(*change.before, -1);
    }
    if (change.after != nullptr && !change.after->dapil().empty()) {
      deltas[keys::DapilAggregate(change.form_kind, change.after->dapil())].Add(
          *change.after, +1);
    }
    journal_.Stage(&entry, batch);
    const std::string result_key =
        keys::Result(change.form_kind, change.tps_code);
    if (change.after != nullptr) {
      change.after->set_journal_sequence(entry.sequence());
      batch->Put(db_->handle(Family::kResults), result_key,
                 change.after->SerializeAsString());
    } else {
      batch->Delete(db_->handle(Family::kResults), result_key);
    }
  }
  for (const auto& [key, delta] : deltas) {
    v1::Aggregate aggregate;
    std::string value;
    absl::Status read = db_->Get(Family::kAggregates, key, &value, "aggregate");
    if (read.ok()) {
      if (!aggregate.ParseFromString(value)) {
        journal_.Discard();
        return absl::DataLossError(
            absl::StrCat("aggregate ", key, " is unreadable"));
      }
    } else if (!absl::IsNotFound(read)) {
      journal_.Discard();
      return read;
    }
    aggregate.set_form_kind(key.substr(0, key.find('/')));
    ApplyDelta(delta, &aggregate);
    *aggregate.mutable_update_time() = now;
    batch->Put(db_->handle(Family::kAggregates), key,
               aggregate.SerializeAsString());
  }
  if (absl::Status written = db_->Write(batch); !written.ok()) {
    journal_.Discard();
    return written;
  }
  journal_.Publish();
  return journal_.head_sequence();
}

absl::StatusOr<v1::Aggregate> TallyStore::GetDapilAggregate(
    absl::string_view race, absl::string_view dapil,
    const rocksdb::Snapshot* snapshot) const {
  RETURN_IF_ERROR(forms_.reference().GetDapil(race, dapil).status());
  v1::Aggregate aggregate;
  std::string value;
  absl::Status read =
      db_->Get(Family::kAggregates, keys::DapilAggregate(race, dapil), &value,
               "aggregate", snapshot);
  if (read.ok()) {
    if (!aggregate.ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("aggregate of dapil ", dapil, " is unreadable"));
    }
  } else if (!absl::IsNotFound(read)) {
    return read;
  }
  aggregate.set_form_kind(std::string(race));
  return aggregate;
}

namespace {

absl::Status CheckHasDapil(absl::string_view race) {
  if (IsLegislativeRace(race)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", race, "\" has no dapil (pdpr, pdprdp, pdprdk or pdpd do)"));
}

}  // namespace

absl::Status TallyStore::AddDapilRegions(
    v1::Dapil* dapil, const rocksdb::Snapshot* snapshot) const {
  std::vector<std::string> codes;
  if (dapil->race() == "pdpd") {
    codes.push_back(dapil->code());
  } else {
    ASSIGN_OR_RETURN(std::vector<ReferenceStore::Area> areas,
                     forms_.reference().ListAreas(dapil->race()));
    for (const ReferenceStore::Area& area : areas) {
      if (area.dapil == dapil->code()) codes.push_back(area.region);
    }
  }
  for (const std::string& code : codes) {
    ASSIGN_OR_RETURN(RegionCode parsed, RegionCode::Parse(code));
    absl::StatusOr<v1::Region> region = parsed.is_tps()
                                            ? TpsAsRegion(parsed, snapshot)
                                            : tree_.GetRegion(parsed, snapshot);
    if (absl::IsNotFound(region.status())) continue;
    RETURN_IF_ERROR(region.status());
    *dapil->add_regions() = *std::move(region);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Region> TallyStore::TpsAsRegion(
    const RegionCode& code, const rocksdb::Snapshot* snapshot) const {
  ASSIGN_OR_RETURN(v1::Tps tps, tree_.GetTps(code, snapshot));
  v1::Region region;
  region.set_code(tps.code());
  region.set_name(tps.name());
  region.set_level(v1::REGION_LEVEL_TPS);
  region.set_parent(tps.parent());
  region.set_tps_count(1);
  return region;
}

absl::StatusOr<v1::Dapil> TallyStore::GetDapil(
    absl::string_view race, absl::string_view code,
    const rocksdb::Snapshot* snapshot) const {
  RETURN_IF_ERROR(CheckHasDapil(race));
  const ReferenceStore& reference = forms_.reference();
  ASSIGN_OR_RETURN(v1::Dapil dapil, reference.GetDapil(race, code));
  absl::StatusOr<v1::Ballot> ballot = reference.GetBallot(race, code);
  if (ballot.ok()) {
    for (const v1::Ballot::PartyList& list : ballot->parties()) {
      if (list.party_id() == 0) continue;
      absl::StatusOr<v1::Party> party = reference.GetParty(list.party_id());
      if (party.ok()) {
        *dapil.add_parties() = *std::move(party);
      } else if (!absl::IsNotFound(party.status())) {
        return party.status();
      }
    }
    *dapil.mutable_ballot() = *std::move(ballot);
  } else if (!absl::IsNotFound(ballot.status())) {
    return ballot.status();
  }
  RETURN_IF_ERROR(AddDapilRegions(&dapil, snapshot));
  const std::set<std::string> only = {std::string(code)};
  ASSIGN_OR_RETURN(
      DapilTpsCounts tps,
      CountTpsPerDapil(reference, tree_, race, RegionCode(), &only, snapshot));
  ASSIGN_OR_RETURN(*dapil.mutable_aggregate(),
                   GetDapilAggregate(race, code, snapshot));
  dapil.mutable_aggregate()->set_tps_total(tps[std::string(code)]);
  return dapil;
}

absl::StatusOr<Page<v1::Dapil>> TallyStore::ListDapil(
    absl::string_view race, const RegionCode& region, int page_size,
    const std::string& page_token, const rocksdb::Snapshot* snapshot) const {
  RETURN_IF_ERROR(CheckHasDapil(race));
  const std::string listing = absl::StrCat("dapil/", race, "/", region.str());
  ASSIGN_OR_RETURN(const std::string last,
                   DecodePageToken(listing, page_token));
  page_size = ClampPageSize(page_size);
  const ReferenceStore& reference = forms_.reference();
  // The whole race, or below a region only the dapil its TPS belong to
  // (a handful, read one by one; NOT_FOUND when the tree lacks it).
  std::vector<v1::Dapil> candidates;
  if (region.is_national()) {
    ASSIGN_OR_RETURN(candidates, reference.ListDapil(race));
  } else {
    ASSIGN_OR_RETURN(
        DapilTpsCounts there,
        CountTpsPerDapil(reference, tree_, race, region, nullptr, snapshot));
    for (const auto& [code, count] : there) {  // in code order
      if (code.empty() || count <= 0) continue;
      ASSIGN_OR_RETURN(v1::Dapil dapil, reference.GetDapil(race, code));
      candidates.push_back(std::move(dapil));
    }
  }
  Page<v1::Dapil> page;
  for (v1::Dapil& dapil : candidates) {
    if (!last.empty() && dapil.code() <= last) continue;
    if (static_cast<int>(page.items.size()) == page_size) {
      page.next_page_token = EncodePageToken(listing, page.items.back().code());
      break;
    }
    page.items.push_back(std::move(dapil));
  }
  std::set<std::string> codes;
  for (const v1::Dapil& dapil : page.items) codes.insert(dapil.code());
  ASSIGN_OR_RETURN(
      DapilTpsCounts tps,
      CountTpsPerDapil(reference, tree_, race, RegionCode(), &codes, snapshot));
  for (v1::Dapil& dapil : page.items) {
    ASSIGN_OR_RETURN(*dapil.mutable_aggregate(),
                     GetDapilAggregate(race, dapil.code(), snapshot));
    dapil.mutable_aggregate()->set_tps_total(tps[dapil.code()]);
  }
  return page;
}

absl::StatusOr<v1::TpsResult> TallyStore::GetResult(
    const RegionCode& tps, absl::string_view form_kind,
    const rocksdb::Snapshot* snapshot) const {
  std::string value;
  RETURN_IF_ERROR(db_->Get(
      Family::kResults, keys::Result(form_kind, tps.str()), &value,
      absl::StrCat("result of TPS ", tps.str(), " for ", form_kind), snapshot));
  v1::TpsResult result;
  if (!result.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("result of TPS ", tps.str(), " is unreadable"));
  }
  return result;
}

absl::StatusOr<v1::Tps> TallyStore::GetTps(
    const RegionCode& code, const rocksdb::Snapshot* snapshot) const {
  absl::StatusOr<v1::Tps> tps = tree_.GetTps(code, snapshot);
  if (!tps.ok()) return tps;
  for (const auto& [name, kind] : kinds_->all()) {
    absl::StatusOr<v1::TpsResult> result = GetResult(code, name, snapshot);
    if (result.ok()) {
      *tps->add_results() = *std::move(result);
    } else if (!absl::IsNotFound(result.status())) {
      return result.status();
    }
  }
  return tps;
}

absl::StatusOr<v1::Region> TallyStore::GetRegion(
    const RegionCode& code, absl::string_view form_kind,
    const rocksdb::Snapshot* snapshot) const {
  if (absl::StatusOr<const v1::FormKind*> kind = kinds_->Find(form_kind);
      !kind.ok()) {
    return absl::InvalidArgumentError(kind.status().message());
  }
  absl::StatusOr<v1::Region> region = tree_.GetRegion(code, snapshot);
  if (!region.ok()) return region;
  v1::Aggregate* aggregate = region->mutable_aggregate();
  std::string value;
  absl::Status read =
      db_->Get(Family::kAggregates, keys::Aggregate(form_kind, code.str()),
               &value, "aggregate", snapshot);
  if (read.ok()) {
    if (!aggregate->ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("aggregate of ", code.str(), " is unreadable"));
    }
  } else if (!absl::IsNotFound(read)) {
    return read;
  }
  aggregate->set_form_kind(std::string(form_kind));
  aggregate->set_tps_total(region->tps_count());
  return region;
}

}  // namespace c1tally
