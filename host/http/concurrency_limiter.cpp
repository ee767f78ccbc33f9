#include "http/concurrency_limiter.hpp"

#include <algorithm>
#include <optional>

namespace cardsync {

ConcurrencyLimiter::ConcurrencyLimiter(int limit) : limit_(std::max(1, limit)) {}

ConcurrencyLimiter::Acquire ConcurrencyLimiter::acquire(
    const CancellationToken* cancel, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (in_flight_ < limit_) {
    ++in_flight_;
    return Acquire::acquired;
  }
  std::optional<CancellationToken::Registration> registration;
  if (cancel != nullptr) {
    lock.unlock();
    // The callback takes the lock so a cancel cannot slip between the predicate check and
    // the wait (a lost wake-up).
    registration.emplace(cancel->on_cancel([this] {
      std::lock_guard inner(mu_);
      cv_.notify_all();
    }));
    lock.lock();
  }
  ++waiting_;
  auto cancelled = [&] { return cancel != nullptr && cancel->cancelled(); };
  bool got = cv_.wait_until(lock, deadline, [&] { return cancelled() || in_flight_ < limit_; });
  --waiting_;
  if (cancelled() || !got) {
    // A release may have picked this waiter; pass the wake-up on so no slot goes unused.
    if (in_flight_ < limit_) cv_.notify_one();
    return cancelled() ? Acquire::cancelled : Acquire::timed_out;
  }
  ++in_flight_;
  return Acquire::acquired;
}

void ConcurrencyLimiter::release() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  cv_.notify_one();
}

int ConcurrencyLimiter::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}

int ConcurrencyLimiter::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace cardsync
