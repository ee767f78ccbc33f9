#include "resilience/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace cardsync {
namespace {

ExponentialBackoff of(const RetryOptions& options) {
  return ExponentialBackoff{options.base_delay, options.max_delay, options.multiplier};
}

}  // namespace

std::chrono::nanoseconds ExponentialBackoff::bound(long long exponent) const noexcept {
  using std::chrono::nanoseconds;
  const auto zero = nanoseconds(0);
  const nanoseconds capped = std::max(cap, zero);
  // A zero base stays zero (0 * inf would be NaN, read as the cap below).
  if (base <= zero) return zero;
  // In floating point so huge exponents give +inf (then the cap) instead of overflowing.
  const double b =
      static_cast<double>(base.count()) *
      std::pow(std::max(multiplier, 1.0), static_cast<double>(std::max(0LL, exponent)));
  if (!(b < static_cast<double>(capped.count()))) return capped;
  return nanoseconds(static_cast<nanoseconds::rep>(b));
}

std::chrono::nanoseconds ExponentialBackoff::delay(long long exponent, double unit) const noexcept {
  const double u = std::clamp(unit, 0.0, 1.0);
  return std::chrono::nanoseconds(
      static_cast<std::chrono::nanoseconds::rep>(static_cast<double>(bound(exponent).count()) * u));
}

std::chrono::nanoseconds backoff_bound(const RetryOptions& options, long long attempt) noexcept {
  return of(options).bound(attempt);
}

std::chrono::nanoseconds backoff_delay(const RetryOptions& options, long long attempt,
                                       double unit) noexcept {
  return of(options).delay(attempt, unit);
}

}  // namespace cardsync
