// WorkerHost in virtual time, over the queue tests' recording storage: when expired leases
// are rescued, that a rescue which brought jobs back wakes the idle workers, that a failed
// rescue is logged and tried again, and how the command's tick and the stop token end the
// loop. The loop runs on its own thread; the test moves the clock one tick at a time, each
// time once every thread waits on it.
#include "pipeline/worker_host.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "fake_storage.hpp"
#include "fake_transport.hpp"
#include "log/memory_sink.hpp"
#include "resilience/random_source.hpp"

namespace cardsync::pipeline {
namespace {

using namespace std::chrono_literals;
using queue::testing::FakeStorage;
using ::testing::ElementsAre;

class WorkerHostTest : public ::testing::Test {
 protected:
  // One worker; the heartbeat and the idle poll are far beyond any test's horizon, so only
  // the loop and nudges wake anything.
  static PipelineOptions options() {
    PipelineOptions o;
    o.workers.workers = 1;
    o.workers.idle_poll = 1h;
    o.workers.heartbeat_every = 1h;
    o.queue.lease = 10s;  // rescues every 5 s
    return o;
  }

  void SetUp() override { logger_.add_sink(log_); }

  void TearDown() override {
    stop_.cancel();
    if (loop_.joinable()) loop_.join();
    if (host_) host_->stop();
  }

  // Starts the workers and runs the loop on its own thread until the tick says stop (or the
  // test ends); waits until every thread sleeps on the clock.
  void start(WorkerHost::Tick on_tick = {}) {
    host_ = std::make_unique<WorkerHost>(
        PipelineParts{storage_, queue_, sink_, client_, clock_, logger_, stats_, {}, {}},
        std::vector<std::shared_ptr<plugin::ProviderRuntime>>{}, options(), "run-1");
    host_->start();
    started_wall_ms_ = queue_.now_ms();
    loop_ = std::thread([this, on_tick = std::move(on_tick)] {
      host_->run(stop_, [this, &on_tick](Clock::SteadyTime now) {
        {
          std::lock_guard lock(mu_);
          ticks_.push_back(now);
        }
        return !on_tick || on_tick(now);
      });
      std::lock_guard lock(mu_);
      returned_ = true;
    });
    all_asleep();
  }

  // The batch sink's flusher, the heartbeat thread, the worker and the loop.
  void all_asleep() {
    ASSERT_TRUE(storage_.wait([&] { return clock_.sleepers() == 4; }));
  }
  size_t ticks() {
    std::lock_guard lock(mu_);
    return ticks_.size();
  }
  bool returned() {
    std::lock_guard lock(mu_);
    return returned_;
  }

  // Moves the clock one tick and waits for the loop to have handled it.
  void tick() {
    const size_t before = ticks();
    clock_.advance(WorkerHost::kTick);
    ASSERT_TRUE(storage_.wait([&] { return ticks() == before + 1 || returned(); }));
  }
  void ticks(int n) {
    for (int i = 0; i < n; ++i) {
      all_asleep();
      tick();
    }
    all_asleep();
  }

  std::vector<int64_t> rescues_since_start() {
    std::vector<int64_t> out = storage_.rescued_at();
    for (auto& at : out) at -= started_wall_ms_;
    return out;
  }

  ManualClock clock_;
  FakeStorage storage_;
  queue::JobQueue queue_{storage_, clock_};
  queue::BatchSink sink_{storage_, queue_, clock_};
  cardsync::testing::FakeTransport transport_{clock_};
  SeededRandom random_{1};
  ResilientClient client_{transport_, clock_, random_};
  std::shared_ptr<log::MemorySink> log_ = std::make_shared<log::MemorySink>();
  log::Logger logger_{clock_, log::Level::info};
  RunStats stats_;
  CancellationToken stop_;
  std::unique_ptr<WorkerHost> host_;
  std::thread loop_;
  int64_t started_wall_ms_ = 0;

  std::mutex mu_;
  std::vector<Clock::SteadyTime> ticks_;
  bool returned_ = false;
};

TEST_F(WorkerHostTest, RescuesOnTheFirstWakeUpAndThenEveryHalfLease) {
  start();
  ticks(60);  // 12 s
  EXPECT_THAT(rescues_since_start(), ElementsAre(200, 5'200, 10'200));
}

TEST_F(WorkerHostTest, ARescueThatBroughtJobsBackWakesTheIdleWorkers) {
  storage_.on_rescue = [] { return sdk::Storage::RescueResult{2, 1}; };
  start();
  // The loop's own sleep ends, and the worker's idle wait is cut short by the nudge.
  const long before = clock_.sleeps();
  tick();
  ASSERT_TRUE(storage_.wait([&] { return clock_.sleeps() == before + 2; }));
  all_asleep();
  EXPECT_EQ(clock_.sleeps(), before + 2);
  EXPECT_EQ(storage_.rescued_at().size(), 1u);
}

TEST_F(WorkerHostTest, ARescueThatFoundNothingLetsTheWorkersSleep) {
  start();
  const long before = clock_.sleeps();
  tick();
  all_asleep();
  EXPECT_EQ(storage_.rescued_at().size(), 1u);
  EXPECT_EQ(clock_.sleeps(), before + 1) << "only the loop woke";
}

TEST_F(WorkerHostTest, AFailedRescueIsLoggedAndTriedAgainAtTheNextInterval) {
  bool failed = false;
  storage_.on_rescue = [&failed] {
    if (!std::exchange(failed, true)) throw queue::StorageError(CS_RETRY, "database is locked");
    return sdk::Storage::RescueResult{};
  };
  start();
  ticks(26);  // 5.2 s
  EXPECT_THAT(rescues_since_start(), ElementsAre(200, 5'200));
  const auto records = log_->records();
  const auto line = std::find_if(records.begin(), records.end(), [](const log::Record& r) {
    return r.message == "cannot rescue expired leases";
  });
  ASSERT_NE(line, records.end());
  EXPECT_EQ(line->level, log::Level::warn);
  EXPECT_EQ(line->request_id, "run-1");
  EXPECT_THAT(line->fields, ElementsAre(log::Field("error", "database is locked")));
}

TEST_F(WorkerHostTest, TheTickSeesEveryWakeUpAndEndsTheLoopWhenItSaysSo) {
  int calls = 0;
  start([&calls](Clock::SteadyTime) { return ++calls < 3; });
  const auto t0 = clock_.now();
  for (int i = 0; i < 2; ++i) {
    tick();
    all_asleep();
  }
  tick();
  ASSERT_TRUE(storage_.wait([&] { return returned(); }));
  std::lock_guard lock(mu_);
  EXPECT_THAT(ticks_, ElementsAre(t0 + 200ms, t0 + 400ms, t0 + 600ms));
}

TEST_F(WorkerHostTest, CancellingTheTokenEndsTheLoopAfterOneLastTick) {
  start();
  stop_.cancel();
  ASSERT_TRUE(storage_.wait([&] { return returned(); }));
  EXPECT_EQ(ticks(), 1u) << "the wake-up the cancellation caused still runs the tick";
  EXPECT_EQ(storage_.rescued_at().size(), 1u);
}

}  // namespace
}  // namespace cardsync::pipeline
