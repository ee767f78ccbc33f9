#pragma once
// Caps the requests in flight to one service so a burst of workers cannot open more
// connections than the upstream tolerates; waiters leave at once on cancellation.

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "time/cancellation.hpp"

namespace cardsync {

class ConcurrencyLimiter {
 public:
  explicit ConcurrencyLimiter(int limit);

  enum class Acquire { acquired, cancelled, timed_out };
  // Waits for a free slot until `deadline` (real steady time: the slot is freed by real
  // network I/O) or until `cancel` fires. Thread-safe.
  Acquire acquire(const CancellationToken* cancel, std::chrono::steady_clock::time_point deadline);
  void release();

  int in_flight() const;
  int waiting() const;
  int limit() const { return limit_; }

 private:
  const int limit_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  int waiting_ = 0;
};

// Releases the slot when the request ends, whatever path it takes.
class ConcurrencySlot {
 public:
  explicit ConcurrencySlot(ConcurrencyLimiter& limiter) : limiter_(&limiter) {}
  ConcurrencySlot(const ConcurrencySlot&) = delete;
  ConcurrencySlot& operator=(const ConcurrencySlot&) = delete;
  ~ConcurrencySlot() { limiter_->release(); }

 private:
  ConcurrencyLimiter* limiter_;
};

}  // namespace cardsync
