#include "resilience/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace cardsync {

std::chrono::nanoseconds backoff_bound(const RetryOptions& options, long long attempt) noexcept {
  using std::chrono::nanoseconds;
  const auto cap = std::chrono::duration_cast<nanoseconds>(options.max_delay);
  const auto base = std::chrono::duration_cast<nanoseconds>(options.base_delay);
  // In floating point so huge attempts give +inf (then the cap) instead of overflowing.
  const double bound = static_cast<double>(base.count()) *
                       std::pow(options.multiplier, static_cast<double>(std::max(0LL, attempt)));
  if (!(bound < static_cast<double>(cap.count()))) return cap;
  return nanoseconds(static_cast<nanoseconds::rep>(bound));
}

std::chrono::nanoseconds backoff_delay(const RetryOptions& options, long long attempt,
                                       double unit) noexcept {
  const auto bound = backoff_bound(options, attempt);
  const double u = std::clamp(unit, 0.0, 1.0);
  return std::chrono::nanoseconds(
      static_cast<std::chrono::nanoseconds::rep>(static_cast<double>(bound.count()) * u));
}

}  // namespace cardsync
