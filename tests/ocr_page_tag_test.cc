// The page tag search on its own: tags drawn at known places and seen
// through known homographies are found with their corners within a pixel
// and in the tag's own order; the largest tag of a known spec names the
// page; unknown tags and no tags are told apart; the real photos and the
// page 2 template name their pages.
#include <algorithm>
#include <opencv2/aruco.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ocr/page_error.h"
#include "ocr/page_tag.h"
#include "tests/ocr_test_pages.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

using test_pages::DrawTag;
using test_pages::Map;
using test_pages::SquareCorners;

constexpr int kDictionary = cv::aruco::DICT_APRILTAG_36h10;

std::vector<FormSpec> Specs() {
  absl::StatusOr<std::vector<FormSpec>> specs =
      LoadFormSpecs(DefaultFormsDir());
  EXPECT_TRUE(specs.ok()) << specs.status();
  return specs.ok() ? *std::move(specs) : std::vector<FormSpec>{};
}

const FormSpec* SpecOfPage(const std::vector<FormSpec>& specs, int page) {
  for (const FormSpec& spec : specs) {
    if (spec.page == page) return &spec;
  }
  return nullptr;
}

void ExpectCornersNear(const DetectedTag& tag,
                       const std::array<cv::Point2f, 4>& expected,
                       double tolerance, const std::string& what) {
  for (int k = 0; k < 4; ++k) {
    EXPECT_LE(cv::norm(tag.corners[k] - expected[k]), tolerance)
        << what << " corner " << k << " at " << tag.corners[k] << ", expected "
        << expected[k];
  }
}

// A tag drawn square on white, then the image seen through a homography
// (turned, scaled, tilted, and upside down): the corners found are the
// drawn ones mapped by it, in the tag's own order.
TEST(PageTagTest, DetectTagsRecoversTheCornersOfAWarpedTag) {
  struct Scene {
    cv::Size size;
    float side;
    double degrees, scale, tilt;
  };
  // The 4000 px scene is searched at 0.3 scale through the located crop,
  // the 1400 px one at 0.86.
  for (const Scene& scene : {Scene{{1000, 1400}, 200, 0, 1, 0},
                             Scene{{1000, 1400}, 200, 23, 0.9, 0.15},
                             Scene{{1000, 1400}, 200, 180, 1.1, 0.05},
                             Scene{{3000, 4000}, 420, -95, 0.8, 0.1}}) {
    const std::string what = ::testing::PrintToString(scene.size) + " turned " +
                             std::to_string(scene.degrees);
    cv::Mat drawn(scene.size, CV_8UC1, cv::Scalar(255));
    const cv::Point2f top_left(scene.size.width * 0.55f,
                               scene.size.height * 0.1f);
    const auto corners = SquareCorners(top_left, scene.side);
    DrawTag(&drawn, kDictionary, 102, corners);
    const cv::Mat h = test_pages::ReferenceToPhoto(
        scene.size, scene.size, scene.degrees, scene.scale, scene.tilt);
    cv::Mat photo;
    cv::warpPerspective(drawn, photo, h, scene.size, cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT, cv::Scalar(255));
    std::array<cv::Point2f, 4> expected;
    for (int k = 0; k < 4; ++k) expected[k] = Map(h, corners[k]);

    absl::StatusOr<std::vector<DetectedTag>> tags =
        DetectTags(photo, kDictionary, 1200);
    ASSERT_TRUE(tags.ok()) << tags.status();
    ASSERT_EQ(tags->size(), 1u) << what;
    EXPECT_EQ((*tags)[0].id, 102) << what;
    ExpectCornersNear((*tags)[0], expected, 1.0, what);
  }
}

// Asked for some ids only, the detector finds exactly the tags of those ids
// that it finds in the whole dictionary, with the same corners.
TEST(PageTagTest, DetectTagsOfGivenIdsFindsTheSameTags) {
  cv::Mat image(1400, 1000, CV_8UC1, cv::Scalar(255));
  const auto dictionary = cv::aruco::DICT_APRILTAG_36h10;
  for (auto [id, x] : {std::pair{50, 100}, std::pair{102, 600}}) {
    cv::Mat marker;
    cv::aruco::drawMarker(cv::aruco::getPredefinedDictionary(dictionary), id,
                          200, marker);
    marker.copyTo(image(cv::Rect(x, 100, 200, 200)));
  }
  std::vector<cv::Mat> images = {image};
  const cv::Mat photo = test_pages::RealGrayPhoto("2024/ppwp-page2-a.jpg");
  if (!photo.empty()) images.push_back(photo);
  for (const cv::Mat& gray : images) {
    absl::StatusOr<std::vector<DetectedTag>> all =
        DetectTags(gray, dictionary, 1200);
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_FALSE(all->empty());
    for (const std::vector<int>& ids :
         {std::vector<int>{102}, {50, 101, 102, 103}, {50}, {7}, {-1, 99999}}) {
      absl::StatusOr<std::vector<DetectedTag>> some =
          DetectTags(gray, dictionary, 1200, ids);
      ASSERT_TRUE(some.ok()) << some.status();
      std::vector<const DetectedTag*> expected;
      for (const DetectedTag& tag : *all) {
        if (std::count(ids.begin(), ids.end(), tag.id) > 0) {
          expected.push_back(&tag);
        }
      }
      ASSERT_EQ(some->size(), expected.size());
      for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ((*some)[i].id, expected[i]->id);
        for (int k = 0; k < 4; ++k) {
          EXPECT_EQ((*some)[i].corners[k], expected[i]->corners[k]);
        }
      }
    }
  }
}

TEST(PageTagTest, DetectTagsRefusesAnImageThatIsNotGray) {
  EXPECT_EQ(DetectTags(cv::Mat(), kDictionary, 1200).status().code(),
            absl::StatusCode::kInvalidArgument);
  const cv::Mat color(400, 300, CV_8UC3, cv::Scalar::all(255));
  EXPECT_EQ(DetectTags(color, kDictionary, 1200).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FindPageTag(color, Specs(), 1200).status().code(),
            absl::StatusCode::kInvalidArgument);
  const cv::Mat blank(400, 300, CV_8UC1, cv::Scalar(255));
  absl::StatusOr<std::vector<DetectedTag>> none =
      DetectTags(blank, kDictionary, 1200);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
}

// Of two tags of known specs the larger names the page, whichever it is;
// a larger tag of no spec does not matter while a known one is there.
TEST(PageTagTest, TheLargestKnownTagNamesThePage) {
  const std::vector<FormSpec> specs = Specs();
  const FormSpec* page1 = SpecOfPage(specs, 1);
  const FormSpec* page3 = SpecOfPage(specs, 3);
  ASSERT_NE(page1, nullptr);
  ASSERT_NE(page3, nullptr);
  for (bool page3_larger : {true, false}) {
    cv::Mat image(1400, 1000, CV_8UC1, cv::Scalar(255));
    const auto small = SquareCorners({100, 100}, 120);
    const auto large = SquareCorners({500, 700}, 220);
    DrawTag(&image, kDictionary, page1->tag_id, page3_larger ? small : large);
    DrawTag(&image, kDictionary, page3->tag_id, page3_larger ? large : small);
    DrawTag(&image, kDictionary, 50, SquareCorners({100, 400}, 300));
    absl::StatusOr<PageTag> tag = FindPageTag(image, specs, 1200);
    ASSERT_TRUE(tag.ok()) << tag.status();
    const FormSpec* expected = page3_larger ? page3 : page1;
    EXPECT_EQ(tag->spec, expected);  // a pointer into `specs`
    EXPECT_EQ(tag->tag.id, expected->tag_id);
    ExpectCornersNear(tag->tag, large, 1.0, "larger tag");
  }
}

TEST(PageTagTest, OnlyATagOfNoSpecIsTheWrongPage) {
  cv::Mat image(1400, 1000, CV_8UC1, cv::Scalar(255));
  DrawTag(&image, kDictionary, 50, SquareCorners({700, 100}, 200));
  absl::StatusOr<PageTag> tag = FindPageTag(image, Specs(), 1200);
  ASSERT_FALSE(tag.ok());
  EXPECT_EQ(PageErrorOf(tag.status()), PageError::kWrongPage) << tag.status();
  EXPECT_NE(tag.status().message().find("id 50"), std::string::npos);
}

TEST(PageTagTest, NoTagIsNotAForm) {
  cv::Mat page(1400, 1000, CV_8UC1, cv::Scalar(255));
  // Squares and lines like a form's, but no tag.
  for (int y = 100; y < 1300; y += 150) {
    cv::rectangle(page, cv::Rect(100, y, 90, 90), cv::Scalar(0), 3);
    cv::line(page, {250, y}, {900, y}, cv::Scalar(0), 2);
  }
  absl::StatusOr<PageTag> tag = FindPageTag(page, Specs(), 1200);
  ASSERT_FALSE(tag.ok());
  EXPECT_EQ(PageErrorOf(tag.status()), PageError::kNotAForm) << tag.status();
}

TEST(PageTagTest, RealPhotosNameTheirPage) {
  C1TALLY_NEED(!testing::SharedDataDir().empty(), "../shared/data");
  const std::vector<FormSpec> specs = Specs();
  for (const auto& [name, page] : std::vector<std::pair<std::string, int>>{
           {"2024/ppwp-page1-blank-a.jpg", 1},
           {"2024/ppwp-page1-blank-b.jpg", 1},
           {"2024/ppwp-page2-a.jpg", 2},
           {"2024/ppwp-page2-b.jpg", 2},
           {"2024/ppwp-page3-a.jpg", 3}}) {
    const cv::Mat gray = test_pages::RealGrayPhoto(name);
    ASSERT_FALSE(gray.empty()) << name;
    absl::StatusOr<PageTag> tag = FindPageTag(gray, specs, 1200);
    ASSERT_TRUE(tag.ok()) << name << ": " << tag.status();
    EXPECT_EQ(tag->spec->page, page) << name;
    // The corners span a real tag: a quadrilateral of plausible size.
    const double side = cv::norm(tag->tag.corners[0] - tag->tag.corners[1]);
    EXPECT_GT(side, 40) << name;
    EXPECT_LT(side, 1000) << name;
  }
}

// The page 2 spec's tag corners were measured on the template: found there
// again, and where a known homography moves them in a photo of it.
TEST(PageTagTest, TemplateTagIsWhereItsSpecSays) {
  const std::string data = testing::SharedDataDir();
  C1TALLY_NEED(!data.empty(), "../shared/data");
  const std::vector<FormSpec> specs = Specs();
  const FormSpec* page2 = SpecOfPage(specs, 2);
  ASSERT_NE(page2, nullptr);
  const cv::Mat page = test_pages::TemplatePage("PPWP-2024-hal2-plano.png");
  ASSERT_FALSE(page.empty());
  ASSERT_EQ(page.size(), page2->reference_size);
  absl::StatusOr<PageTag> tag = FindPageTag(page, specs, 1200);
  ASSERT_TRUE(tag.ok()) << tag.status();
  EXPECT_EQ(tag->spec, page2);
  ExpectCornersNear(tag->tag, page2->tag_corners, 1.0, "template");

  const cv::Size photo_size(2250, 3000);
  const cv::Mat h =
      test_pages::ReferenceToPhoto(page.size(), photo_size, 8, 1.4, 0.08);
  const cv::Mat photo = test_pages::PhotoOf(page, h, photo_size);
  absl::StatusOr<PageTag> seen = FindPageTag(photo, specs, 1200);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->spec, page2);
  // Within a reference pixel of the spec's corners once mapped back.
  DetectedTag in_reference = seen->tag;
  for (cv::Point2f& c : in_reference.corners) c = Map(h.inv(), c);
  ExpectCornersNear(in_reference, page2->tag_corners, 1.0,
                    "photo of the template");
}

}  // namespace
}  // namespace c1tally::ocr
