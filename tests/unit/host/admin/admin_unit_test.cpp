// The admin area's pieces without the network: options and the start-up refusal, the sync
// scheduler in virtual time, the per-minute record counts.
#include <gmock/gmock.h>

#include "admin/asset_table.hpp"
#include "admin/sync_scheduler.hpp"
#include "admin_test_support.hpp"

namespace cardsync::admin::testing {
namespace {

using ::testing::HasSubstr;

config::EnvLookup env_with(const std::map<std::string, std::string>& vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

rapidjson::Document doc(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  return d;
}

TEST(AdminOptionsTest, DefaultsAndListen) {
  auto o = read_admin_options(nullptr, env_with({}));
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8080);
  EXPECT_TRUE(o.auth.enabled);
  EXPECT_EQ(o.auth.leeway, std::chrono::seconds(30));
  auto d = doc(R"({"listen":"[::1]:9000","allowed_origins":["https://a.example"]})");
  auto v6 = read_admin_options(
      &d, env_with({{"ALLOWED_ORIGINS", " https://b.example ,https://c.example"}}));
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 9000);
  EXPECT_EQ(v6.allowed_origins, (std::vector<std::string>{"https://a.example", "https://b.example",
                                                          "https://c.example"}));
  auto bad = doc(R"({"listen":"nowhere"})");
  EXPECT_THROW(read_admin_options(&bad, env_with({})), std::invalid_argument);
}

TEST(AdminOptionsTest, AuthOffIsRefusedOnANonLoopbackAddress) {
  auto d = doc(R"({"listen":"0.0.0.0:8080","auth":{"enabled":false}})");
  auto o = read_admin_options(&d, env_with({}));
  auto problems = check_admin_options(o);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("not a loopback address"));
  auto local = doc(R"({"listen":"127.0.0.1:8080","auth":{"enabled":false}})");
  auto lo = read_admin_options(&local, env_with({}));
  EXPECT_TRUE(check_admin_options(lo).empty());
}

TEST(AdminOptionsTest, AuthNeedsAUsableSecretOrKey) {
  auto o = read_admin_options(nullptr, env_with({}));
  auto problems = check_admin_options(o);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("hs256_secret"));
  auto rs = doc(R"({"auth":{"algorithm":"RS256","rs256_public_key_file":"/nonexistent.pem"}})");
  auto r = read_admin_options(&rs, env_with({}));
  problems = check_admin_options(r);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0], HasSubstr("/nonexistent.pem"));
}

TEST(AssetTableTest, OnlyExactPathsResolve) {
  EXPECT_FALSE(find_asset("/assets/../index.html"));
  EXPECT_FALSE(find_asset("/../index.html"));
  EXPECT_FALSE(find_asset("/assets/"));
  EXPECT_FALSE(find_asset("index.html"));
  if (!all_assets().empty()) {
    EXPECT_TRUE(find_asset("/"));
    EXPECT_EQ(find_asset("/")->content_type, "text/html; charset=utf-8");
  }
  EXPECT_EQ(content_type_for("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.bin"), "application/octet-stream");
}

TEST(RecordsPerMinuteTest, CountsGrowthPerMinuteAndForgetsOldMinutes) {
  RecordsPerMinute r;
  const Clock::WallTime t0{std::chrono::minutes(1000)};
  r.sample(t0, 100);  // primes: what came before is not attributed
  r.sample(t0 + std::chrono::seconds(10), 130);
  r.sample(t0 + std::chrono::seconds(70), 131);
  auto last = r.last(t0 + std::chrono::seconds(70), 3);
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[1].records, 30);
  EXPECT_EQ(last[2].records, 1);
  EXPECT_EQ(last[1].at_ms, 1000 * 60'000);
  auto later = r.last(t0 + std::chrono::minutes(RecordsPerMinute::kMinutes + 5), 60);
  for (const auto& m : later) EXPECT_EQ(m.records, 0);
}

// The scheduler over a real queue in virtual time.
class SyncSchedulerTest : public ::testing::Test {
 protected:
  SyncSchedulerTest()
      : clock_(false, wall_origin()),
        logger_(clock_, log::Level::info),
        queue_(*db_.storage, clock_) {}

  ScheduledSync sync(std::chrono::seconds every, bool on_start = true) {
    ScheduledSync s;
    s.provider = "justtcg";
    s.job_types = {"justtcg.games", "justtcg.sets"};
    s.schedule.every = every;
    s.schedule.on_start = on_start;
    s.plan = [this] {
      ++plans_;
      PlannedSync p;
      p.ok = true;
      p.jobs.push_back({"justtcg.games", "all", "", "", {}, 0});
      return p;
    };
    return s;
  }
  void finish_all() {
    for (auto& j : queue_.claim(100)) queue_.complete(j);
  }

  SqliteStorage db_;
  ManualClock clock_;
  log::Logger logger_;
  queue::JobQueue queue_;
  int plans_ = 0;
};

TEST_F(SyncSchedulerTest, PlansAtStartThenAtTheIntervalButNeverStacksARun) {
  SyncScheduler s({sync(std::chrono::seconds(600))}, queue_, clock_, logger_);
  EXPECT_EQ(s.tick(), 1);
  const auto jobs = db_.storage->list_jobs(sdk::JobQuery{});
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_TRUE(log::is_valid_request_id(jobs[0].request_id));
  EXPECT_EQ(s.tick(), 0);  // not due yet
  clock_.advance(std::chrono::seconds(600));
  EXPECT_EQ(s.tick(), 0);  // due, but the first run's job is still queued
  EXPECT_EQ(s.counts()[0].skipped_running, 1);
  EXPECT_EQ(plans_, 1);
  finish_all();
  clock_.advance(std::chrono::seconds(599));
  EXPECT_EQ(s.tick(), 0);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_EQ(s.tick(), 1);
  EXPECT_EQ(s.counts()[0].planned, 2);
}

TEST_F(SyncSchedulerTest, ARunningFollowUpOfAnotherTypeAlsoCountsAsRunning) {
  SyncScheduler s({sync(std::chrono::seconds(60))}, queue_, clock_, logger_);
  EXPECT_EQ(s.tick(), 1);
  finish_all();
  queue_.enqueue(queue::NewJob{"justtcg.sets", "mtg", "", "", {}, 0});
  clock_.advance(std::chrono::seconds(60));
  EXPECT_EQ(s.tick(), 0);
  EXPECT_EQ(s.counts()[0].skipped_running, 1);
}

TEST_F(SyncSchedulerTest, WithoutAnIntervalItPlansOnceAndOnlyWhenAskedToAtStart) {
  SyncScheduler once({sync(std::chrono::seconds(0))}, queue_, clock_, logger_);
  EXPECT_EQ(once.tick(), 1);
  finish_all();
  clock_.advance(std::chrono::hours(24 * 365));
  EXPECT_EQ(once.tick(), 0);
  SyncScheduler later({sync(std::chrono::seconds(30), false)}, queue_, clock_, logger_);
  EXPECT_EQ(later.tick(), 0);
  clock_.advance(std::chrono::seconds(30));
  EXPECT_EQ(later.tick(), 1);
}

TEST_F(SyncSchedulerTest, TheThreadTicksInVirtualTimeAndStops) {
  SyncScheduler s({sync(std::chrono::seconds(5))}, queue_, clock_, logger_);
  s.start();
  // The thread's first tick plans at once; then it sleeps on the virtual clock.
  while (clock_.sleepers() == 0) std::this_thread::yield();
  EXPECT_EQ(s.counts()[0].planned, 1);
  finish_all();
  clock_.advance(std::chrono::seconds(5));
  while (s.counts()[0].planned < 2) std::this_thread::yield();
  s.stop();
  EXPECT_EQ(plans_, 2);
}

TEST_F(SyncSchedulerTest, AFailedPlanIsCountedAndLogged) {
  auto bad = sync(std::chrono::seconds(10));
  bad.plan = [] { return PlannedSync{false, "credentials rejected", {}}; };
  SyncScheduler s({bad}, queue_, clock_, logger_);
  EXPECT_EQ(s.tick(), 0);
  EXPECT_EQ(s.counts()[0].failed, 1);
}

TEST(ScheduleOptionsTest, ReadsTheProviderHostKey) {
  auto d = doc(R"({"every_seconds":900,"on_start":false})");
  auto o = read_schedule_options(&d);
  EXPECT_EQ(o.every, std::chrono::seconds(900));
  EXPECT_FALSE(o.on_start);
  EXPECT_EQ(read_schedule_options(nullptr).every, std::chrono::seconds(0));
}

}  // namespace
}  // namespace cardsync::admin::testing
