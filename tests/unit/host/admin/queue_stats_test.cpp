// The queue's cached counts behind /api/v1/queue/stats, /readyz and /metrics, in virtual
// time: the storage is asked at most once per second however many callers there are, one
// read at a time, and a failed read is remembered as long as a good one.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "admin/queue_stats.hpp"
#include "queue/storage.hpp"

namespace cardsync::admin {
namespace {

// Counts reads; answers `queued` jobs of one type, or throws while `failing`; with `hold`
// set, a read waits (after saying it started) until the test lets it go.
class FakeCounts {
 public:
  std::vector<queue::StatCount> read() {
    std::unique_lock lock(mu_);
    ++reads_;
    started_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !hold_; });
    if (failing_) throw queue::StorageError(CS_RETRY, "connection refused");
    return {{"svc.items", sdk::JobState::queued, queued_, 0}};
  }
  int reads() {
    std::lock_guard lock(mu_);
    return reads_;
  }
  void set(int64_t queued, bool failing = false) {
    std::lock_guard lock(mu_);
    queued_ = queued;
    failing_ = failing;
  }
  void hold() {
    std::lock_guard lock(mu_);
    hold_ = true;
    started_ = false;
  }
  void wait_started() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return started_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    hold_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int reads_ = 0;
  int64_t queued_ = 0;
  bool failing_ = false;
  bool hold_ = false;
  bool started_ = false;
};

class QueueStatsTest : public ::testing::Test {
 protected:
  static int64_t queued(const QueueCounts& c) { return c.rows.empty() ? -1 : c.rows.front().count; }

  ManualClock clock_;
  FakeCounts source_;
  QueueStats stats_{[this] { return source_.read(); }, [] { return int64_t{1000}; }, clock_};
};

TEST_F(QueueStatsTest, TheStorageIsAskedOncePerSecondHoweverOftenTheCountsAreRead) {
  source_.set(3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(queued(*stats_.counts()), 3);
  EXPECT_EQ(source_.reads(), 1);
  source_.set(4);
  clock_.advance(std::chrono::milliseconds(999));
  EXPECT_EQ(queued(*stats_.counts()), 3);
  (void)stats_.json();
  EXPECT_EQ(source_.reads(), 1);
  clock_.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(queued(*stats_.counts()), 4);
  EXPECT_NE(stats_.json().find("\"queued\":4"), std::string::npos) << stats_.json();
  EXPECT_EQ(source_.reads(), 2);
}

TEST_F(QueueStatsTest, AFailedReadIsRememberedForASecondToo) {
  source_.set(0, true);
  auto c = stats_.counts();
  EXPECT_FALSE(c->ok());
  EXPECT_EQ(c->error, "connection refused");
  EXPECT_THROW(stats_.json(), queue::StorageError);
  EXPECT_FALSE(stats_.counts()->ok());
  EXPECT_EQ(source_.reads(), 1);
  source_.set(2);
  clock_.advance(std::chrono::seconds(1));
  EXPECT_TRUE(stats_.counts()->ok());
  EXPECT_EQ(source_.reads(), 2);
}

TEST_F(QueueStatsTest, WhileOneCallerReadsTheOthersGetThePreviousCounts) {
  source_.set(1);
  (void)stats_.counts();
  clock_.advance(std::chrono::seconds(5));
  source_.set(2);
  source_.hold();
  std::shared_ptr<const QueueCounts> refreshed;
  std::thread reader([&] { refreshed = stats_.counts(); });
  source_.wait_started();
  // The slow read is under way: everyone else is answered at once, from memory.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(queued(*stats_.counts()), 1);
  EXPECT_EQ(source_.reads(), 2);
  source_.release();
  reader.join();
  EXPECT_EQ(queued(*refreshed), 2);
  EXPECT_EQ(queued(*stats_.counts()), 2);
  EXPECT_EQ(source_.reads(), 2);
}

}  // namespace
}  // namespace cardsync::admin
