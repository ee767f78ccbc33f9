#pragma once
// An enforced requests-per-minute limit over a sliding 60-second window (the injected clock's
// steady time), as an upstream's own rate limiter would apply it.

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "time/clock.hpp"

namespace cardsync::sandbox {

// Thread-safe.
class RateWindow {
 public:
  // per_minute == 0: unlimited.
  RateWindow(std::uint32_t per_minute, Clock& clock);

  // nullopt when admitted (and counted); otherwise the wait until a slot frees, rounded up
  // to whole seconds (at least 1).
  std::optional<std::chrono::seconds> try_acquire();
  std::uint32_t limit() const { return per_minute_; }

 private:
  std::uint32_t per_minute_;
  Clock& clock_;
  std::mutex mu_;
  std::deque<Clock::SteadyTime> admitted_;
};

}  // namespace cardsync::sandbox
