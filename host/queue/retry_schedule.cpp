#include "queue/retry_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace cardsync::queue {

std::chrono::milliseconds RetrySchedule::bound(int attempt) const noexcept {
  const double cap_ms = static_cast<double>(std::max<long long>(cap.count(), 0));
  double b = static_cast<double>(std::max<long long>(base.count(), 0));
  // Multiply step by step so a huge attempt count saturates instead of overflowing.
  for (int i = 1; i < attempt && b < cap_ms; ++i) b *= std::max(multiplier, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(std::min(b, cap_ms)));
}

std::chrono::milliseconds RetrySchedule::delay(int attempt, double unit) const noexcept {
  const double u = std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<long long>(std::floor(static_cast<double>(bound(attempt).count()) * u)));
}

}  // namespace cardsync::queue
