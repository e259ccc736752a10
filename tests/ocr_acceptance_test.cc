// Acceptance of the OCR (issue 3): the real 2024 photos, generated photos,
// and photos that are not forms.
//
// The generated run reads C1TALLY_ACCEPTANCE_PHOTOS photos (default 100,
// seeds 1000000 on); ctest runs the 500 of the issue as
// ocr_acceptance_full under the label `slow`.
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "ocr/page_reader.h"
#include "opencv2/imgcodecs.hpp"
#include "tests/test_support.h"
#include "tools/synth/form_generator.h"

namespace c1tally::ocr {
namespace {

class OcrAcceptanceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<PageReader>> reader = PageReader::Create({});
    ASSERT_TRUE(reader.ok()) << reader.status();
    reader_ = reader->release();
  }
  static void TearDownTestSuite() { delete reader_; }

  static PageReading ReadFile(const std::string& path) {
    return reader_->ReadBytes(testing::ReadFile(path));
  }

  static PageReader* reader_;
};

PageReader* OcrAcceptanceTest::reader_ = nullptr;

TEST_F(OcrAcceptanceTest, RealPhotosOf2024) {
  const std::string data = testing::SharedDataDir();
  C1TALLY_NEED(!data.empty(), "../shared/data");
  const nlohmann::json truth = nlohmann::json::parse(
      testing::ReadFile(data + "/forms/photos/truth.json"), nullptr, false);
  ASSERT_TRUE(truth.is_object());
  int photos = 0;
  for (const auto& [name, expected] : truth.items()) {
    if (name.rfind("2024/", 0) != 0) continue;
    ++photos;
    SCOPED_TRACE(name);
    PageReading reading = ReadFile(data + "/forms/photos/" + name);
    EXPECT_EQ(reading.error, PageError::kNone) << reading.error_detail;
    EXPECT_EQ(reading.form, expected["form"].get<std::string>());
    EXPECT_EQ(reading.page, expected["page"].get<int>());
    for (const FieldResult& field : reading.fields) {
      SCOPED_TRACE(field.name);
      if (!expected.contains("fields")) {
        // A blank page: nothing may be accepted.
        EXPECT_FALSE(field.triage.accepted);
        continue;
      }
      // Every field of the real filled pages is read right and accepted.
      const int64_t want = expected["fields"][field.name].get<int64_t>();
      EXPECT_EQ(field.triage.value, want)
          << PageReadingJson(name, reading).dump();
      EXPECT_TRUE(field.triage.accepted)
          << PageReadingJson(name, reading).dump();
    }
  }
  EXPECT_EQ(photos, 5);
}

TEST_F(OcrAcceptanceTest, PhotosThatAreNotFormsAcceptNothing) {
  std::vector<std::pair<std::string, std::string>> images;
  const std::string data = testing::SharedDataDir();
  if (!data.empty()) {
    for (const char* other :
         {"c1-ppwp-2014-scan.jpg", "c1-kwk-plano-2017-jakarta.jpg"}) {
      images.emplace_back(
          other, testing::ReadFile(data + "/forms/photos/other/" + other));
    }
  }
  cv::Mat noise(1200, 900, CV_8UC3);
  cv::randu(noise, cv::Scalar::all(0), cv::Scalar::all(255));
  std::vector<uchar> encoded;
  cv::imencode(".jpg", noise, encoded);
  images.emplace_back("noise", std::string(encoded.begin(), encoded.end()));
  cv::imencode(".png", cv::Mat(1000, 800, CV_8UC3, cv::Scalar::all(250)),
               encoded);
  images.emplace_back("white page",
                      std::string(encoded.begin(), encoded.end()));
  images.emplace_back("text", "Hasil penghitungan suara: 123, 274, 32");
  images.emplace_back("pdf", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n");
  for (const auto& [name, bytes] : images) {
    SCOPED_TRACE(name);
    PageReading reading = reader_->ReadBytes(bytes);
    EXPECT_THAT(reading.error,
                ::testing::AnyOf(PageError::kNotAForm, PageError::kBadImage));
    EXPECT_TRUE(reading.fields.empty());
  }
}

int PhotosToGenerate() {
  const char* count = std::getenv("C1TALLY_ACCEPTANCE_PHOTOS");
  int photos = 100;
  if (count != nullptr && !absl::SimpleAtoi(count, &photos)) photos = 0;
  return photos;
}

// Generated photos: no accepted field is wrong, and at least 90% of the
// fields are accepted.
TEST_F(OcrAcceptanceTest, GeneratedPhotos) {
  const std::string data = testing::SharedDataDir();
  C1TALLY_NEED(!data.empty(), "../shared/data");
  absl::StatusOr<synth::FormGenerator> generator = synth::FormGenerator::Load(
      DefaultFormsDir(), data + "/forms/templates", C1TALLY_MNIST_DIR);
  ASSERT_TRUE(generator.ok()) << generator.status();
  const int kPhotos = PhotosToGenerate();
  ASSERT_GT(kPhotos, 0) << "C1TALLY_ACCEPTANCE_PHOTOS is not a count";
  std::vector<std::pair<synth::GeneratedForm, PageReading>> results(kPhotos);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kPhotos; i = next++) {
        // Seeds far from any the trainer uses.
        results[i].first = generator->Generate(1000000 + i);
        results[i].second = reader_->ReadBytes(results[i].first.photo);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  int fields = 0, accepted = 0, wrong = 0, pages_right = 0;
  for (const auto& [form, reading] : results) {
    if (reading.page == form.truth["page"].get<int>()) ++pages_right;
    for (const auto& [name, value] : form.truth["fields"].items()) {
      ++fields;
      for (const FieldResult& field : reading.fields) {
        if (field.name != name || !field.triage.accepted) continue;
        ++accepted;
        if (field.triage.value != value.get<int64_t>()) {
          ++wrong;
          ADD_FAILURE() << "accepted " << name << " = "
                        << field.triage.value.value_or(-1) << ", truth "
                        << value << " (" << form.truth.dump() << ")";
        }
      }
    }
  }
  const double share = static_cast<double>(accepted) / fields;
  std::cout << "generated: pages identified " << pages_right << "/" << kPhotos
            << ", fields accepted " << accepted << "/" << fields << " ("
            << share << "), wrong accepted " << wrong << "\n";
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(pages_right, kPhotos);
  // Issue 3 asks for at least 90% of the fields accepted. Measured with
  // `c1ctl ocr eval` on the 500: see tools/train_digits/README.md.
  EXPECT_GE(share, 0.90);
}

}  // namespace
}  // namespace c1tally::ocr
