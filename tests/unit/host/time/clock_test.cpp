#include "time/clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace cardsync {
namespace {

using namespace std::chrono_literals;

// Spins (without sleeping) until `n` threads are blocked in the clock.
void wait_for_sleepers(const ManualClock& clock, int n) {
  while (clock.sleepers() < n) std::this_thread::yield();
}

TEST(ManualClockTest, AutoAdvanceJumpsToTheDeadlineAtOnce) {
  ManualClock clock(/*auto_advance=*/true);
  const auto start = clock.now();
  const auto wall_start = clock.wall();
  CancellationToken cancel;

  EXPECT_TRUE(clock.sleep_for(90s, cancel));
  EXPECT_EQ(clock.now() - start, 90s);
  EXPECT_EQ(clock.wall() - wall_start, 90s);
  EXPECT_EQ(clock.sleeps(), 1);
}

TEST(ManualClockTest, AutoAdvanceNeverMovesBackwards) {
  ManualClock clock(/*auto_advance=*/true);
  CancellationToken cancel;
  const auto start = clock.now();
  ASSERT_TRUE(clock.sleep_for(10s, cancel));

  EXPECT_TRUE(clock.sleep_until(start + 5s, cancel));
  EXPECT_EQ(clock.now() - start, 10s);
}

TEST(ManualClockTest, AutoAdvanceRefusesACancelledToken) {
  ManualClock clock(/*auto_advance=*/true);
  CancellationToken cancel;
  cancel.cancel();
  const auto start = clock.now();

  EXPECT_FALSE(clock.sleep_for(10s, cancel));
  EXPECT_EQ(clock.now(), start);
}

TEST(ManualClockTest, AdvanceMovesBothClocks) {
  const Clock::WallTime origin{std::chrono::hours(24 * 365 * 56)};
  ManualClock clock(false, origin);
  const auto start = clock.now();
  EXPECT_EQ(clock.wall(), origin);

  clock.advance(1500ms);
  EXPECT_EQ(clock.now() - start, 1500ms);
  EXPECT_EQ(clock.wall(), origin + 1500ms);
}

TEST(ManualClockTest, SleeperBlocksUntilAdvancePassesItsDeadline) {
  ManualClock clock;
  CancellationToken cancel;
  std::atomic<int> result{-1};
  std::thread sleeper([&] { result = clock.sleep_for(10s, cancel) ? 1 : 0; });
  wait_for_sleepers(clock, 1);

  clock.advance(5s);
  EXPECT_EQ(clock.sleeps(), 0);
  EXPECT_EQ(result, -1);

  clock.advance(5s);
  sleeper.join();
  EXPECT_EQ(result, 1);
  EXPECT_EQ(clock.sleepers(), 0);
  EXPECT_EQ(clock.sleeps(), 1);
}

TEST(ManualClockTest, OneAdvanceReleasesEverySleeperWhoseDeadlinePassed) {
  ManualClock clock;
  CancellationToken cancel;
  const auto start = clock.now();
  std::vector<std::thread> threads;
  std::atomic<int> woke{0};
  for (int i = 1; i <= 4; ++i) {
    threads.emplace_back([&, i] {
      if (clock.sleep_until(start + std::chrono::seconds(i), cancel)) ++woke;
    });
  }
  std::thread late([&] {
    if (clock.sleep_until(start + 100s, cancel)) ++woke;
  });
  wait_for_sleepers(clock, 5);

  clock.advance(4s);
  for (auto& t : threads) t.join();
  EXPECT_EQ(woke, 4);
  EXPECT_EQ(clock.sleepers(), 1);

  cancel.cancel();
  late.join();
  EXPECT_EQ(woke, 4);
  EXPECT_EQ(clock.sleepers(), 0);
}

TEST(ManualClockTest, CancelInterruptsABlockedSleepAtOnce) {
  ManualClock clock;
  CancellationToken cancel;
  const auto start = clock.now();
  std::atomic<int> result{-1};
  std::thread sleeper([&] { result = clock.sleep_for(1h, cancel) ? 1 : 0; });
  wait_for_sleepers(clock, 1);

  cancel.cancel();
  sleeper.join();
  EXPECT_EQ(result, 0);
  EXPECT_EQ(clock.now(), start);
}

TEST(ManualClockTest, AlreadyCancelledTokenReturnsAtOnceWithoutAdvance) {
  ManualClock clock;
  CancellationToken cancel;
  cancel.cancel();

  EXPECT_FALSE(clock.sleep_for(1h, cancel));
  EXPECT_EQ(clock.sleepers(), 0);
}

TEST(ManualClockTest, PastDeadlineReturnsAtOnce) {
  ManualClock clock;
  CancellationToken cancel;
  EXPECT_TRUE(clock.sleep_until(clock.now() - 1s, cancel));
  EXPECT_TRUE(clock.sleep_for(0s, cancel));
}

TEST(SystemClockTest, CancelInterruptsALongSleep) {
  CancellationToken cancel;
  std::atomic<int> result{-1};
  std::thread sleeper([&] { result = SystemClock::instance().sleep_for(1h, cancel) ? 1 : 0; });
  cancel.cancel();
  sleeper.join();
  EXPECT_EQ(result, 0);
}

TEST(SystemClockTest, WallClockIsCalendarTime) {
  // Guards against swapping steady and system clocks: wall() must be after 2020-01-01.
  const auto since_epoch = SystemClock::instance().wall().time_since_epoch();
  EXPECT_GT(since_epoch, std::chrono::hours(24 * 365 * 50));
}

}  // namespace
}  // namespace cardsync
