// The breaker's reject path runs for every call to a down service: it must not allocate.
// This binary replaces global operator new (allocation_counter.cpp) to count allocations.

#include <gtest/gtest.h>

#include <new>

#include "allocation_counter.hpp"
#include "resilience/circuit_breaker.hpp"

namespace cardsync {
namespace {

using testing::allocations;
using testing::count_allocations;

TEST(CircuitBreakerAllocation, RejectAndClosedAdmitDoNotAllocate) {
  SystemClock& clock = SystemClock::instance();
  CircuitBreaker closed("closed", clock);
  CircuitBreaker open("open", clock);
  for (int i = 0; i < 5; ++i) open.record(open.admit(), BreakerOutcome::failure);
  ASSERT_EQ(open.state(), BreakerState::open);

  const long before = allocations();
  count_allocations(true);
  int rejected = 0;
  int admitted = 0;
  for (int i = 0; i < 100'000; ++i) {
    rejected += open.admit().admitted ? 0 : 1;
    admitted += closed.admit().admitted ? 1 : 0;
  }
  count_allocations(false);
  EXPECT_EQ(rejected, 100'000);
  EXPECT_EQ(admitted, 100'000);
  EXPECT_EQ(allocations() - before, 0);

  // The counter works: an allocation while counting is seen.
  count_allocations(true);
  void* probe = ::operator new(sizeof(int));  // a direct call cannot be elided
  count_allocations(false);
  ::operator delete(probe);
  EXPECT_EQ(allocations() - before, 1);
}

}  // namespace
}  // namespace cardsync
