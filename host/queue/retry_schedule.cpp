#include "queue/retry_schedule.hpp"

#include <algorithm>

#include "resilience/backoff.hpp"

namespace cardsync::queue {
namespace {

// Saturating: a configured cap of centuries must not overflow nanoseconds.
std::chrono::nanoseconds to_ns(std::chrono::milliseconds d) {
  using std::chrono::nanoseconds;
  constexpr auto kMax = std::chrono::duration_cast<std::chrono::milliseconds>(nanoseconds::max());
  return std::chrono::duration_cast<nanoseconds>(std::clamp(d, -kMax, kMax));
}

ExponentialBackoff backoff(const RetrySchedule& s) {
  return ExponentialBackoff{to_ns(s.base), to_ns(s.cap), s.multiplier};
}

// The first failure waits up to `base`: attempt n grows the bound n - 1 times.
long long exponent(int attempt) {
  return static_cast<long long>(attempt) - 1;
}

}  // namespace

std::chrono::milliseconds RetrySchedule::bound(int attempt) const noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      backoff(*this).bound(exponent(attempt)));
}

std::chrono::milliseconds RetrySchedule::delay(int attempt, double unit) const noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      backoff(*this).delay(exponent(attempt), unit));
}

}  // namespace cardsync::queue
