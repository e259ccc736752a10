// RegionSnapshot over a PublicResults reading a real server: nothing is
// found before the first refresh, a refresh keeps the nation, provinces and
// kabupaten/kota (nothing deeper), a second refresh rebuilds only what a
// new result changed, the kept responses equal the live ones, and the
// thread refreshes by itself and stops.
#include "services/gateway/region_snapshot.h"

#include <atomic>
#include <string>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/json_api.h"
#include "services/gateway/public_pages.h"
#include "tests/public_results_fixture.h"

namespace c1tally {
namespace {

using ::testing::HasSubstr;

class RegionSnapshotTest : public testing::PublicResultsFixture {
 protected:
  // The gateway's own renderers, counting their calls.
  RegionSnapshot::Render CountingRender() {
    return [this](const RegionView& view, RegionSnapshot::Format format) {
      renders_.fetch_add(1);
      return format == RegionSnapshot::Format::kJson ? RegionJsonResponse(view)
                                                     : RegionHtmlResponse(view);
    };
  }

  RegionView Live(const std::string& code) {
    absl::StatusOr<RegionView> view = results_->GetRegion(code, "", 0, "");
    EXPECT_TRUE(view.ok()) << view.status();
    return view.ok() ? *view : RegionView();
  }

  std::atomic<int> renders_{0};
};

TEST_F(RegionSnapshotTest, KeepsTheUpperLevelsAndRebuildsOnlyWhatChanged) {
  RegionSnapshot snapshot(results_, CountingRender(), absl::Hours(1));
  EXPECT_FALSE(snapshot.Find("", RegionSnapshot::Format::kJson));
  EXPECT_FALSE(snapshot.Find("11", RegionSnapshot::Format::kHtml));

  // The nation, provinces 11 and 31, kabupaten 1101 and 3101.
  absl::StatusOr<int> first = snapshot.Refresh();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 5);
  EXPECT_EQ(renders_.load(), 10);  // JSON and HTML of each
  for (const std::string code : {"", "11", "31", "1101", "3101"}) {
    EXPECT_TRUE(snapshot.Find(code, RegionSnapshot::Format::kJson)) << code;
    EXPECT_TRUE(snapshot.Find(code, RegionSnapshot::Format::kHtml)) << code;
  }
  // Kecamatan and deeper are rendered live.
  EXPECT_FALSE(snapshot.Find("110101", RegionSnapshot::Format::kJson));
  EXPECT_FALSE(snapshot.Find("1101012001", RegionSnapshot::Format::kJson));

  // Nothing changed: nothing rebuilt.
  absl::StatusOr<int> idle = snapshot.Refresh();
  ASSERT_TRUE(idle.ok()) << idle.status();
  EXPECT_EQ(*idle, 0);
  EXPECT_EQ(renders_.load(), 10);

  // A result in Jakarta changes the nation, 31 and 3101, not Aceh.
  const std::string aceh_before =
      snapshot.Find("11", RegionSnapshot::Format::kJson)->body;
  SetPpwp("3101011001002", 120, 80, 40);
  absl::StatusOr<int> after = snapshot.Refresh();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, 3);
  EXPECT_EQ(snapshot.Find("11", RegionSnapshot::Format::kJson)->body,
            aceh_before);

  // What is kept is what a live request answers, headers included.
  for (const std::string code : {"", "31", "3101"}) {
    const RegionView live = Live(code);
    const HttpResponse json =
        *snapshot.Find(code, RegionSnapshot::Format::kJson);
    EXPECT_EQ(json.body, RegionJsonResponse(live).body) << code;
    EXPECT_EQ(Header(json, "ETag"), Header(RegionJsonResponse(live), "ETag"));
    EXPECT_EQ(snapshot.Find(code, RegionSnapshot::Format::kHtml)->body,
              RegionHtmlResponse(live).body)
        << code;
  }
  EXPECT_THAT(snapshot.Find("3101", RegionSnapshot::Format::kJson)->body,
              HasSubstr(R"("suara_paslon_1":"120")"));
}

TEST_F(RegionSnapshotTest, TheThreadRefreshesUntilStopped) {
  RegionSnapshot snapshot(results_, CountingRender(), absl::Milliseconds(20));
  snapshot.Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!snapshot.Find("", RegionSnapshot::Format::kJson) &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(snapshot.Find("", RegionSnapshot::Format::kJson));
  // A change is picked up without a call of ours.
  SetPpwp("1101012002001", 7, 8, 9);
  bool seen = false;
  while (!seen && absl::Now() < deadline) {
    seen = snapshot.Find("1101", RegionSnapshot::Format::kJson)
               ->body.find(R"("suara_paslon_3":"9")") != std::string::npos;
    if (!seen) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(seen);
  snapshot.Stop();
  const int renders = renders_.load();
  SetPpwp("1101012002002", 1, 2, 3);
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(renders_.load(), renders);  // stopped: no more refreshes
  snapshot.Stop();                      // idempotent
}

}  // namespace
}  // namespace c1tally
