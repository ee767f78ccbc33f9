#include "sandbox/rate_window.hpp"

#include <algorithm>

namespace cardsync::sandbox {

RateWindow::RateWindow(std::uint32_t limit, Clock& clock, std::chrono::milliseconds window)
    : limit_(limit), clock_(clock), window_(window) {}

std::optional<std::chrono::seconds> RateWindow::try_acquire() {
  if (limit_ == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto now = clock_.now();
  while (!admitted_.empty() && admitted_.front() + window_ <= now) admitted_.pop_front();
  if (admitted_.size() < limit_) {
    admitted_.push_back(now);
    return std::nullopt;
  }
  auto wait = std::chrono::ceil<std::chrono::seconds>(admitted_.front() + window_ - now);
  return std::max(wait, std::chrono::seconds(1));
}

}  // namespace cardsync::sandbox
