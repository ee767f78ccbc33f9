#pragma once
// Cooperative cancellation shared by a caller and the work it started: cancelling wakes every
// wait on the token at once (retry backoff, queue polls, shutdown).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

namespace cardsync {

class CancellationToken {
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool cancelled = false;
    std::list<std::function<void()>> callbacks;
  };

 public:
  CancellationToken() : state_(std::make_shared<State>()) {}

  // Thread-safe; idempotent. Runs registered callbacks once, outside the lock.
  void cancel() const {
    std::list<std::function<void()>> callbacks;
    {
      std::lock_guard lock(state_->mu);
      if (state_->cancelled) return;
      state_->cancelled = true;
      callbacks.swap(state_->callbacks);
    }
    state_->cv.notify_all();
    for (auto& cb : callbacks) cb();
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

  // Runs `cb` on cancel (or now, if already cancelled) while the registration lives.
  class Registration {
   public:
    Registration() = default;
    Registration(std::shared_ptr<State> s, std::list<std::function<void()>>::iterator it)
        : state_(std::move(s)), it_(it) {}
    Registration(Registration&& o) noexcept : state_(std::move(o.state_)), it_(o.it_) {}
    Registration& operator=(Registration&&) = delete;
    Registration(const Registration&) = delete;
    ~Registration() {
      if (!state_) return;
      std::lock_guard lock(state_->mu);
      if (!state_->cancelled) state_->callbacks.erase(it_);
    }

   private:
    std::shared_ptr<State> state_;
    std::list<std::function<void()>>::iterator it_;
  };

  [[nodiscard]] Registration on_cancel(std::function<void()> cb) const {
    {
      std::lock_guard lock(state_->mu);
      if (!state_->cancelled) {
        state_->callbacks.push_back(std::move(cb));
        return Registration(state_, std::prev(state_->callbacks.end()));
      }
    }
    cb();
    return {};
  }

 private:
  std::shared_ptr<State> state_;
};

}  // namespace cardsync
