#include "resilience/daily_quota.hpp"

#include <algorithm>

namespace cardsync {
namespace {

std::int64_t day_of(Clock::WallTime t) {
  return std::chrono::floor<std::chrono::days>(t.time_since_epoch()).count();
}

}  // namespace

Clock::WallTime DailyQuota::next_reset(Clock::WallTime now) {
  return Clock::WallTime(
      std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::days(day_of(now) + 1)));
}

void DailyQuota::roll(Clock::WallTime now) {
  const std::int64_t day = day_of(now);
  if (day == day_) return;
  day_ = day;
  remaining_.reset();
  if (limit_ > 0) remaining_ = limit_;
}

std::optional<Clock::WallTime> DailyQuota::try_consume(Clock::WallTime now) {
  roll(now);
  if (!remaining_) return std::nullopt;
  if (*remaining_ <= 0) return next_reset(now);
  --*remaining_;
  return std::nullopt;
}

void DailyQuota::refund(Clock::WallTime now) {
  roll(now);
  if (!remaining_) return;
  ++*remaining_;
  if (limit_ > 0) *remaining_ = std::min(*remaining_, limit_);
}

void DailyQuota::report_remaining(std::int64_t remaining, Clock::WallTime now) {
  roll(now);
  remaining = std::max<std::int64_t>(0, remaining);
  remaining_ = remaining_ ? std::min(*remaining_, remaining) : remaining;
}

std::optional<std::int64_t> DailyQuota::remaining(Clock::WallTime now) {
  roll(now);
  return remaining_;
}

}  // namespace cardsync
