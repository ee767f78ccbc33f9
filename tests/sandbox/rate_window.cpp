#include "sandbox/rate_window.hpp"

#include <algorithm>

namespace cardsync::sandbox {

RateWindow::RateWindow(std::uint32_t per_minute, Clock& clock)
    : per_minute_(per_minute), clock_(clock) {}

std::optional<std::chrono::seconds> RateWindow::try_acquire() {
  if (per_minute_ == 0) return std::nullopt;
  constexpr auto kWindow = std::chrono::minutes(1);
  std::lock_guard lock(mu_);
  auto now = clock_.now();
  while (!admitted_.empty() && admitted_.front() + kWindow <= now) admitted_.pop_front();
  if (admitted_.size() < per_minute_) {
    admitted_.push_back(now);
    return std::nullopt;
  }
  auto wait = std::chrono::ceil<std::chrono::seconds>(admitted_.front() + kWindow - now);
  return std::max(wait, std::chrono::seconds(1));
}

}  // namespace cardsync::sandbox
