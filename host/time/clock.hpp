#pragma once
// Every piece of timing logic takes a Clock so tests run in virtual time (ManualClock) and
// production uses SystemClock. Waits go through the clock too, so a test never sleeps.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "time/cancellation.hpp"

namespace cardsync {

class Clock {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;
  // Monotonic time: for intervals, deadlines and timeouts.
  virtual SteadyTime now() const = 0;
  // Calendar time: for log timestamps, HTTP dates and quota resets.
  virtual WallTime wall() const = 0;
  // Blocks until `deadline` or until `cancel` fires, whichever is first.
  // Returns false when cancelled. Thread-safe.
  virtual bool sleep_until(SteadyTime deadline, const CancellationToken& cancel) = 0;

  bool sleep_for(std::chrono::nanoseconds d, const CancellationToken& cancel) {
    return sleep_until(now() + d, cancel);
  }
};

class SystemClock final : public Clock {
 public:
  SteadyTime now() const override { return std::chrono::steady_clock::now(); }
  WallTime wall() const override { return std::chrono::system_clock::now(); }
  bool sleep_until(SteadyTime deadline, const CancellationToken& cancel) override {
    return cancel.wait_until(deadline);
  }
  // One process-wide instance; stateless, so shared freely.
  static SystemClock& instance() {
    static SystemClock clock;
    return clock;
  }
};

// Virtual time. In `auto_advance` mode a sleep jumps the clock to its deadline at once (for
// single-threaded tests of retry loops); otherwise sleepers block until advance() passes
// their deadline, which lets multi-threaded tests release many waiters at one instant.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(bool auto_advance = false,
                       WallTime wall_origin = WallTime{std::chrono::hours(24 * 365 * 56)})
      : auto_advance_(auto_advance), wall_origin_(wall_origin) {}

  SteadyTime now() const override {
    std::lock_guard lock(mu_);
    return SteadyTime{elapsed_};
  }
  // wall_origin at construction, then moving in step with now().
  WallTime wall() const override {
    std::lock_guard lock(mu_);
    return wall_origin_ + std::chrono::duration_cast<WallTime::duration>(elapsed_ - kSteadyStart);
  }
  bool sleep_until(SteadyTime deadline, const CancellationToken& cancel) override {
    if (auto_advance_) {
      std::lock_guard lock(mu_);
      if (cancel.cancelled()) return false;
      if (deadline.time_since_epoch() > elapsed_) elapsed_ = deadline.time_since_epoch();
      ++sleeps_;
      return true;
    }
    // Registered before taking mu_: on an already-cancelled token on_cancel runs the callback
    // inline, and the callback takes mu_. Declared before `lock` so it is destroyed after the
    // lock is released, because its destructor may wait for a callback that needs mu_.
    auto registration = cancel.on_cancel([this] {
      std::lock_guard inner(mu_);
      cv_.notify_all();
    });
    std::unique_lock lock(mu_);
    ++sleepers_;
    cv_.wait(lock, [&] { return cancel.cancelled() || elapsed_ >= deadline.time_since_epoch(); });
    --sleepers_;
    ++sleeps_;
    return !cancel.cancelled();
  }

  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    elapsed_ += d;
    cv_.notify_all();
  }
  // Threads currently blocked in sleep_until (non-auto mode); lets tests wait for waiters.
  int sleepers() const {
    std::lock_guard lock(mu_);
    return sleepers_;
  }
  // Completed sleeps, for asserting that code did or did not wait.
  long sleeps() const {
    std::lock_guard lock(mu_);
    return sleeps_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Steady time starts past zero so `now() - some_interval` never precedes the epoch.
  static constexpr std::chrono::nanoseconds kSteadyStart = std::chrono::hours(1);
  std::chrono::nanoseconds elapsed_{kSteadyStart};
  bool auto_advance_;
  WallTime wall_origin_;
  int sleepers_ = 0;
  long sleeps_ = 0;
};

}  // namespace cardsync
