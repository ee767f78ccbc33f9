#include "resilience/backoff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <map>

#include "resilience/random_source.hpp"

namespace cardsync {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, BoundIsBaseTimesTwoToTheAttemptCappedAtThirtySeconds) {
  const RetryOptions o;  // 500 ms, x2, cap 30 s
  EXPECT_EQ(backoff_bound(o, 0), 500ms);
  EXPECT_EQ(backoff_bound(o, 1), 1s);
  EXPECT_EQ(backoff_bound(o, 2), 2s);
  EXPECT_EQ(backoff_bound(o, 5), 16s);
  EXPECT_EQ(backoff_bound(o, 6), 30s);
  EXPECT_EQ(backoff_bound(o, 7), 30s);
}

TEST(Backoff, HugeAttemptsGiveExactlyTheCap) {
  const RetryOptions o;
  for (long long attempt : {1'000LL, 1'000'000LL, LLONG_MAX}) {
    EXPECT_EQ(backoff_bound(o, attempt), 30s) << attempt;
    EXPECT_LE(backoff_delay(o, attempt, 0.999999999), 30s);
    EXPECT_GE(backoff_delay(o, attempt, 0.0), 0s);
  }
}

TEST(Backoff, SamplesAreUniformOverZeroToTheBound) {
  const RetryOptions o;
  SeededRandom random(2024);
  for (long long attempt = 1; attempt <= 8; ++attempt) {
    SCOPED_TRACE(attempt);
    const auto bound = backoff_bound(o, attempt);
    const auto expected =
        std::min<std::chrono::nanoseconds>(30s, std::chrono::nanoseconds(500ms) * (1LL << attempt));
    ASSERT_EQ(bound, expected);
    double sum = 0;
    for (int i = 0; i < 10'000; ++i) {
      const auto d = backoff_delay(o, attempt, random.uniform());
      ASSERT_GE(d, 0ns);
      ASSERT_LE(d, bound);
      sum += static_cast<double>(d.count());
    }
    const double mean = sum / 10'000;
    const double half = static_cast<double>(bound.count()) / 2;
    EXPECT_NEAR(mean, half, half * 0.05);
  }
}

TEST(Backoff, ThousandClientsFailingTogetherSpreadTheirRetries) {
  // Every client fails at t = 0 and retries five times with its own jitter; no 100 ms
  // stretch may carry more than 5 % of all retries.
  const RetryOptions o;
  SeededRandom random(99);
  std::map<long long, int> buckets;
  int retries = 0;
  for (int client = 0; client < 1000; ++client) {
    std::chrono::nanoseconds t{0};
    for (int attempt = 1; attempt <= o.max_retries; ++attempt) {
      t += backoff_delay(o, attempt, random.uniform());
      ++buckets[t / 100ms];
      ++retries;
    }
  }
  ASSERT_EQ(retries, 5000);
  const auto busiest = std::max_element(buckets.begin(), buckets.end(),
                                        [](auto& a, auto& b) { return a.second < b.second; });
  EXPECT_LE(busiest->second, retries * 5 / 100)
      << "bucket " << busiest->first << " holds " << busiest->second;
}

TEST(RandomSource, UniformStaysInTheHalfOpenUnitInterval) {
  SeededRandom seeded(1);
  for (int i = 0; i < 100'000; ++i) {
    const double a = seeded.uniform();
    const double b = SystemRandom::instance().uniform();
    ASSERT_GE(a, 0.0);
    ASSERT_LT(a, 1.0);
    ASSERT_GE(b, 0.0);
    ASSERT_LT(b, 1.0);
  }
  SeededRandom x(5);
  SeededRandom y(5);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(x.uniform(), y.uniform());
}

}  // namespace
}  // namespace cardsync
