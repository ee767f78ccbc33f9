#pragma once
// Waiting on another process: check a condition every few milliseconds until it holds or a
// bounded time has passed. Never a fixed sleep standing in for synchronisation.

#include <chrono>
#include <thread>

namespace cardsync::integration {

// Returns true as soon as `condition()` does, false once `timeout` has passed without it.
template <typename Condition>
bool poll_until(Condition&& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

}  // namespace cardsync::integration
