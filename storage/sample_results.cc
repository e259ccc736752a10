#include "storage/sample_results.h"

#include <algorithm>
#include <random>
#include <vector>

#include "storage/reference/ballot_form.h"
#include "storage/reference/kpu_reference_parser.h"
#include "storage/synthetic_random.h"

namespace c1tally {

v1::TpsResult PpwpResult(const std::string& tps_code, int64_t p1, int64_t p2,
                         int64_t p3, int64_t invalid) {
  v1::TpsResult result;
  result.set_tps_code(tps_code);
  result.set_form_kind("ppwp");
  auto& values = *result.mutable_values();
  values["suara_paslon_1"] = p1;
  values["suara_paslon_2"] = p2;
  values["suara_paslon_3"] = p3;
  values["suara_sah"] = p1 + p2 + p3;
  values["suara_tidak_sah"] = invalid;
  values["suara_total"] = p1 + p2 + p3 + invalid;
  return result;
}

v1::TpsResult SamplePpwpResult(const std::string& tps_code, uint64_t seed) {
  std::mt19937_64 random(seed ^ std::hash<std::string>()(tps_code));
  // Shares roughly like 2024's national result, varying per TPS.
  std::uniform_int_distribution<int> voters(120, 290);
  std::normal_distribution<double> jitter(0.0, 0.08);
  const int used = voters(random);
  const int invalid = std::uniform_int_distribution<int>(0, 8)(random);
  const int valid = used - invalid;
  double share1 = std::clamp(0.25 + jitter(random), 0.0, 1.0);
  double share3 = std::clamp(0.16 + jitter(random), 0.0, 1.0 - share1);
  const int votes1 = static_cast<int>(valid * share1);
  const int votes3 = static_cast<int>(valid * share3);
  const int votes2 = valid - votes1 - votes3;

  v1::TpsResult result = PpwpResult(tps_code, votes1, votes2, votes3, invalid);
  result.mutable_provenance()->set_source(v1::Provenance::SOURCE_OPERATOR);
  result.mutable_provenance()->set_note("demo data");
  return result;
}

namespace {

// `total` split in proportion to `weights` (whole numbers summing to
// `total`; what rounding leaves goes to the first).
std::vector<int64_t> Apportion(int64_t total,
                               const std::vector<double>& weights) {
  double sum = 0;
  for (double weight : weights) sum += weight;
  std::vector<int64_t> shares(weights.size(), 0);
  int64_t left = total;
  for (size_t i = 0; i < weights.size() && sum > 0; ++i) {
    shares[i] = static_cast<int64_t>(total * weights[i] / sum);
    left -= shares[i];
  }
  for (size_t i = 0; left > 0 && !shares.empty(); i = (i + 1) % shares.size()) {
    ++shares[i];
    --left;
  }
  return shares;
}

// Weights of the candidates of one list: the top of the list draws most.
std::vector<double> CandidateWeights(int count, SyntheticRandom* random) {
  std::vector<double> weights;
  for (int i = 0; i < count; ++i) {
    weights.push_back((0.3 + random->Uniform()) / (1 + 0.5 * i));
  }
  return weights;
}

}  // namespace

v1::TpsResult SampleLegislativeResult(const std::string& tps_code,
                                      const std::string& race,
                                      const v1::Ballot& ballot, uint64_t seed) {
  SyntheticRandom random(seed ^ std::hash<std::string>()(tps_code + race));
  const int64_t used = 120 + static_cast<int64_t>(random.Below(171));
  const int64_t invalid = static_cast<int64_t>(random.Below(16));
  const int64_t valid = used - invalid;
  v1::TpsResult result;
  result.set_tps_code(tps_code);
  result.set_form_kind(race);
  auto& values = *result.mutable_values();
  values["suara_sah"] = valid;
  values["suara_tidak_sah"] = invalid;
  values["suara_total"] = used;
  if (!RaceHasParties(race)) {
    const auto& candidates = ballot.parties(0).candidates();
    std::vector<int64_t> votes =
        Apportion(valid, CandidateWeights(candidates.size(), &random));
    for (int i = 0; i < candidates.size(); ++i) {
      values[CandidateField(candidates[i].id())] = votes[i];
    }
    return result;
  }
  std::vector<double> party_weights;
  for (int i = 0; i < ballot.parties_size(); ++i) {
    // A few large parties, many small ones.
    const double u = random.Uniform();
    party_weights.push_back(0.2 + u * u * 3);
  }
  const std::vector<int64_t> totals = Apportion(valid, party_weights);
  for (int p = 0; p < ballot.parties_size(); ++p) {
    const v1::Ballot::PartyList& list = ballot.parties(p);
    // Between a tenth and a third of a party's votes are for the party only.
    const int64_t party_only =
        static_cast<int64_t>(totals[p] * (0.1 + 0.23 * random.Uniform()));
    std::vector<int64_t> votes =
        Apportion(totals[p] - party_only,
                  CandidateWeights(list.candidates_size(), &random));
    values[PartyOnlyField(list.party_id())] = party_only;
    values[PartyTotalField(list.party_id())] = totals[p];
    for (int i = 0; i < list.candidates_size(); ++i) {
      values[CandidateField(list.candidates(i).id())] = votes[i];
    }
  }
  return result;
}

}  // namespace c1tally
