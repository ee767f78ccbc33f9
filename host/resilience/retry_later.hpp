#pragma once
// "Do not call now; come back at T." Returned instead of sleeping when the wait is long, so
// the job queue snoozes the job without spending one of its attempts.

#include <string>
#include <string_view>

#include "time/clock.hpp"

namespace cardsync {

struct RetryLater {
  enum class Reason {
    throttled,     // Retry-After or pacing wait beyond the per-call limit, or 429s persisting
    breaker_open,  // the service's circuit breaker rejected the call
    quota,         // the service's daily quota is spent until 00:00 UTC
  };
  Reason reason = Reason::throttled;
  Clock::SteadyTime at;     // for in-process waits
  Clock::WallTime wall_at;  // the same instant, for a job's run_at in the database
  std::string detail;       // human-readable, safe to log

  // Builds both time bases from one clock reading.
  static RetryLater make(const Clock& clock, Reason reason, Clock::SteadyTime at,
                         std::string detail) {
    const auto now = clock.now();
    const auto wall = clock.wall();
    const auto ahead = at > now ? at - now : Clock::SteadyTime::duration::zero();
    return RetryLater{reason, at,
                      wall + std::chrono::duration_cast<Clock::WallTime::duration>(ahead),
                      std::move(detail)};
  }
};

constexpr std::string_view to_string(RetryLater::Reason r) noexcept {
  switch (r) {
    case RetryLater::Reason::throttled:
      return "throttled";
    case RetryLater::Reason::breaker_open:
      return "breaker_open";
    case RetryLater::Reason::quota:
      return "quota";
  }
  return "throttled";
}

}  // namespace cardsync
