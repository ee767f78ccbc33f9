#pragma once
// When a failed job runs again (and when the sinks retry a failed write): the host's
// exponential backoff with full jitter (resilience/backoff.hpp), counted in attempts. The
// delay after the n-th failed attempt is uniform in [0, min(cap, base * multiplier^(n-1))),
// so jobs that failed together (an outage) spread out instead of returning as one wave.

#include <chrono>

namespace cardsync::queue {

struct RetrySchedule {
  std::chrono::milliseconds base{std::chrono::seconds(5)};
  std::chrono::milliseconds cap{std::chrono::minutes(30)};
  double multiplier = 2.0;

  // The upper bound for `attempt` (>= 1) failures; saturates at `cap`.
  std::chrono::milliseconds bound(int attempt) const noexcept;
  // `unit` is a uniform draw in [0, 1).
  std::chrono::milliseconds delay(int attempt, double unit) const noexcept;
};

}  // namespace cardsync::queue
