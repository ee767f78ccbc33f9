#pragma once
// Cooperative cancellation shared by a caller and the work it started: cancelling wakes every
// wait on the token at once (retry backoff, queue polls, shutdown).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace cardsync {

class CancellationToken {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool cancelled = false;
    // Callbacks not yet run, by registration id (ascending = registration order).
    std::map<std::uint64_t, std::function<void()>> callbacks;
    std::uint64_t next_id = 1;
    // The callback cancel() is running right now (0: none) and the thread running it.
    std::uint64_t running = 0;
    std::thread::id runner;
  };

 public:
  CancellationToken() : state_(std::make_shared<State>()) {}

  // Thread-safe; idempotent. Runs registered callbacks once, in registration order, outside
  // the lock. Callbacks must not throw.
  void cancel() const noexcept {
    std::unique_lock lock(state_->mu);
    if (state_->cancelled) return;
    state_->cancelled = true;
    state_->runner = std::this_thread::get_id();
    state_->cv.notify_all();
    while (!state_->callbacks.empty()) {
      auto node = state_->callbacks.extract(state_->callbacks.begin());
      state_->running = node.key();
      lock.unlock();
      node.mapped()();
      lock.lock();
      state_->running = 0;
      state_->cv.notify_all();
    }
  }
  bool cancelled() const {
    std::lock_guard lock(state_->mu);
    return state_->cancelled;
  }
  // Real-time wait; returns false when cancelled before `deadline`.
  bool wait_until(std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock lock(state_->mu);
    return !state_->cv.wait_until(lock, deadline, [&] { return state_->cancelled; });
  }

  // Runs `cb` on cancel (or now, if already cancelled) while the registration lives. Once the
  // destructor returns the callback is neither running nor will it run, so it may capture
  // the registering scope's locals (like std::stop_callback). Do not destroy a registration
  // while holding a lock its callback takes: the destructor may wait for that callback.
  class Registration {
   public:
    Registration() = default;
    Registration(std::shared_ptr<State> s, std::uint64_t id) : state_(std::move(s)), id_(id) {}
    Registration(Registration&& o) noexcept
        : state_(std::move(o.state_)), id_(std::exchange(o.id_, 0)) {}
    Registration& operator=(Registration&&) = delete;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    ~Registration() {
      if (!state_) return;
      std::unique_lock lock(state_->mu);
      if (state_->callbacks.erase(id_) > 0) return;
      // cancel() has taken the callback. If it is running on another thread, wait for it;
      // on this thread it is the callback itself dropping its registration.
      if (state_->runner != std::this_thread::get_id()) {
        state_->cv.wait(lock, [&] { return state_->running != id_; });
      }
    }

   private:
    std::shared_ptr<State> state_;
    std::uint64_t id_ = 0;
  };

  [[nodiscard]] Registration on_cancel(std::function<void()> cb) const {
    {
      std::lock_guard lock(state_->mu);
      if (!state_->cancelled) {
        const std::uint64_t id = state_->next_id++;
        state_->callbacks.emplace(id, std::move(cb));
        return {state_, id};
      }
    }
    cb();
    return {};
  }

 private:
  std::shared_ptr<State> state_;
};

}  // namespace cardsync
