#include "time/cancellation.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace cardsync {
namespace {

using namespace std::chrono_literals;

TEST(CancellationTokenTest, CopiesShareOneState) {
  CancellationToken original;
  const CancellationToken copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_FALSE(original.cancelled());

  copy.cancel();
  EXPECT_TRUE(original.cancelled());
  EXPECT_TRUE(copy.cancelled());
}

TEST(CancellationTokenTest, CallbacksRunOnceInRegistrationOrder) {
  CancellationToken cancel;
  std::vector<int> order;
  auto first = cancel.on_cancel([&] { order.push_back(1); });
  auto second = cancel.on_cancel([&] { order.push_back(2); });

  cancel.cancel();
  cancel.cancel();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(CancellationTokenTest, RegisteringAfterCancelRunsImmediately) {
  CancellationToken cancel;
  cancel.cancel();
  int runs = 0;
  auto registration = cancel.on_cancel([&] { ++runs; });
  EXPECT_EQ(runs, 1);
}

TEST(CancellationTokenTest, DestroyedRegistrationDoesNotRun) {
  CancellationToken cancel;
  int runs = 0;
  {
    auto registration = cancel.on_cancel([&] { ++runs; });
  }
  auto kept = cancel.on_cancel([&] { runs += 10; });

  cancel.cancel();
  EXPECT_EQ(runs, 10);
}

TEST(CancellationTokenTest, MovedRegistrationStaysArmed) {
  CancellationToken cancel;
  int runs = 0;
  auto original = cancel.on_cancel([&] { ++runs; });
  {
    const CancellationToken::Registration moved = std::move(original);
    cancel.cancel();
  }
  EXPECT_EQ(runs, 1);
}

TEST(CancellationTokenTest, WaitUntilReturnsTrueAtThePassedDeadline) {
  CancellationToken cancel;
  EXPECT_TRUE(cancel.wait_until(std::chrono::steady_clock::now() - 1s));
}

TEST(CancellationTokenTest, CancelWakesARealTimeWait) {
  CancellationToken cancel;
  std::atomic<int> result{-1};
  std::thread waiter(
      [&] { result = cancel.wait_until(std::chrono::steady_clock::now() + 1h) ? 1 : 0; });
  cancel.cancel();
  waiter.join();
  EXPECT_EQ(result, 0);
}

TEST(CancellationTokenTest, CallbackMayDropItsOwnRegistration) {
  CancellationToken cancel;
  std::optional<CancellationToken::Registration> registration;
  int runs = 0;
  registration.emplace(cancel.on_cancel([&] {
    ++runs;
    registration.reset();
  }));
  cancel.cancel();
  EXPECT_EQ(runs, 1);
  EXPECT_FALSE(registration.has_value());
}

// A registration's destructor must not return while cancel() is still running its callback
// on another thread: the callback usually captures the destroyed object's state.
TEST(CancellationTokenTest, RegistrationOutlivesItsRunningCallback) {
  CancellationToken cancel;
  std::atomic<bool> started{false};
  std::atomic<bool> release{false};
  std::atomic<bool> finished{false};
  auto registration = std::make_unique<CancellationToken::Registration>(cancel.on_cancel([&] {
    started = true;
    while (!release) std::this_thread::yield();
    finished = true;
  }));

  std::thread canceller([&] { cancel.cancel(); });
  while (!started) std::this_thread::yield();

  std::atomic<bool> destroying{false};
  std::atomic<bool> destroyed{false};
  std::atomic<bool> finished_when_destroyed{false};
  std::thread owner([&] {
    destroying = true;
    registration.reset();
    finished_when_destroyed = finished.load();
    destroyed = true;
  });
  while (!destroying) std::this_thread::yield();
  // Give a broken destructor ample chance to return early; a correct one blocks here.
  for (int i = 0; i < 10000 && !destroyed; ++i) std::this_thread::yield();
  release = true;
  owner.join();
  canceller.join();
  EXPECT_TRUE(finished_when_destroyed);
}

}  // namespace
}  // namespace cardsync
