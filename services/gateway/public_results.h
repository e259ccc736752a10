// PublicResults: what the public sees, gathered for the public pages and the
// public JSON alike: a region with its aggregate and its children's; a TPS
// with its verified results, its journal, the photos of it that were read as
// a form (with what was read and who vouched for each number) and Sirekap's
// numbers for it. Photos and crops are served only for those photos.
//
// Ancestors carry their names and places in the tree, not their aggregates.
// Never shows an uploader's or a volunteer's name. Everything comes from the
// services' public RPCs, so this may run in another process than they do.
// The stubs must outlive the PublicResults; ingest and audit may be null
// when those services do not run (then there are no photos or no Sirekap
// numbers). Thread-safe.
#ifndef C1TALLY_SERVICES_GATEWAY_PUBLIC_RESULTS_H_
#define C1TALLY_SERVICES_GATEWAY_PUBLIC_RESULTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "c1tally/v1/audit.grpc.pb.h"
#include "c1tally/v1/ingest.grpc.pb.h"
#include "c1tally/v1/tally.grpc.pb.h"

namespace c1tally {

struct RegionView {
  v1::Region region;
  // From the nation down to the parent.
  std::vector<v1::Region> ancestors;
  // Child regions with their aggregates; for a kelurahan, its TPS instead.
  std::vector<v1::Region> children;
  std::vector<v1::Tps> tps;
  std::string next_page_token;
  v1::FormKind form_kind;
  // Legislative races only: every party (for their names), the dapil the
  // region lies in (below the nation) and, for pdpd below the nation, the
  // DPD ballot of its province (empty when none is imported).
  std::vector<v1::Party> parties;
  std::vector<v1::Dapil> dapil;
  v1::Ballot dpd_ballot;
};

// One photo of a TPS as the public sees it.
struct PublicPhoto {
  // The submission's id: "{tps}-{sha256 hex}" (its name without
  // "submissions/").
  std::string id;
  int page = 0;  // 0 while unknown
  // The race the photo is of: as people settled it, else as uploaded.
  std::string form_kind;
  v1::Submission::State state = v1::Submission::STATE_UNSPECIFIED;
  google::protobuf::Timestamp create_time;
  std::vector<std::string> flags;
  struct Field {
    std::string name;
    // The number vouched for (by the machine's confident reading or by
    // people), once the photo is settled; unset before.
    std::optional<int64_t> value;
    // "machine", "people", "moderator", or "" while people are still on it.
    std::string settled_by;
    bool has_crop = false;
  };
  std::vector<Field> fields;
};

struct SirekapNumbers {
  // Sirekap's own timestamp, as published.
  std::string sirekap_time;
  google::protobuf::Timestamp fetch_time;
  // Keyed by our field names (suara_paslon_1, suara_sah, ...).
  std::map<std::string, int64_t> values;
  std::vector<std::string> image_urls;
};

struct TpsView {
  v1::Tps tps;
  // From the nation down to the kelurahan.
  std::vector<v1::Region> ancestors;
  std::vector<v1::JournalEntry> journal;
  std::vector<PublicPhoto> photos;
  std::optional<SirekapNumbers> sirekap;
  // The race's kind; for a legislative race, expanded with the ballot of
  // the TPS's dapil (the one its result was counted in, else the one the
  // map gives), so that every field has its label.
  v1::FormKind form_kind;
  // Legislative races: that dapil with its ballot and parties; unset when
  // the TPS is in none.
  std::optional<v1::Dapil> dapil;
};

class PublicResults {
 public:
  PublicResults(v1::TallyService::StubInterface* tally,
                v1::IngestService::StubInterface* ingest,
                v1::AuditService::StubInterface* audit);

  // `code` "" or "0" is the nation. `form_kind` "" is ppwp; an unknown one
  // is INVALID_ARGUMENT. NOT_FOUND, INVALID_ARGUMENT as the tally service
  // says.
  absl::StatusOr<RegionView> GetRegion(const std::string& code,
                                       const std::string& form_kind,
                                       int page_size,
                                       const std::string& page_token) const;

  // A TPS with its results and journal, seen in race `form_kind` ("" is
  // ppwp).
  absl::StatusOr<TpsView> GetTps(const std::string& code,
                                 const std::string& form_kind = "") const;

  // A public photo's bytes and format ("jpeg", ...), by id. NOT_FOUND for an
  // unknown id or a photo that is not public (not read as a form).
  struct Image {
    std::string bytes;
    std::string format;
  };
  absl::StatusOr<Image> GetPhoto(const std::string& id) const;
  // The PNG crop of one field of a public photo.
  absl::StatusOr<Image> GetFieldCrop(const std::string& id,
                                     const std::string& field) const;

  // Places by code or name (TallyService.SearchPlaces).
  absl::StatusOr<std::vector<v1::Place>> Search(const std::string& query) const;

  // A dapil of a legislative race with its ballot, parties and aggregate
  // (TallyService.GetDapil).
  absl::StatusOr<v1::Dapil> GetDapil(const std::string& race,
                                     const std::string& code) const;

  // One page of the dapil of a race (TallyService.ListDapil).
  absl::StatusOr<v1::ListDapilResponse> ListDapil(
      const std::string& race, int page_size,
      const std::string& page_token) const;

  // Every party (TallyService.ListParties), kept after the first read.
  absl::StatusOr<std::vector<v1::Party>> Parties() const;

  // Form kinds by name, as the tally service lists them; INVALID_ARGUMENT
  // for a name it does not know.
  absl::StatusOr<v1::FormKind> GetFormKind(const std::string& name) const;

 private:
  absl::StatusOr<std::vector<v1::Region>> Ancestors(
      const std::string& code) const;
  absl::StatusOr<v1::Submission> PublicSubmission(const std::string& id) const;
  std::vector<PublicPhoto> Photos(const std::string& tps) const;
  std::optional<SirekapNumbers> Sirekap(const std::string& tps,
                                        const std::string& form_kind) const;
  // The legislative parts of a region's view.
  absl::Status AddLegislative(RegionView* view) const;
  // The dapil of a TPS in a legislative race, and the kind expanded with
  // its ballot.
  absl::Status AddTpsDapil(TpsView* view) const;

  v1::TallyService::StubInterface* tally_;
  v1::IngestService::StubInterface* ingest_;
  v1::AuditService::StubInterface* audit_;
  // What does not change while the server runs, kept after the first read:
  // form kinds, and ancestors (names and places in the tree, without their
  // aggregates). Regions imported while it runs show after a restart.
  mutable absl::Mutex mu_;
  mutable std::map<std::string, v1::FormKind> form_kinds_ ABSL_GUARDED_BY(mu_);
  mutable std::map<std::string, v1::Region> ancestors_ ABSL_GUARDED_BY(mu_);
  // Parties change only with a reference import, which needs the server
  // stopped.
  mutable std::optional<std::vector<v1::Party>> parties_ ABSL_GUARDED_BY(mu_);
};

}  // namespace c1tally

#endif  // C1TALLY_SERVICES_GATEWAY_PUBLIC_RESULTS_H_
