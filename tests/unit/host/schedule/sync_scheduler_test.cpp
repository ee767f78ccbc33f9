// The scheduler over a real queue (the SQLite storage plugin, loaded as cardsync loads it) in
// virtual time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "log/logger.hpp"
#include "log/request_id.hpp"
#include "plugin/host_services.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "queue/job_queue.hpp"
#include "schedule/sync_scheduler.hpp"
#include "time/clock.hpp"

namespace cardsync::schedule {
namespace {

namespace fs = std::filesystem;

// The SQLite storage over a scratch directory, removed once the storage is closed.
struct ScratchStorage {
  fs::path dir;
  plugin::Registry registry{std::make_shared<plugin::HostServices>(nullptr)};
  std::unique_ptr<plugin::PluginStorage> storage;

  ScratchStorage()
      : dir(fs::temp_directory_path() /
            ("cardsync-schedule-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto lib = registry.load_file(CARDSYNC_SQLITE_PLUGIN);
    const std::string config = R"({"path":")" + (dir / "cs.db").string() + R"("})";
    storage = std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib, config)));
    storage->migrate();
  }
  ~ScratchStorage() {
    storage.reset();
    fs::remove_all(dir);
  }
  ScratchStorage(const ScratchStorage&) = delete;
  ScratchStorage& operator=(const ScratchStorage&) = delete;
};

class SyncSchedulerTest : public ::testing::Test {
 protected:
  SyncSchedulerTest()
      : clock_(false, std::chrono::time_point_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now())),
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

  ScratchStorage db_;
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

// A section with no sync of its own (kept for lookups) plans nothing at every tick: that is
// not a failure the monitor page should count.
TEST_F(SyncSchedulerTest, AnEmptyPlanIsSkippedNotFailed) {
  auto empty = sync(std::chrono::seconds(10));
  empty.plan = [] { return PlannedSync{true, "", {}}; };
  SyncScheduler s({empty}, queue_, clock_, logger_);
  EXPECT_EQ(s.tick(), 0);
  EXPECT_EQ(s.counts()[0].failed, 0);
  EXPECT_EQ(s.counts()[0].planned, 0);
  EXPECT_TRUE(db_.storage->list_jobs(sdk::JobQuery{}).empty());
}

}  // namespace
}  // namespace cardsync::schedule
