#pragma once
// An enforced request limit over a sliding window (the injected clock's steady time), as an
// upstream's own rate limiter would apply it: JustTCG's per minute, YGOPRODeck's per second.

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
  // limit == 0: unlimited.
  RateWindow(std::uint32_t limit, Clock& clock,
             std::chrono::milliseconds window = std::chrono::minutes(1));

  // nullopt when admitted (and counted); otherwise the wait until a slot frees, rounded up
  // to whole seconds (at least 1).
  std::optional<std::chrono::seconds> try_acquire();
  std::uint32_t limit() const { return limit_; }

 private:
  std::uint32_t limit_;
  Clock& clock_;
  std::chrono::milliseconds window_;
  std::mutex mu_;
  std::deque<Clock::SteadyTime> admitted_;
};

}  // namespace cardsync::sandbox
