// The admin server's pool for blocking work: its threads and its bounded queue, a refusal
// (not a wait) when both are full, and a stop that drops what never started.
#include "admin/blocking_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace cardsync::admin {
namespace {

// Tasks that wait until released, and say when they started.
class Gate {
 public:
  std::function<void()> task() {
    return [this] {
      std::unique_lock lock(mu_);
      ++started_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
      ++finished_;
      cv_.notify_all();
    };
  }
  void wait_started(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return started_ >= n; });
  }
  void wait_finished(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return finished_ >= n; });
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  int started() {
    std::lock_guard lock(mu_);
    return started_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int started_ = 0;
  int finished_ = 0;
  bool open_ = false;
};

TEST(BlockingPoolTest, BusyThreadsAndAFullQueueRefuseAtOnce) {
  Gate gate;
  BlockingPool pool(2, 1);
  ASSERT_TRUE(pool.try_submit(gate.task()));
  ASSERT_TRUE(pool.try_submit(gate.task()));
  gate.wait_started(2);
  EXPECT_TRUE(pool.try_submit(gate.task()));   // waits in the queue
  EXPECT_FALSE(pool.try_submit(gate.task()));  // the queue is full
  gate.open();
  gate.wait_finished(3);
  EXPECT_EQ(gate.started(), 3);
  EXPECT_TRUE(pool.try_submit(gate.task()));
  gate.wait_finished(4);
}

TEST(BlockingPoolTest, StopDropsQueuedTasksAndWaitsForRunningOnes) {
  Gate gate;
  BlockingPool pool(1, 4);
  ASSERT_TRUE(pool.try_submit(gate.task()));
  gate.wait_started(1);
  auto owned = std::make_shared<int>(0);
  std::atomic<bool> ran{false};
  ASSERT_TRUE(pool.try_submit([owned, &ran] { ran = true; }));
  std::weak_ptr<int> queued = owned;
  owned.reset();
  std::thread stopper([&] { pool.stop(); });
  // The queued task is destroyed by stop() without running, while the first still runs.
  while (!queued.expired()) std::this_thread::yield();
  gate.open();
  stopper.join();
  EXPECT_FALSE(ran);
  EXPECT_FALSE(pool.try_submit([] {}));
}

}  // namespace
}  // namespace cardsync::admin
