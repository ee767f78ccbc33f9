#pragma once
// Exponential backoff with full jitter: the wait after `attempt` failed requests is uniform
// in [0, min(cap, base * multiplier^attempt)). Full jitter (rather than equal or
// decorrelated) spreads clients that failed together the most evenly.

#include <chrono>

#include "resilience/retry_options.hpp"

namespace cardsync {

// attempt >= 1 is the number of requests that have failed so far. Saturates at the cap for
// any attempt, however large. No allocation.
std::chrono::nanoseconds backoff_bound(const RetryOptions& options, long long attempt) noexcept;

// `unit` is a uniform draw in [0, 1).
std::chrono::nanoseconds backoff_delay(const RetryOptions& options, long long attempt,
                                       double unit) noexcept;

}  // namespace cardsync
