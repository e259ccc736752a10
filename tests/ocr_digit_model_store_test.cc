// Installing digit models into a models folder, and readers that pick a
// newly installed one up without a restart.
#include <filesystem>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "ocr/digit_model_store.h"
#include "ocr/image_decode.h"
#include "ocr/page_reader.h"
#include "tests/test_support.h"

namespace c1tally::ocr {
namespace {

namespace fs = std::filesystem;
using ::c1tally::testing::ReadFile;
using ::c1tally::testing::TempDir;
using ::c1tally::testing::WriteFile;

class DigitModelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto version =
        DigitModelStore::CurrentVersion(DigitClassifier::DefaultModelPath());
    ASSERT_TRUE(version.ok()) << version.status();
    committed_ = DigitClassifier::DefaultModelPath() + "/" + *version + ".json";
    committed_version_ = *version;
    models_ = dir_.Sub("models");
  }

  // A second model: the committed network with another temperature, saved
  // under `version` in its own folder; returns its descriptor.
  std::string OtherModel(const std::string& version, double temperature) {
    auto base = DigitClassifier::Load(committed_);
    EXPECT_TRUE(base.ok());
    DigitCalibration calibration = base->calibration();
    calibration.temperature = temperature;
    const nlohmann::json d = nlohmann::json::parse(ReadFile(committed_));
    auto model =
        DigitClassifier::Create(ReadFile(DigitClassifier::DefaultModelPath() +
                                         "/" + d["network"].get<std::string>()),
                                calibration, version);
    EXPECT_TRUE(model.ok()) << model.status();
    const std::string staging = dir_.Sub("staging-" + version);
    EXPECT_TRUE(model->Save(staging, nlohmann::json::object()).ok());
    return staging + "/" + version + ".json";
  }

  TempDir dir_;
  std::string committed_, committed_version_, models_;
};

TEST_F(DigitModelStoreTest, InstallMakesTheModelCurrent) {
  ASSERT_TRUE(DigitModelStore::Install(committed_, models_).ok());
  EXPECT_EQ(*DigitModelStore::CurrentVersion(models_), committed_version_);
  auto store = DigitModelStore::Open(models_, absl::ZeroDuration());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->Current()->version(), committed_version_);
  // Installing the same files again changes nothing.
  EXPECT_TRUE(DigitModelStore::Install(committed_, models_).ok());
  EXPECT_EQ(DigitModelStore::Versions(models_),
            std::vector<std::string>{committed_version_});
}

TEST_F(DigitModelStoreTest, ReadersSwitchToANewlyInstalledVersion) {
  ASSERT_TRUE(DigitModelStore::Install(committed_, models_).ok());
  auto store = DigitModelStore::Open(models_, absl::ZeroDuration());
  ASSERT_TRUE(store.ok());
  const std::shared_ptr<const DigitClassifier> before = (*store)->Current();
  ASSERT_TRUE(
      DigitModelStore::Install(OtherModel("digits-test-b", 2.0), models_).ok());
  const std::shared_ptr<const DigitClassifier> after = (*store)->Current();
  EXPECT_EQ(after->version(), "digits-test-b");
  EXPECT_EQ(after->temperature(), 2.0);
  // A reader still holding the old model reads on with it.
  EXPECT_EQ(before->version(), committed_version_);
  EXPECT_TRUE((*store)->last_error().ok());
}

TEST_F(DigitModelStoreTest, AVersionThatDoesNotLoadIsKeptOut) {
  ASSERT_TRUE(DigitModelStore::Install(committed_, models_).ok());
  auto store = DigitModelStore::Open(models_, absl::ZeroDuration());
  ASSERT_TRUE(store.ok());
  // Someone copied a model by hand and cut its network short.
  const std::string broken = OtherModel("digits-broken", 1.5);
  const nlohmann::json d = nlohmann::json::parse(ReadFile(broken));
  for (const std::string& name :
       {d["network"].get<std::string>(), d["novelty"].get<std::string>()}) {
    const std::string bytes =
        ReadFile(fs::path(broken).parent_path().string() + "/" + name);
    WriteFile(models_ + "/" + name, bytes.substr(0, bytes.size() / 3));
  }
  WriteFile(models_ + "/digits-broken.json", ReadFile(broken));
  WriteFile(models_ + "/CURRENT", "digits-broken\n");
  EXPECT_EQ((*store)->Current()->version(), committed_version_);
  EXPECT_EQ((*store)->last_error().code(), absl::StatusCode::kDataLoss);
  // Install refuses to overwrite what it did not write.
  EXPECT_EQ(DigitModelStore::Install(broken, models_).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DigitModelStoreTest, NoModelNoReader) {
  EXPECT_FALSE(DigitModelStore::Open(dir_.Sub("absent")).ok());
  fs::create_directories(models_);
  auto empty = DigitModelStore::Open(models_);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("CURRENT"), std::string::npos);
  PageReader::Options options;
  options.model_path = models_;
  options.check_header = false;
  EXPECT_FALSE(PageReader::Create(options).ok());
}

TEST_F(DigitModelStoreTest, EveryReadingNamesTheModelItWasReadWith) {
  const std::string shared = ::c1tally::testing::SharedDataDir();
  C1TALLY_NEED(!shared.empty(), "../shared/data");
  ASSERT_TRUE(DigitModelStore::Install(committed_, models_).ok());
  PageReader::Options options;
  options.model_path = models_;
  options.model_recheck = absl::ZeroDuration();
  options.check_header = false;
  auto reader = PageReader::Create(options);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto photo = ReadPhotoFile(shared + "/forms/photos/2024/ppwp-page3-a.jpg");
  ASSERT_TRUE(photo.ok());
  const PageReading first = (*reader)->ReadBytes(*photo);
  EXPECT_EQ(first.model_version, committed_version_);
  ASSERT_TRUE(
      DigitModelStore::Install(OtherModel("digits-test-c", 1.2), models_).ok());
  const PageReading second = (*reader)->ReadBytes(*photo);
  EXPECT_EQ(second.model_version, "digits-test-c");
  EXPECT_EQ(PageReadingJson("p", second)["model"], "digits-test-c");
}

}  // namespace
}  // namespace c1tally::ocr
