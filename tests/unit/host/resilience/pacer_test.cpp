#include "resilience/pacer.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace cardsync {
namespace {

using namespace std::chrono_literals;
constexpr auto kNoDeadline = Clock::SteadyTime::max();

class PacerTest : public ::testing::Test {
 protected:
  std::vector<Clock::SteadyTime> grant_times(Pacer& p, int n) {
    std::vector<Clock::SteadyTime> out;
    for (int i = 0; i < n; ++i) {
      auto permit = p.acquire(never, kNoDeadline);
      EXPECT_EQ(permit.kind, Pacer::Permit::Kind::granted);
      out.push_back(clock.now());
    }
    return out;
  }
  static void expect_gap(Clock::SteadyTime a, Clock::SteadyTime b, std::chrono::nanoseconds gap) {
    EXPECT_GE(b - a, gap - 1us);
    EXPECT_LE(b - a, gap + 1us);
  }

  ManualClock clock{true};
  CancellationToken never;
};

TEST_F(PacerTest, RequestsPerMinuteSpacesCalls) {
  Pacer p(clock, PacingOptions{60, 1, 0, 60s});
  const auto t = grant_times(p, 5);
  EXPECT_EQ(t[0], t[0]);
  for (size_t i = 1; i < t.size(); ++i) expect_gap(t[i - 1], t[i], 1s);
}

TEST_F(PacerTest, BurstLetsCallsThroughBackToBack) {
  Pacer p(clock, PacingOptions{60, 3, 0, 60s});
  const auto t = grant_times(p, 5);
  EXPECT_EQ(t[2], t[0]);
  expect_gap(t[2], t[3], 1s);
  expect_gap(t[3], t[4], 1s);
}

TEST_F(PacerTest, ReportedLimitTightensButNeverLoosensBeyondConfig) {
  Pacer p(clock, PacingOptions{60, 1, 0, 60s});
  p.tighten(30);
  EXPECT_EQ(p.requests_per_minute(), 30);
  auto t = grant_times(p, 3);
  expect_gap(t[1], t[2], 2s);
  p.tighten(500);  // a higher report restores the configured rate, no more
  EXPECT_EQ(p.requests_per_minute(), 60);
  p.tighten(0);  // nonsense is ignored
  EXPECT_EQ(p.requests_per_minute(), 60);
}

TEST_F(PacerTest, WaitBeyondTheLimitIsReturnedNotSlept) {
  Pacer p(clock, PacingOptions{1, 1, 0, 30s});  // one a minute, sleep at most 30 s
  ASSERT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted);
  const auto before = clock.now();
  const auto sleeps = clock.sleeps();
  const auto permit = p.acquire(never, kNoDeadline);
  EXPECT_EQ(permit.kind, Pacer::Permit::Kind::retry_later);
  EXPECT_EQ(permit.reason, RetryLater::Reason::throttled);
  EXPECT_EQ(permit.retry_at, before + 60s);
  EXPECT_EQ(clock.sleeps(), sleeps);
  // Nothing was reserved: at the returned time the call goes straight through.
  clock.advance(60s);
  const auto s2 = clock.sleeps();
  EXPECT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted);
  EXPECT_EQ(clock.sleeps(), s2);
}

TEST_F(PacerTest, WaitPastTheDeadlineIsReturnedNotSlept) {
  Pacer p(clock, PacingOptions{6, 1, 0, 60s});  // 10 s apart
  ASSERT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted);
  EXPECT_EQ(p.acquire(never, clock.now() + 5s).kind, Pacer::Permit::Kind::retry_later);
}

TEST_F(PacerTest, DailyQuotaSnoozesUntilMidnightUtcAndResets) {
  Pacer p(clock, PacingOptions{0, 1, 100, 60s});
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted) << i;
  }
  const auto permit = p.acquire(never, kNoDeadline);
  EXPECT_EQ(permit.kind, Pacer::Permit::Kind::retry_later);
  EXPECT_EQ(permit.reason, RetryLater::Reason::quota);
  // The quota resets at the next 00:00 UTC (the virtual wall clock starts exactly at one).
  const auto midnight = std::chrono::floor<std::chrono::days>(clock.wall()) + std::chrono::days(1);
  EXPECT_EQ(permit.retry_at, clock.now() + (midnight - clock.wall()));
  EXPECT_EQ(p.daily_remaining(), 0);
  clock.advance(permit.retry_at - clock.now());
  EXPECT_EQ(p.daily_remaining(), 100);
  EXPECT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted);
}

TEST_F(PacerTest, RefundReturnsRateAndQuota) {
  Pacer p(clock, PacingOptions{60, 1, 10, 60s});
  ASSERT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted);
  EXPECT_EQ(p.daily_remaining(), 9);
  p.refund();
  EXPECT_EQ(p.daily_remaining(), 10);
  const auto sleeps = clock.sleeps();
  ASSERT_EQ(p.acquire(never, kNoDeadline).kind, Pacer::Permit::Kind::granted);
  EXPECT_EQ(clock.sleeps(), sleeps);  // the refunded token was available at once
}

TEST_F(PacerTest, ReportedRemainingOnlyTightens) {
  Pacer p(clock, PacingOptions{0, 1, 100, 60s});
  p.report_daily_remaining(5);
  EXPECT_EQ(p.daily_remaining(), 5);
  p.report_daily_remaining(50);
  EXPECT_EQ(p.daily_remaining(), 5);
  Pacer unlimited(clock, PacingOptions{0, 1, 0, 60s});
  EXPECT_EQ(unlimited.daily_remaining(), std::nullopt);
  unlimited.report_daily_remaining(0);
  EXPECT_EQ(unlimited.acquire(never, kNoDeadline).reason, RetryLater::Reason::quota);
}

TEST(PacerCancel, CancellationDuringAPacingWaitReturnsAndRefunds) {
  ManualClock clock(false);
  Pacer p(clock, PacingOptions{60, 1, 0, 60s});
  CancellationToken never;
  ASSERT_EQ(p.acquire(never, Clock::SteadyTime::max()).kind, Pacer::Permit::Kind::granted);
  CancellationToken cancel;
  Pacer::Permit permit;
  std::thread waiter([&] { permit = p.acquire(cancel, Clock::SteadyTime::max()); });
  while (clock.sleepers() == 0) std::this_thread::yield();
  cancel.cancel();
  waiter.join();
  EXPECT_EQ(permit.kind, Pacer::Permit::Kind::cancelled);
  // The reservation was returned: the next caller waits one interval, not two.
  clock.advance(1s);
  const auto sleeps = clock.sleeps();
  EXPECT_EQ(p.acquire(never, Clock::SteadyTime::max()).kind, Pacer::Permit::Kind::granted);
  EXPECT_EQ(clock.sleeps(), sleeps);
}

}  // namespace
}  // namespace cardsync
