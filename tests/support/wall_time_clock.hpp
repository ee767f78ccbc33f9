#pragma once
// A clock that takes only its wall time from another clock: real steady time and real sleeps.
// The batch sink runs on it in lookup tests: what it stores is dated by the test's virtual
// wall time (the lookup cache measures ages from that), while its idle flusher, which sleeps a
// day at a time, does not turn an auto-advancing ManualClock into days passing.

#include "time/clock.hpp"

namespace cardsync::test {

class WallTimeClock final : public Clock {
 public:
  // `wall` must outlive this clock.
  explicit WallTimeClock(const Clock& wall) : wall_(wall) {}
  SteadyTime now() const override { return SystemClock::instance().now(); }
  WallTime wall() const override { return wall_.wall(); }
  bool sleep_until(SteadyTime deadline, const CancellationToken& cancel) override {
    return SystemClock::instance().sleep_until(deadline, cancel);
  }

 private:
  const Clock& wall_;
};

}  // namespace cardsync::test
