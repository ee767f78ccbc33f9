#pragma once
// Calls allowed per UTC day (e.g. a free plan's 100). When spent, callers learn when it
// resets (next 00:00 UTC) so jobs are snoozed rather than failed. Not thread-safe: Pacer
// serialises access.

#include <cstdint>
#include <optional>

#include "time/clock.hpp"

namespace cardsync {

class DailyQuota {
 public:
  // 0 = no configured limit (the upstream may still report one).
  explicit DailyQuota(std::int64_t limit) : limit_(limit) {}

  // Takes one call; nullopt on success, else the wall time the quota resets.
  std::optional<Clock::WallTime> try_consume(Clock::WallTime now);
  void refund(Clock::WallTime now);
  // The upstream's own count for today (authoritative when lower: other clients may share
  // the key). Only ever tightens.
  void report_remaining(std::int64_t remaining, Clock::WallTime now);
  // nullopt when unlimited.
  std::optional<std::int64_t> remaining(Clock::WallTime now);

  static Clock::WallTime next_reset(Clock::WallTime now);

 private:
  void roll(Clock::WallTime now);

  const std::int64_t limit_;
  std::int64_t day_ = -1;
  std::optional<std::int64_t> remaining_;
};

}  // namespace cardsync
