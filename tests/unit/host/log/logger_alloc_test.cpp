// Its own binary because it replaces the global operator new to count allocations.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "log/logger.hpp"
#include "log/memory_sink.hpp"

namespace {
thread_local long allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace cardsync::log {
namespace {

TEST(LoggerAllocationTest, BelowLevelCallsAllocateNothing) {
  ManualClock clock;
  Logger logger(clock, Level::warn);
  logger.add_sink(std::make_shared<MemorySink>());

  const long before = allocations;
  for (int i = 0; i < 1000; ++i) {
    logger.debug("a message long enough to defeat the small string optimisation", "req-123");
    logger.info("another one");
    logger.log(Level::trace, "trace");
  }
  EXPECT_EQ(allocations - before, 0);
}

TEST(LoggerAllocationTest, EnabledCallsDoAllocate) {
  // Proves the counter works, so the test above can fail.
  ManualClock clock;
  Logger logger(clock, Level::warn);
  logger.add_sink(std::make_shared<MemorySink>());
  const long before = allocations;
  logger.warn("a message long enough to defeat the small string optimisation");
  EXPECT_GT(allocations - before, 0);
}

}  // namespace
}  // namespace cardsync::log
