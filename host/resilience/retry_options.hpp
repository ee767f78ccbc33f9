#pragma once
// Defaults are those of the system cardsync replaces (base 500 ms, factor 2, cap 30 s,
// 5 retries) and match resilience_schema.json.

#include <chrono>

namespace cardsync {

struct RetryOptions {
  int max_retries = 5;  // requests per call: at most max_retries + 1
  std::chrono::milliseconds base_delay{500};
  double multiplier = 2.0;
  std::chrono::milliseconds max_delay{30'000};
  // Longest wait slept inside one call; a longer one (a far Retry-After) becomes
  // "retry later at T" so the job is snoozed instead of holding a worker.
  std::chrono::milliseconds max_wait{60'000};
  // Overall budget of one call when the caller sets no deadline.
  std::chrono::milliseconds deadline{300'000};

  friend bool operator==(const RetryOptions&, const RetryOptions&) = default;
};

}  // namespace cardsync
