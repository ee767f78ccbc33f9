#include "resilience/pacer.hpp"

#include <algorithm>
#include <cmath>

namespace cardsync {
namespace {

constexpr double kNanosPerMinute = 60e9;

}  // namespace

Pacer::Pacer(Clock& clock, PacingOptions options)
    : clock_(clock),
      options_(options),
      rate_per_minute_(options.requests_per_minute),
      tokens_(std::max(1.0, options.burst)),
      last_refill_(clock.now()),
      quota_(options.daily_quota) {}

void Pacer::refill(Clock::SteadyTime now) {
  if (now <= last_refill_) return;
  const double elapsed = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_refill_).count());
  tokens_ = std::min(std::max(1.0, options_.burst),
                     tokens_ + elapsed * rate_per_minute_ / kNanosPerMinute);
  last_refill_ = now;
}

Pacer::Permit Pacer::acquire(const CancellationToken& cancel, Clock::SteadyTime deadline) {
  Clock::SteadyTime wake{};
  {
    std::lock_guard lock(mu_);
    const auto now = clock_.now();
    const auto wall = clock_.wall();
    if (const auto left = quota_.remaining(wall); left && *left <= 0) {
      const auto at = now + std::chrono::duration_cast<Clock::SteadyTime::duration>(
                                DailyQuota::next_reset(wall) - wall);
      return {Permit::Kind::retry_later, RetryLater::Reason::quota, at};
    }
    if (rate_per_minute_ > 0) {
      refill(now);
      if (tokens_ < 1.0) {
        const auto wait = std::chrono::nanoseconds(static_cast<std::int64_t>(
            std::ceil((1.0 - tokens_) * kNanosPerMinute / rate_per_minute_)));
        wake = now + std::chrono::duration_cast<Clock::SteadyTime::duration>(wait);
        if (wait > options_.max_wait || wake > deadline) {
          return {Permit::Kind::retry_later, RetryLater::Reason::throttled, wake};
        }
      }
      // Reserved now (possibly going negative) so callers queue in arrival order.
      tokens_ -= 1.0;
    }
    (void)quota_.try_consume(wall);
  }
  if (wake != Clock::SteadyTime{} && !clock_.sleep_until(wake, cancel)) {
    refund();
    return {Permit::Kind::cancelled, RetryLater::Reason::throttled, {}};
  }
  return {};
}

void Pacer::refund() {
  std::lock_guard lock(mu_);
  if (rate_per_minute_ > 0) {
    refill(clock_.now());
    tokens_ = std::min(std::max(1.0, options_.burst), tokens_ + 1.0);
  }
  quota_.refund(clock_.wall());
}

void Pacer::tighten(double requests_per_minute) {
  if (!(requests_per_minute > 0)) return;
  std::lock_guard lock(mu_);
  refill(clock_.now());
  rate_per_minute_ = options_.requests_per_minute > 0
                         ? std::min(options_.requests_per_minute, requests_per_minute)
                         : requests_per_minute;
}

void Pacer::report_daily_remaining(std::int64_t remaining) {
  std::lock_guard lock(mu_);
  quota_.report_remaining(remaining, clock_.wall());
}

double Pacer::requests_per_minute() const {
  std::lock_guard lock(mu_);
  return rate_per_minute_;
}

std::optional<std::int64_t> Pacer::daily_remaining() {
  std::lock_guard lock(mu_);
  return quota_.remaining(clock_.wall());
}

}  // namespace cardsync
