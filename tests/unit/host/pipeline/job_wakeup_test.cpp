// JobWakeup against a storage double whose wait_for_jobs blocks until the test "enqueues from
// another process": nudges follow notifications, a storage outage is logged once and retried
// on the injected clock, and a storage that cannot notify starts no thread.
#include "pipeline/job_wakeup.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>

#include "log/memory_sink.hpp"

namespace cardsync::pipeline {
namespace {

using queue::StorageError;

// Only the notification calls are real; the rest are never called by JobWakeup.
class NotifyingStorage final : public queue::Storage {
 public:
  explicit NotifyingStorage(bool notifies) : notifies_(notifies) {}

  void notify_from_elsewhere() {
    std::lock_guard lock(mu_);
    ++pending_;
    cv_.notify_all();
  }
  void fail_next(int count) {
    std::lock_guard lock(mu_);
    failures_ = count;
  }
  int waits() const { return waits_.load(); }

  bool notifies_jobs() const override { return notifies_; }
  bool wait_for_jobs(int64_t timeout_ms) override {
    ++waits_;
    std::unique_lock lock(mu_);
    if (failures_ > 0) {
      --failures_;
      throw StorageError(CS_RETRY, "connection refused");
    }
    // A real-time bound like the PostgreSQL plugin's socket wait.
    bool woken =
        cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return pending_ > 0; });
    if (woken) --pending_;
    return woken;
  }

  void migrate() override {}
  std::vector<sdk::EnqueueResult> enqueue(const std::vector<sdk::JobSpec>&, int64_t) override {
    return {};
  }
  std::vector<queue::StoredJob> claim(const sdk::ClaimRequest&) override { return {}; }
  bool heartbeat(int64_t, std::string_view, int64_t, int64_t) override { return false; }
  std::vector<bool> transition(const std::vector<sdk::Transition>&) override { return {}; }
  sdk::Storage::RetryFailedResult retry_failed(int64_t, std::string_view, int64_t) override {
    return {};
  }
  sdk::Storage::RescueResult rescue_expired(int64_t) override { return {}; }
  std::vector<queue::StatCount> stats() override { return {}; }
  using Storage::list_jobs;
  void list_jobs(const sdk::JobQuery&, const std::function<bool(const sdk::JobRow&)>&) override {}
  sdk::WriteResult write_batch(const sdk::WriteBatch&) override { return {}; }
  void append_logs(const std::vector<sdk::LogRow>&) override {}
  std::vector<queue::StoredLog> query_logs(const sdk::LogQuery&) override { return {}; }
  int64_t delete_logs_before(int64_t) override { return 0; }
  std::optional<std::string> read_cursor(std::string_view) override { return std::nullopt; }

 private:
  bool notifies_;
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_ = 0;
  int failures_ = 0;
  std::atomic<int> waits_{0};
};

struct Fixture {
  ManualClock clock{/*auto_advance=*/true};
  log::Logger logger{clock, log::Level::info};
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  Fixture() { logger.add_sink(sink); }
};

TEST(JobWakeup, EachNotificationFromAnotherProcessNudgesTheWorkers) {
  Fixture f;
  NotifyingStorage storage(true);
  std::mutex mu;
  std::condition_variable cv;
  int nudges = 0;
  JobWakeup wakeup(storage, f.clock, f.logger, [&] {
    std::lock_guard lock(mu);
    ++nudges;
    cv.notify_all();
  });
  ASSERT_TRUE(wakeup.start());
  for (int i = 1; i <= 3; ++i) {
    storage.notify_from_elsewhere();
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return nudges == i; });
  }
  wakeup.stop();
  EXPECT_EQ(nudges, 3);
}

TEST(JobWakeup, AStorageThatCannotNotifyStartsNothing) {
  Fixture f;
  NotifyingStorage storage(false);
  JobWakeup wakeup(storage, f.clock, f.logger, [] { FAIL() << "no nudge expected"; });
  EXPECT_FALSE(wakeup.start());
  wakeup.stop();
  EXPECT_EQ(storage.waits(), 0);
}

TEST(JobWakeup, AnOutageIsLoggedOnceRetriedOnTheClockAndRecovers) {
  Fixture f;
  NotifyingStorage storage(true);
  storage.fail_next(5);
  std::promise<void> nudged;
  std::once_flag once;
  JobWakeupOptions options;
  options.retry_after_error = std::chrono::seconds(2);
  JobWakeup wakeup(
      storage, f.clock, f.logger, [&] { std::call_once(once, [&] { nudged.set_value(); }); },
      options);
  auto start = f.clock.now();
  ASSERT_TRUE(wakeup.start());
  storage.notify_from_elsewhere();
  nudged.get_future().wait();
  wakeup.stop();
  // Five failed waits, each followed by a 2 s pause in virtual time.
  EXPECT_GE(f.clock.now() - start, std::chrono::seconds(10));
  int warnings = 0, recovered = 0;
  for (const auto& r : f.sink->records()) {
    if (r.message.find("cannot listen for new jobs") != std::string::npos) ++warnings;
    if (r.message.find("listening for new jobs again") != std::string::npos) ++recovered;
  }
  EXPECT_EQ(warnings, 1);
  EXPECT_EQ(recovered, 1);
}

}  // namespace
}  // namespace cardsync::pipeline
