#pragma once
// Per-service circuit breaker. Closed: calls pass and results are counted. Open: calls are
// rejected at once with the time the breaker will next admit one. Half-open: exactly
// `half_open_probes` calls are admitted as probes; all succeeding closes it, one failing (or
// one hanging past probe_timeout) reopens it with the open period doubled up to a cap.
//
// Every admission carries the generation (state change counter) it was made under; a result
// reported under another generation is ignored, so a slow call from before an opening cannot
// close or re-open the breaker. Time advances only when the breaker is asked (no timer
// thread): the open -> half-open and hung-probe transitions happen on the next admit().
//
// The closed-admit and open-reject paths read two atomics and the clock: no lock, no heap.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "resilience/breaker_state.hpp"
#include "resilience/resilience_listener.hpp"
#include "time/clock.hpp"

namespace cardsync {

struct BreakerOptions {
  int consecutive_failures = 5;
  double failure_rate = 0.5;  // opens at >= this share of failures in the window...
  int minimum_calls = 20;     // ...once the window holds at least this many calls
  std::chrono::milliseconds window{30'000};
  std::chrono::milliseconds open_period{120'000};
  std::chrono::milliseconds max_open_period{600'000};
  int half_open_probes = 1;
  // A probe without a result after this long counts as failed.
  std::chrono::milliseconds probe_timeout{60'000};

  friend bool operator==(const BreakerOptions&, const BreakerOptions&) = default;
};

// What a call did, as far as the service's health is concerned.
enum class BreakerOutcome {
  success,  // includes 4xx other than 408/429: the service answered sanely
  failure,  // 5xx, 408, 429, connect/reset/timeout/TLS errors
  ignored,  // cancelled by the caller, or otherwise says nothing about the service
};

// Trivially copyable: rejections allocate nothing.
struct BreakerAdmission {
  bool admitted = false;
  bool probe = false;
  int probe_slot = -1;
  std::uint64_t generation = 0;
  Clock::SteadyTime retry_at{};  // when rejected: the earliest time worth trying again
};

struct BreakerSnapshot {
  std::string service;
  BreakerState state = BreakerState::closed;
  std::uint64_t generation = 0;
  Clock::SteadyTime open_until{};
  std::chrono::milliseconds open_period{};  // the next (or current) open period
  int consecutive_failures = 0;
  int window_calls = 0;
  int window_failures = 0;
};

class CircuitBreaker {
 public:
  CircuitBreaker(std::string service, Clock& clock, BreakerOptions options = {},
                 ResilienceListener* listener = nullptr);
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // Thread-safe. A rejection is not a failure: do not record it.
  BreakerAdmission admit() noexcept;
  // Thread-safe. Reports the result of an admitted call exactly once.
  void record(const BreakerAdmission& admission, BreakerOutcome outcome) noexcept;

  BreakerState state() const noexcept;
  // When open: the end of the open period (no admission is made). Lock-free.
  std::optional<Clock::SteadyTime> open_until() const noexcept;
  BreakerSnapshot snapshot() const;
  const std::string& service() const noexcept { return service_; }
  const BreakerOptions& options() const noexcept { return options_; }

 private:
  struct Bucket {
    std::int64_t index = -1;
    int calls = 0;
    int failures = 0;
  };
  enum class ProbeSlot : std::uint8_t { free, in_flight, succeeded };

  BreakerAdmission admit_slow() noexcept;
  BreakerAdmission reject(Clock::SteadyTime retry_at) const noexcept;
  void transition(BreakerState to, Clock::SteadyTime now);
  void open_after_failed_probe(Clock::SteadyTime now);
  void count_in_window(Clock::SteadyTime now, bool failure);
  void window_totals(Clock::SteadyTime now, int& calls, int& failures) const;
  void reset_counts();

  static constexpr std::uint64_t kStateMask = 3;
  static BreakerState state_of(std::uint64_t word) noexcept {
    return static_cast<BreakerState>(word & kStateMask);
  }
  static std::uint64_t generation_of(std::uint64_t word) noexcept { return word >> 2; }

  const std::string service_;
  Clock& clock_;
  const BreakerOptions options_;
  ResilienceListener* const listener_;

  // generation << 2 | state; written under mu_, read lock-free on the hot paths.
  std::atomic<std::uint64_t> word_{0};
  // Nanoseconds since the steady epoch; stored before word_ so a reader that sees `open`
  // also sees its end.
  std::atomic<std::int64_t> open_until_{0};

  mutable std::mutex mu_;
  std::chrono::nanoseconds open_period_;
  int consecutive_failures_ = 0;
  std::chrono::nanoseconds bucket_width_;
  std::vector<Bucket> buckets_;
  std::vector<ProbeSlot> probe_slots_;
  std::vector<Clock::SteadyTime> probe_started_;
};

}  // namespace cardsync
