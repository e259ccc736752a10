#include "ocr/form_spec.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/aruco.hpp>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "storage/status_macros.h"

namespace c1tally::ocr {
namespace {

using nlohmann::json;

// Parsing is written without nlohmann's throwing accessors: every lookup
// checks the type first and reports the JSON path that was wrong.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  absl::Status Error(const std::string& where, const std::string& what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ": ", where, ": ", what));
  }

  absl::StatusOr<const json*> Get(const json& obj, const std::string& key,
                                  const std::string& where) const {
    if (!obj.is_object()) return Error(where, "expected an object");
    auto it = obj.find(key);
    if (it == obj.end())
      return Error(where, absl::StrCat("missing \"", key, "\""));
    return &*it;
  }

  absl::StatusOr<double> Number(const json& v, const std::string& where) const {
    if (!v.is_number()) return Error(where, "expected a number");
    return v.get<double>();
  }

  absl::StatusOr<int> Int(const json& obj, const std::string& key,
                          const std::string& where) const {
    ASSIGN_OR_RETURN(auto v, Get(obj, key, where));
    if (!v->is_number_integer())
      return Error(where + "." + key, "expected an integer");
    return v->get<int>();
  }

  absl::StatusOr<std::string> String(const json& obj, const std::string& key,
                                     const std::string& where) const {
    ASSIGN_OR_RETURN(auto v, Get(obj, key, where));
    if (!v->is_string()) return Error(where + "." + key, "expected a string");
    return v->get<std::string>();
  }

  // [a, b, ...] of exactly n numbers.
  absl::StatusOr<std::vector<float>> Numbers(const json& v, size_t n,
                                             const std::string& where) const {
    if (!v.is_array() || v.size() != n) {
      return Error(where, absl::StrCat("expected an array of ", n, " numbers"));
    }
    std::vector<float> out;
    for (const json& e : v) {
      ASSIGN_OR_RETURN(auto x, Number(e, where));
      out.push_back(static_cast<float>(x));
    }
    return out;
  }

  absl::StatusOr<cv::Point2f> Point(const json& v,
                                    const std::string& where) const {
    ASSIGN_OR_RETURN(auto n, Numbers(v, 2, where));
    return cv::Point2f(n[0], n[1]);
  }

  absl::StatusOr<cv::Rect2f> Box(const json& v,
                                 const std::string& where) const {
    ASSIGN_OR_RETURN(auto n, Numbers(v, 4, where));
    if (n[2] <= 0 || n[3] <= 0) return Error(where, "box has no area");
    return cv::Rect2f(n[0], n[1], n[2], n[3]);
  }

  absl::StatusOr<std::vector<std::string>> Strings(
      const json& v, const std::string& where) const {
    if (!v.is_array() || v.empty()) return Error(where, "expected names");
    std::vector<std::string> out;
    for (const json& e : v) {
      if (!e.is_string()) return Error(where, "expected a string");
      out.push_back(e.get<std::string>());
    }
    return out;
  }

 private:
  std::string source_;
};

absl::StatusOr<int> DictionaryId(const std::string& name) {
  static const auto* const kNames = new std::map<std::string, int>{
      {"DICT_APRILTAG_16h5", cv::aruco::DICT_APRILTAG_16h5},
      {"DICT_APRILTAG_25h9", cv::aruco::DICT_APRILTAG_25h9},
      {"DICT_APRILTAG_36h10", cv::aruco::DICT_APRILTAG_36h10},
      {"DICT_APRILTAG_36h11", cv::aruco::DICT_APRILTAG_36h11},
  };
  auto it = kNames->find(name);
  if (it == kNames->end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown tag dictionary \"", name, "\""));
  }
  return it->second;
}

absl::Status ReadTag(const Reader& r, const json& root, FormSpec* spec) {
  ASSIGN_OR_RETURN(const json* tag, r.Get(root, "tag", "spec"));
  ASSIGN_OR_RETURN(spec->tag_dictionary, r.String(*tag, "dictionary", "tag"));
  auto dict = DictionaryId(spec->tag_dictionary);
  if (!dict.ok())
    return r.Error("tag.dictionary", std::string(dict.status().message()));
  spec->tag_dictionary_id = *dict;
  ASSIGN_OR_RETURN(spec->tag_id, r.Int(*tag, "id", "tag"));
  ASSIGN_OR_RETURN(const json* corners, r.Get(*tag, "corners", "tag"));
  if (!corners->is_array() || corners->size() != 4) {
    return r.Error("tag.corners", "expected 4 points");
  }
  for (int i = 0; i < 4; ++i) {
    ASSIGN_OR_RETURN(
        spec->tag_corners[i],
        r.Point((*corners)[i], absl::StrCat("tag.corners[", i, "]")));
  }
  return absl::OkStatus();
}

absl::Status ReadCornerMarks(const Reader& r, const json& root,
                             FormSpec* spec) {
  static const char* const kOrder[4] = {"top_left", "top_right", "bottom_right",
                                        "bottom_left"};
  ASSIGN_OR_RETURN(const json* marks, r.Get(root, "corner_marks", "spec"));
  if (!marks->is_array() || marks->size() != 4) {
    return r.Error("corner_marks", "expected 4 marks");
  }
  for (int i = 0; i < 4; ++i) {
    const std::string where = absl::StrCat("corner_marks[", i, "]");
    ASSIGN_OR_RETURN(std::string corner,
                     r.String((*marks)[i], "corner", where));
    if (corner != kOrder[i]) {
      return r.Error(where, absl::StrCat("expected corner \"", kOrder[i],
                                         "\" (order: top_left, top_right, "
                                         "bottom_right, bottom_left)"));
    }
    ASSIGN_OR_RETURN(const json* outer, r.Get((*marks)[i], "outer", where));
    ASSIGN_OR_RETURN(spec->corner_marks[i].outer_corner,
                     r.Point(*outer, where + ".outer"));
    ASSIGN_OR_RETURN(const json* size, r.Get((*marks)[i], "size", where));
    ASSIGN_OR_RETURN(std::vector<float> wh,
                     r.Numbers(*size, 2, where + ".size"));
    if (wh[0] <= 0 || wh[1] <= 0)
      return r.Error(where + ".size", "must be positive");
    spec->corner_marks[i].size = cv::Size2f(wh[0], wh[1]);
    ASSIGN_OR_RETURN(const json* box, r.Get((*marks)[i], "search_box", where));
    ASSIGN_OR_RETURN(spec->corner_marks[i].search_box,
                     r.Box(*box, where + ".search_box"));
  }
  return absl::OkStatus();
}

absl::Status ReadBubbles(const Reader& r, const json& f,
                         const std::string& where, DigitField* field) {
  if (!f.contains("bubbles")) return absl::OkStatus();
  const json& b = f["bubbles"];
  ASSIGN_OR_RETURN(const json* radius, r.Get(b, "radius", where + ".bubbles"));
  ASSIGN_OR_RETURN(double rad, r.Number(*radius, where + ".bubbles.radius"));
  if (rad <= 0) return r.Error(where + ".bubbles.radius", "must be positive");
  field->bubble_radius = static_cast<float>(rad);
  ASSIGN_OR_RETURN(const json* cols, r.Get(b, "columns", where + ".bubbles"));
  if (!cols->is_array() || cols->size() != 3) {
    return r.Error(where + ".bubbles.columns", "expected 3 columns");
  }
  for (size_t c = 0; c < 3; ++c) {
    const json& col = (*cols)[c];
    const std::string cw = absl::StrCat(where, ".bubbles.columns[", c, "]");
    if (!col.is_array() || col.size() != 10)
      return r.Error(cw, "expected 10 centres");
    BubbleColumn column;
    for (size_t k = 0; k < 10; ++k) {
      ASSIGN_OR_RETURN(column.centres[k], r.Point(col[k], cw));
    }
    field->bubble_columns.push_back(column);
  }
  return absl::OkStatus();
}

absl::Status ReadFields(const Reader& r, const json& root, FormSpec* spec) {
  ASSIGN_OR_RETURN(const json* fields, r.Get(root, "fields", "spec"));
  if (!fields->is_array() || fields->empty())
    return r.Error("fields", "expected fields");
  for (size_t i = 0; i < fields->size(); ++i) {
    const json& f = (*fields)[i];
    std::string where = absl::StrCat("fields[", i, "]");
    DigitField field;
    ASSIGN_OR_RETURN(field.name, r.String(f, "name", where));
    where += " (" + field.name + ")";
    ASSIGN_OR_RETURN(const json* boxes, r.Get(f, "boxes", where));
    if (!boxes->is_array() || boxes->size() != 3) {
      return r.Error(where + ".boxes",
                     "expected 3 boxes (hundreds, tens, units)");
    }
    for (int k = 0; k < 3; ++k) {
      ASSIGN_OR_RETURN(field.boxes[k], r.Box((*boxes)[k], where + ".boxes"));
    }
    RETURN_IF_ERROR(ReadBubbles(r, f, where, &field));
    spec->fields.push_back(std::move(field));
  }
  return absl::OkStatus();
}

absl::Status ReadRules(const Reader& r, const json& root, FormSpec* spec) {
  if (!root.contains("rules")) return absl::OkStatus();
  const json& rules = root["rules"];
  if (!rules.is_array()) return r.Error("rules", "expected an array");
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string where = absl::StrCat("rules[", i, "]");
    ArithmeticRule rule;
    ASSIGN_OR_RETURN(rule.name, r.String(rules[i], "name", where));
    ASSIGN_OR_RETURN(const json* lhs, r.Get(rules[i], "lhs", where));
    ASSIGN_OR_RETURN(rule.lhs, r.Strings(*lhs, where + ".lhs"));
    ASSIGN_OR_RETURN(const json* rhs, r.Get(rules[i], "rhs", where));
    ASSIGN_OR_RETURN(rule.rhs, r.Strings(*rhs, where + ".rhs"));
    spec->rules.push_back(std::move(rule));
  }
  return absl::OkStatus();
}

bool Inside(const cv::Rect2f& box, const cv::Size& page) {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= page.width &&
         box.y + box.height <= page.height;
}

bool Inside(const cv::Point2f& p, const cv::Size& page) {
  return p.x >= 0 && p.y >= 0 && p.x <= page.width && p.y <= page.height;
}

// Geometry and naming checks that JSON types cannot express.
absl::Status Validate(const Reader& r, const FormSpec& spec) {
  const cv::Size& page = spec.reference_size;
  if (spec.page < 1 || spec.page > spec.pages_total) {
    return r.Error("page", "must be within 1..pages_total");
  }
  for (const cv::Point2f& p : spec.tag_corners) {
    if (!Inside(p, page))
      return r.Error("tag.corners", "point outside the page");
  }
  for (const CornerMark& m : spec.corner_marks) {
    // The search box may reach past the page: the photo goes on there, and
    // a tilted page puts the mark outside the reference rectangle.
    if (!Inside(m.outer_corner, page) ||
        !m.search_box.contains(m.outer_corner)) {
      return r.Error("corner_marks",
                     "mark outside the page or outside its search box");
    }
  }
  if (!Inside(spec.header_box, page))
    return r.Error("header_box", "outside the page");
  std::set<std::string> names;
  for (const DigitField& f : spec.fields) {
    if (!names.insert(f.name).second) {
      return r.Error("fields",
                     absl::StrCat("duplicate field \"", f.name, "\""));
    }
    for (const cv::Rect2f& b : f.boxes) {
      if (!Inside(b, page)) {
        return r.Error("fields", absl::StrCat("a box of \"", f.name,
                                              "\" is outside the page"));
      }
    }
    for (const BubbleColumn& c : f.bubble_columns) {
      for (const cv::Point2f& p : c.centres) {
        if (!Inside(p, page)) {
          return r.Error("fields", absl::StrCat("a bubble of \"", f.name,
                                                "\" is outside the page"));
        }
      }
    }
  }
  for (const ArithmeticRule& rule : spec.rules) {
    for (const auto* side : {&rule.lhs, &rule.rhs}) {
      for (const std::string& n : *side) {
        if (!names.count(n)) {
          return r.Error("rules",
                         absl::StrCat("rule \"", rule.name,
                                      "\" names unknown field \"", n, "\""));
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

const DigitField* FormSpec::FindField(const std::string& name) const {
  for (const DigitField& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

absl::StatusOr<FormSpec> ParseFormSpec(const std::string& json_text,
                                       const std::string& source_path) {
  const Reader r(source_path);
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return r.Error("file", "not valid JSON");
  if (!root.is_object()) return r.Error("file", "expected a JSON object");
  FormSpec spec;
  spec.source_path = source_path;
  ASSIGN_OR_RETURN(spec.form, r.String(root, "form", "spec"));
  ASSIGN_OR_RETURN(spec.page, r.Int(root, "page", "spec"));
  ASSIGN_OR_RETURN(spec.pages_total, r.Int(root, "pages_total", "spec"));
  ASSIGN_OR_RETURN(const json* size, r.Get(root, "reference_size", "spec"));
  ASSIGN_OR_RETURN(std::vector<float> wh,
                   r.Numbers(*size, 2, "reference_size"));
  if (wh[0] < 100 || wh[1] < 100 || wh[0] > 20000 || wh[1] > 20000) {
    return r.Error("reference_size", "must be within 100..20000 px");
  }
  spec.reference_size =
      cv::Size(static_cast<int>(wh[0]), static_cast<int>(wh[1]));
  RETURN_IF_ERROR(ReadTag(r, root, &spec));
  RETURN_IF_ERROR(ReadCornerMarks(r, root, &spec));
  ASSIGN_OR_RETURN(const json* header, r.Get(root, "header_box", "spec"));
  ASSIGN_OR_RETURN(spec.header_box, r.Box(*header, "header_box"));
  RETURN_IF_ERROR(ReadFields(r, root, &spec));
  RETURN_IF_ERROR(ReadRules(r, root, &spec));
  RETURN_IF_ERROR(Validate(r, spec));
  return spec;
}

absl::StatusOr<FormSpec> LoadFormSpec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read form spec ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseFormSpec(text.str(), path);
}

absl::StatusOr<std::vector<FormSpec>> LoadFormSpecs(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".json") paths.push_back(it->path().string());
  }
  if (ec)
    return absl::NotFoundError(
        absl::StrCat("cannot list ", dir, ": ", ec.message()));
  if (paths.empty())
    return absl::NotFoundError(absl::StrCat("no *.json form specs in ", dir));
  std::sort(paths.begin(), paths.end());
  std::vector<FormSpec> specs;
  std::map<std::pair<int, int>, std::string> tags;  // (dictionary, id) -> file
  for (const std::string& p : paths) {
    ASSIGN_OR_RETURN(FormSpec spec, LoadFormSpec(p));
    auto [it, fresh] =
        tags.emplace(std::make_pair(spec.tag_dictionary_id, spec.tag_id), p);
    if (!fresh) {
      return absl::InvalidArgumentError(absl::StrCat(
          p, ": tag id ", spec.tag_id, " is already used by ", it->second));
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

std::string DefaultFormsDir() { return C1TALLY_FORMS_DIR; }

}  // namespace c1tally::ocr
