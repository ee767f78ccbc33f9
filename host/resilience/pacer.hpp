#pragma once
// Per-service pacing: a token bucket refilled at the configured requests per minute, which
// the provider can tighten at run time from what the API reports (an API's per-minute
// limit), plus the daily quota guard. Short waits are slept through the injected clock;
// waits beyond `max_wait` (or the call's deadline) come back as "retry later at T".

#include <chrono>
#include <cstdint>
#include <mutex>

#include "resilience/daily_quota.hpp"
#include "resilience/retry_later.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync {

struct PacingOptions {
  double requests_per_minute = 0.0;  // 0 = not paced until the API reports its limit
  double burst = 1.0;                // tokens the bucket holds: calls allowed back to back
  std::int64_t daily_quota = 0;      // 0 = no daily limit
  std::chrono::milliseconds max_wait{60'000};

  friend bool operator==(const PacingOptions&, const PacingOptions&) = default;
};

class Pacer {
 public:
  Pacer(Clock& clock, PacingOptions options);

  struct Permit {
    enum class Kind { granted, retry_later, cancelled };
    Kind kind = Kind::granted;
    RetryLater::Reason reason = RetryLater::Reason::throttled;
    Clock::SteadyTime retry_at{};
  };
  // Takes one request's worth of rate and quota, sleeping for the rate if that is short.
  // Thread-safe; callers are served in arrival order (the token is reserved before the
  // sleep, so a later caller cannot overtake).
  Permit acquire(const CancellationToken& cancel, Clock::SteadyTime deadline);
  // Gives back what acquire took when the request was not sent after all.
  void refund();

  // The upstream's reported limit. Never loosens beyond the configured rate; a later,
  // higher report restores up to it.
  void tighten(double requests_per_minute);
  void report_daily_remaining(std::int64_t remaining);

  double requests_per_minute() const;
  const PacingOptions& options() const { return options_; }
  std::optional<std::int64_t> daily_remaining();

 private:
  void refill(Clock::SteadyTime now);

  Clock& clock_;
  const PacingOptions options_;
  mutable std::mutex mu_;
  double rate_per_minute_;
  double tokens_;
  Clock::SteadyTime last_refill_;
  DailyQuota quota_;
};

}  // namespace cardsync
