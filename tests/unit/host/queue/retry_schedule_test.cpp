#include "queue/retry_schedule.hpp"

#include <gtest/gtest.h>

namespace cardsync::queue {
namespace {

using namespace std::chrono_literals;

TEST(RetrySchedule, BoundGrowsExponentiallyUpToTheCap) {
  RetrySchedule s{1s, 10s, 2.0};
  EXPECT_EQ(s.bound(1), 1s);
  EXPECT_EQ(s.bound(2), 2s);
  EXPECT_EQ(s.bound(4), 8s);
  EXPECT_EQ(s.bound(5), 10s);
  EXPECT_EQ(s.bound(1'000'000), 10s);
}

TEST(RetrySchedule, DelayIsAFullJitterDrawBelowTheBound) {
  RetrySchedule s{1s, 10s, 2.0};
  EXPECT_EQ(s.delay(3, 0.0), 0ms);
  EXPECT_EQ(s.delay(3, 0.25), 1s);
  EXPECT_EQ(s.delay(3, 0.999999), 3999ms);
  EXPECT_EQ(s.delay(50, 0.5), 5s);
}

}  // namespace
}  // namespace cardsync::queue
