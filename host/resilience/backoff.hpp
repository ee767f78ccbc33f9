#pragma once
// Exponential backoff with full jitter, the host's one formula for waiting before trying
// again: HTTP retries here, and in host/queue failed jobs and storage writes (RetrySchedule).
// The wait is uniform in [0, min(cap, base * multiplier^exponent)). Full jitter (rather than
// equal or decorrelated) spreads clients that failed together the most evenly.

#include <chrono>

#include "resilience/retry_options.hpp"

namespace cardsync {

struct ExponentialBackoff {
  std::chrono::nanoseconds base{0};
  std::chrono::nanoseconds cap{0};
  double multiplier = 2.0;

  // min(cap, base * multiplier^exponent). A negative exponent counts as 0, a negative base
  // or cap as 0, a multiplier below 1 as 1. Saturates at the cap for any exponent, however
  // large. No allocation.
  std::chrono::nanoseconds bound(long long exponent) const noexcept;
  // `unit` is a uniform draw in [0, 1); the bound scaled by it, in whole nanoseconds.
  std::chrono::nanoseconds delay(long long exponent, double unit) const noexcept;
};

// HTTP retries: attempt >= 1 is the number of requests that have failed so far, and the
// exponent (the first retry already waits up to base * multiplier).
std::chrono::nanoseconds backoff_bound(const RetryOptions& options, long long attempt) noexcept;

// `unit` is a uniform draw in [0, 1).
std::chrono::nanoseconds backoff_delay(const RetryOptions& options, long long attempt,
                                       double unit) noexcept;

}  // namespace cardsync
