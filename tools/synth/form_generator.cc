#include "tools/synth/form_generator.h"

#include "absl/strings/str_cat.h"
#include "opencv2/imgcodecs.hpp"
#include "opencv2/imgproc.hpp"
#include "storage/status_macros.h"
#include "tools/synth/digit_synth.h"

namespace c1tally::synth {
namespace {

int UniformInt(std::mt19937* random, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(*random);
}

// A vote count as TPS show them: mostly tens to a few hundred, sometimes a
// handful or none.
int VoteCount(std::mt19937* random) {
  const int kind = UniformInt(random, 0, 19);
  if (kind == 0) return UniformInt(random, 0, 9);
  if (kind <= 4) return UniformInt(random, 10, 99);
  return UniformInt(random, 100, 300);
}

// The classes of the three boxes of `value`: digits, with the unused
// leading boxes in one style per field (X, blank or 0).
std::vector<std::string> BoxClasses(int value, std::mt19937* random) {
  const std::string digits = absl::StrCat(value);
  const int roll = UniformInt(random, 0, 19);
  const std::string filler = roll < 10 ? "X" : roll < 17 ? "blank" : "0";
  std::vector<std::string> classes(3 - digits.size(), filler);
  for (char c : digits) classes.emplace_back(1, c);
  return classes;
}

// Blackens the bubble at `centre` the way a hurried hand does: a filled,
// slightly off-centre blob covering most of the circle.
void BlackenBubble(cv::Point2f centre, float radius, const cv::Scalar& ink,
                   cv::RNG& rng, cv::Mat* page) {
  const cv::Point2f middle =
      centre +
      cv::Point2f(static_cast<float>(rng.uniform(-0.15, 0.15) * radius),
                  static_cast<float>(rng.uniform(-0.15, 0.15) * radius));
  cv::ellipse(*page, middle,
              cv::Size2f(static_cast<float>(radius * rng.uniform(0.85, 1.1)),
                         static_cast<float>(radius * rng.uniform(0.85, 1.1))),
              rng.uniform(0.0, 180.0), 0, 360, ink, cv::FILLED, cv::LINE_AA);
}

}  // namespace

absl::StatusOr<FormGenerator> FormGenerator::Create(
    std::vector<ocr::FormSpec> specs, std::map<int, cv::Mat> templates,
    std::vector<MnistDigit> digits, PhotoStyle style) {
  FormGenerator generator;
  generator.style_ = style;
  generator.digits_.resize(10);
  for (MnistDigit& digit : digits) {
    generator.digits_[digit.label].push_back(std::move(digit.image));
  }
  for (const std::vector<cv::Mat>& of_label : generator.digits_) {
    if (of_label.empty()) {
      return absl::InvalidArgumentError("no MNIST digits of some label");
    }
  }
  // The templates in page order; the first with a printed writing guide
  // (page 2) lends it to those without (page 3's draft), as the printed
  // forms have it on every box.
  const DigitGuide* fallback = nullptr;
  for (auto& [page, image] : templates) {
    const ocr::FormSpec* spec = nullptr;
    for (const ocr::FormSpec& candidate : specs) {
      if (candidate.page == page) spec = &candidate;
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("no form spec for template page ", page));
    }
    if (image.size() != spec->reference_size || image.type() != CV_8UC3) {
      return absl::InvalidArgumentError(absl::StrCat(
          "template of page ", page, " is not a BGR image of the spec's size"));
    }
    std::vector<cv::Rect> boxes;
    for (const ocr::DigitField& field : spec->fields) {
      for (const cv::Rect2f& box : field.boxes) {
        boxes.emplace_back(cvRound(box.x), cvRound(box.y), cvRound(box.width),
                           cvRound(box.height));
      }
    }
    absl::StatusOr<TemplatePage> prepared =
        PrepareTemplatePage(image, boxes, fallback);
    if (!prepared.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "template of page ", page, ": ", prepared.status().message()));
    }
    generator.guides_[page] = prepared->guide;
    image = prepared->page;
    if (fallback == nullptr) fallback = &generator.guides_[page];
  }
  if (templates.empty()) return absl::InvalidArgumentError("no templates");
  generator.specs_ = std::move(specs);
  generator.templates_ = std::move(templates);
  return generator;
}

absl::StatusOr<FormGenerator> FormGenerator::Load(
    const std::string& forms_dir, const std::string& templates_dir,
    const std::string& mnist_package_dir) {
  ASSIGN_OR_RETURN(std::vector<ocr::FormSpec> specs,
                   ocr::LoadFormSpecs(forms_dir));
  std::map<int, cv::Mat> templates;
  for (int page : {2, 3}) {
    const std::string path =
        absl::StrCat(templates_dir, "/PPWP-2024-hal", page, "-plano.png");
    cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
    if (image.empty()) {
      return absl::NotFoundError(absl::StrCat("cannot read template ", path));
    }
    templates[page] = image;
  }
  ASSIGN_OR_RETURN(std::vector<MnistDigit> mnist,
                   LoadMnistPackage(mnist_package_dir));
  return Create(std::move(specs), std::move(templates), HeldOutPart(mnist));
}

cv::Mat FormGenerator::FillPage(int page, std::mt19937* random,
                                nlohmann::json* truth,
                                const std::map<std::string, int>& given) const {
  const ocr::FormSpec* spec = nullptr;
  for (const ocr::FormSpec& candidate : specs_) {
    if (candidate.page == page) spec = &candidate;
  }
  cv::Mat filled = templates_.at(page).clone();
  // The numbers: page 3's are consistent with each other.
  std::map<std::string, int> values;
  for (const ocr::DigitField& field : spec->fields) {
    values[field.name] = VoteCount(random);
  }
  if (values.count("suara_total") > 0) {
    values["suara_sah"] = UniformInt(random, 0, 900);
    values["suara_tidak_sah"] = UniformInt(random, 0, 25);
    values["suara_total"] = values["suara_sah"] + values["suara_tidak_sah"];
  }
  for (const auto& [name, value] : given) {
    if (values.count(name) > 0) values[name] = value;
  }
  (*truth)["form"] = spec->form;
  (*truth)["page"] = page;
  // One officer fills the page: one writer's habits, ink and way of
  // marking unused boxes over every box. The strokes are the trainer's
  // (digit_synth.h); free-hand digits are the held-out MNIST ones, and
  // the writer is drawn from this form's seed, so no training writer
  // reappears here.
  cv::RNG rng((*random)());
  const Handwriting hand = RandomHandwriting(rng);
  const DigitGuide& guide = guides_.at(page);
  for (const ocr::DigitField& field : spec->fields) {
    const int value = values[field.name];
    const std::vector<std::string> classes = BoxClasses(value, random);
    (*truth)["fields"][field.name] = value;
    (*truth)["boxes"][field.name] = classes;
    for (size_t i = 0; i < 3; ++i) {
      const std::string& c = classes[i];
      SynthOptions options;
      options.degrade = false;
      options.hand = &hand;
      std::string writing = c;
      if (c == "blank") {
        options.content = BoxContent::kBlank;
      } else if (c == "X") {
        options.content = hand.marks_dash ? BoxContent::kDash : BoxContent::kX;
      } else if (rng.uniform(0.0, 1.0) < hand.traced_share) {
        options.content = BoxContent::kTraced;
        options.digit = c[0] - '0';
        writing = "traced";
      } else {
        const std::vector<cv::Mat>& choices = digits_[c[0] - '0'];
        options.content = BoxContent::kFreehand;
        options.mnist = choices[UniformInt(
            random, 0, static_cast<int>(choices.size()) - 1)];
        writing = "freehand";
      }
      (*truth)["writing"][field.name].push_back(writing);
      const cv::Rect2f& box = field.boxes[i];
      const cv::Rect pixels(cvRound(box.x), cvRound(box.y), cvRound(box.width),
                            cvRound(box.height));
      // The box lies inside the template (the spec is validated), so this
      // cannot fail.
      WriteBoxContent(pixels, guide, options, rng, &filled).IgnoreError();
      // Every written digit has its bubble blackened too, in the same ink.
      if (c != "X" && c != "blank" && i < field.bubble_columns.size()) {
        BlackenBubble(field.bubble_columns[i].centres[c[0] - '0'],
                      field.bubble_radius, hand.ink, rng, &filled);
      }
    }
  }
  return filled;
}

GeneratedForm FormGenerator::Generate(uint64_t seed) const {
  std::mt19937 random(static_cast<uint32_t>(seed * 2654435761u + 17));
  auto page = templates_.begin();
  std::advance(page,
               UniformInt(&random, 0, static_cast<int>(templates_.size()) - 1));
  return Render(page->first, {}, &random);
}

GeneratedForm FormGenerator::GenerateWith(
    uint64_t seed, int page, const std::map<std::string, int>& values) const {
  std::mt19937 random(static_cast<uint32_t>(seed * 2654435761u + 17));
  return Render(page, values, &random);
}

GeneratedForm FormGenerator::Render(int page,
                                    const std::map<std::string, int>& values,
                                    std::mt19937* random) const {
  GeneratedForm form;
  cv::Mat filled = FillPage(page, random, &form.truth, values);
  const PhotoEffects effects = DrawPhotoEffects(style_, random);
  form.truth["effects"] = effects.ToString();
  form.photo = RenderPhoto(filled, style_, effects);
  return form;
}

}  // namespace c1tally::synth
