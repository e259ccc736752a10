#include "storage/synthetic_tree.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c1tally/v1/resources.pb.h"
#include "storage/status_macros.h"
#include "storage/synthetic_random.h"

namespace c1tally {
namespace {

// The 38 province codes of 2024.
constexpr const char* kProvinceCodes[] = {
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
    "31", "32", "33", "34", "35", "36", "51", "52", "53", "61",
    "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96"};
constexpr int kMaxProvinces = sizeof(kProvinceCodes) / sizeof(char*);

// Code ranges: kabupaten 01..70 and kota 71..99 within a province,
// kecamatan 01..99, kelurahan 1001..1999 and desa 2001..2999 within a
// kecamatan, TPS 001..899 plus special 901.. within a kelurahan.
constexpr int64_t kMaxKabupaten = 70;
constexpr int64_t kMaxKota = 29;
constexpr int64_t kMaxPerTwoDigits = 99;
constexpr int64_t kMaxPerFourDigits = 999;
constexpr int64_t kMaxRegularTps = 899;
constexpr int64_t kMaxOverseasTps = 999;

// Shares of the overseas subtree, roughly as in 2024 (128 cities, 3,205 of
// 823,236 TPS).
constexpr double kOverseasCityShare = 0.2;
constexpr double kOverseasTpsShare = 0.004;

// Chances per kelurahan of special-location TPS and of a numbering gap,
// about as often as in KPU's 2024 list.
constexpr double kSpecialTpsChance = 0.015;
constexpr double kGapChance = 0.004;

constexpr const char* kNamePrefixes[] = {
    "SUKA",   "KARANG ", "TANJUNG ", "SUNGAI ", "BATU ",  "BUKIT ",
    "PASIR ", "TEGAL ",  "KAMPUNG ", "AIR ",    "TELUK ", "MUARA ",
    "RAWA ",  "PULAU ",  "LUBUK ",   "PADANG ", "KEBON ", "CIPTA",
    "MEKAR",  "SRI ",    "WONO",     "SIDO",    "MARGA",  "TANAH "};
constexpr const char* kNameRoots[] = {
    "JAYA",    "MAJU",      "MAKMUR", "SARI",    "BARU",    "INDAH",
    "MULYA",   "REJO",      "ASRI",   "HARAPAN", "RAYA",    "DAMAI",
    "TENGAH",  "WANGI",     "MUKTI",  "AGUNG",   "SENTOSA", "PERMAI",
    "LESTARI", "SEJAHTERA", "MEKAR",  "TIMUR",   "BARAT",   "UTARA"};

using Random = SyntheticRandom;

std::string Digits(int64_t number, size_t width) {
  std::string digits = absl::StrCat(number);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string InventName(Random* random) {
  std::string name =
      absl::StrCat(random->Pick(kNamePrefixes), random->Pick(kNameRoots));
  // Real lists repeat names with a numeral ("PULO IE I", "PULO IE II").
  if (random->Chance(0.1)) {
    absl::StrAppend(&name, random->Chance(0.5) ? " I" : " II");
  }
  return name;
}

// Splits `total` into `parts` shares of 1..`cap` with random weights. The
// caller checks parts <= total <= parts * cap.
std::vector<int64_t> Split(int64_t total, int64_t parts, int64_t cap,
                           Random* random) {
  std::vector<int64_t> shares(parts, 1);
  std::vector<double> weights(parts);
  double sum = 0;
  for (double& weight : weights) {
    weight = 0.25 + 1.5 * random->Uniform();
    sum += weight;
  }
  const int64_t extra = total - parts;
  int64_t left = extra;
  for (int64_t i = 0; i < parts; ++i) {
    const int64_t add = std::min<int64_t>(
        cap - 1, static_cast<int64_t>(std::floor(extra * weights[i] / sum)));
    shares[i] += add;
    left -= add;
  }
  // Rounding and caps leave a few; hand them out one by one.
  for (int64_t i = static_cast<int64_t>(random->Below(parts)); left > 0;
       i = (i + 1) % parts) {
    if (shares[i] < cap) {
      ++shares[i];
      --left;
    }
  }
  return shares;
}

absl::Status CheckFits(int64_t total, int64_t parts, int64_t cap,
                       const char* children, const char* parent) {
  if (total <= parts * cap) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(total, " ", children, " do not fit in ", parts, " ", parent,
                   " with at most ", cap, " each"));
}

// The totals after scaling, with the overseas part set apart.
struct Shape {
  int64_t provinces = 0;
  int64_t kabupaten = 0;  // domestic
  int64_t kecamatan = 0;  // domestic
  int64_t kelurahan = 0;  // domestic
  int64_t tps = 0;        // domestic
  int64_t cities = 0;     // abroad: one kecamatan and kelurahan each
  int64_t overseas_tps = 0;
};

absl::StatusOr<Shape> ShapeOf(const SyntheticTreeOptions& options) {
  if (options.provinces < 1 || options.provinces > kMaxProvinces) {
    return absl::InvalidArgumentError(
        absl::StrCat("provinces must be from 1 to ", kMaxProvinces, ", not ",
                     options.provinces));
  }
  if (!(options.scale > 0) || !std::isfinite(options.scale)) {
    return absl::InvalidArgumentError(
        absl::StrCat("scale must be a positive number, not ", options.scale));
  }
  auto scaled = [&](int64_t count) {
    return static_cast<int64_t>(std::llround(count * options.scale));
  };
  Shape shape;
  shape.provinces = options.provinces;
  const int64_t kabupaten = std::max(
      scaled(options.kabupaten), shape.provinces + (options.overseas ? 1 : 0));
  const int64_t kecamatan = std::max(scaled(options.kecamatan), kabupaten);
  const int64_t kelurahan = std::max(scaled(options.kelurahan), kecamatan);
  const int64_t tps = std::max(scaled(options.tps), kelurahan);
  if (options.overseas) {
    shape.cities = std::clamp<int64_t>(
        std::llround(kabupaten * kOverseasCityShare), 1,
        std::min(kMaxPerTwoDigits, kabupaten - shape.provinces));
    shape.overseas_tps =
        std::clamp<int64_t>(std::llround(tps * kOverseasTpsShare), shape.cities,
                            std::min(shape.cities * kMaxOverseasTps,
                                     tps - (kelurahan - shape.cities)));
  }
  shape.kabupaten = kabupaten - shape.cities;
  shape.kecamatan = kecamatan - shape.cities;
  shape.kelurahan = kelurahan - shape.cities;
  shape.tps = tps - shape.overseas_tps;
  for (absl::Status fits :
       {CheckFits(shape.kabupaten, shape.provinces, kMaxKabupaten + kMaxKota,
                  "kabupaten/kota", "provinces"),
        CheckFits(shape.kecamatan, shape.kabupaten, kMaxPerTwoDigits,
                  "kecamatan", "kabupaten/kota"),
        CheckFits(shape.kelurahan, shape.kecamatan, 2 * kMaxPerFourDigits,
                  "kelurahan", "kecamatan"),
        CheckFits(shape.tps, shape.kelurahan, kMaxRegularTps, "TPS",
                  "kelurahan")}) {
    if (!fits.ok()) return fits;
  }
  return shape;
}

// Feeds the generated records to an importer.
class Generator {
 public:
  // `importer` must outlive the generator.
  Generator(const SyntheticTreeOptions& options, RegionImporter* importer)
      : random_(options.seed),
        importer_(importer),
        origin_(absl::StrCat("synthetic tree (seed ", options.seed, ")")) {}

  void Domestic(const Shape& shape) {
    const std::vector<int64_t> kabupaten = Split(
        shape.kabupaten, shape.provinces, kMaxKabupaten + kMaxKota, &random_);
    // Kecamatan, kelurahan and TPS are split over the whole country at
    // once, then handed out in code order.
    kecamatan_ =
        Split(shape.kecamatan, shape.kabupaten, kMaxPerTwoDigits, &random_);
    kelurahan_ = Split(shape.kelurahan, shape.kecamatan, 2 * kMaxPerFourDigits,
                       &random_);
    tps_ = Split(shape.tps, shape.kelurahan, kMaxRegularTps, &random_);
    for (int64_t p = 0; p < shape.provinces; ++p) {
      const std::string code = kProvinceCodes[p];
      Region(code, absl::StrCat(InventName(&random_), " (SINTETIS)"));
      Province(code, kabupaten[p]);
    }
  }

  void Overseas(const Shape& shape) {
    Region("99", "LUAR NEGERI (SINTETIS)");
    const std::vector<int64_t> tps =
        Split(shape.overseas_tps, shape.cities, kMaxOverseasTps, &random_);
    for (int64_t c = 0; c < shape.cities; ++c) {
      const std::string city = absl::StrCat("99", Digits(c + 1, 2));
      const std::string name =
          absl::StrCat(InventName(&random_), ", NEGARA ", InventName(&random_));
      Region(city, name);
      Region(city + "01", name);
      Region(city + "010001", name);
      OverseasTps(city + "010001", tps[c]);
    }
  }

 private:
  void Region(const std::string& code, const std::string& name) {
    importer_->AddRegion(code, name, 0, 0, origin_);
  }

  // A province of `count` kabupaten/kota: kabupaten 01.., then about one
  // in five a kota 71...
  void Province(const std::string& province, int64_t count) {
    const int64_t kota =
        std::clamp<int64_t>(count / 5, count - kMaxKabupaten, kMaxKota);
    for (int64_t i = 0; i < count; ++i) {
      const bool is_kota = i >= count - kota;
      const int64_t number = is_kota ? 71 + (i - (count - kota)) : i + 1;
      const std::string code = province + Digits(number, 2);
      const std::string name = InventName(&random_);
      Region(code, is_kota ? absl::StrCat("KOTA ", name) : name);
      Kabupaten(code, is_kota);
    }
  }

  void Kabupaten(const std::string& kabupaten, bool is_kota) {
    const int64_t count = kecamatan_[next_kabupaten_++];
    for (int64_t i = 0; i < count; ++i) {
      const std::string code = kabupaten + Digits(i + 1, 2);
      Region(code, InventName(&random_));
      Kecamatan(code, is_kota);
    }
  }

  // Kelurahan (1001..) are urban, desa (2001..) rural: a kota has only
  // kelurahan, a kabupaten mostly desa.
  void Kecamatan(const std::string& kecamatan, bool is_kota) {
    const int64_t count = kelurahan_[next_kecamatan_++];
    int64_t urban = is_kota ? count : count / 10;
    urban = std::clamp<int64_t>(urban, count - kMaxPerFourDigits,
                                kMaxPerFourDigits);
    for (int64_t i = 0; i < count; ++i) {
      const int64_t number = i < urban ? 1001 + i : 2001 + (i - urban);
      const std::string code = kecamatan + Digits(number, 4);
      Region(code, InventName(&random_));
      Kelurahan(code);
    }
  }

  // TPS 001..N; sometimes the last one or two are special (901..), and
  // sometimes a number is skipped.
  void Kelurahan(const std::string& kelurahan) {
    const int64_t count = tps_[next_kelurahan_++];
    const int64_t special = count >= 3 && random_.Chance(kSpecialTpsChance)
                                ? 1 + (random_.Chance(0.3) ? 1 : 0)
                                : 0;
    const int64_t regular = count - special;
    const int64_t gap =
        regular >= 3 && regular < kMaxRegularTps && random_.Chance(kGapChance)
            ? 2 + static_cast<int64_t>(random_.Below(regular - 1))
            : 0;
    for (int64_t number = 1; number <= regular + (gap > 0 ? 1 : 0); ++number) {
      if (number != gap) Tps(kelurahan, number, "TPS");
    }
    for (int64_t i = 0; i < special; ++i) Tps(kelurahan, 901 + i, "TPS");
  }

  // Abroad: TPS, then about one in five KSK (mobile box), then one POS
  // (postal) station, numbered on.
  void OverseasTps(const std::string& kelurahan, int64_t count) {
    const int64_t pos = count >= 3 ? 1 : 0;
    const int64_t ksk = count / 5;
    for (int64_t number = 1; number <= count; ++number) {
      const char* kind = number > count - pos         ? "POS"
                         : number > count - pos - ksk ? "KSK"
                                                      : "TPS";
      Tps(kelurahan, number, kind);
    }
  }

  void Tps(const std::string& kelurahan, int64_t number, const char* kind) {
    const std::string digits = Digits(number, 3);
    importer_->AddTps(kelurahan + digits, absl::StrCat(kind, " ", digits),
                      origin_);
  }

  Random random_;
  RegionImporter* const importer_;
  const std::string origin_;
  // Children per region of each level, in code order, and the next to use.
  std::vector<int64_t> kecamatan_, kelurahan_, tps_;
  size_t next_kabupaten_ = 0, next_kecamatan_ = 0, next_kelurahan_ = 0;
};

// OK if `db` holds no region below the nation and no TPS.
absl::Status CheckEmpty(Database* db) {
  for (Family family : {Family::kRegions, Family::kTps}) {
    std::unique_ptr<rocksdb::Iterator> it = db->NewIterator(family);
    it->SeekToFirst();
    if (it->Valid() && it->key().empty()) it->Next();  // the nation
    if (!it->status().ok()) return FromRocksStatus(it->status(), "reading");
    if (it->Valid()) {
      return absl::FailedPreconditionError(
          "the database already holds a region tree; generate a synthetic "
          "tree only into an empty data directory");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportReport> GenerateSyntheticTree(
    Database* db, const SyntheticTreeOptions& options) {
  ASSIGN_OR_RETURN(Shape shape, ShapeOf(options));
  RETURN_IF_ERROR(CheckEmpty(db));
  RegionImporter importer(db);
  Generator generator(options, &importer);
  generator.Domestic(shape);
  if (shape.cities > 0) generator.Overseas(shape);
  return importer.Commit();
}

}  // namespace c1tally
