#pragma once
// Decides, per request to an emulated upstream, which fault (if any) the server plays: an
// outage window, a 500/503, a 429, a hang, a body cut short, added latency. Also the seeded
// dice the APIs use for their own quirks (short pages, repeated items). Every emulated API
// gets the same faults from the same flags.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "time/clock.hpp"

namespace cardsync::sandbox {

enum class RetryAfterForm { kSeconds, kDate, kNone };

struct FaultOptions {
  double fail_rate = 0.0;        // share of requests answered 500 or 503 (half each)
  double throttle_rate = 0.0;    // share answered 429
  double hang_rate = 0.0;        // share accepted and never answered
  double truncate_rate = 0.0;    // share of successes whose body is cut short
  double repeat_rate = 0.0;      // share of pages that also carry the next page's first item
  double short_page_rate = 0.0;  // share of pages served with a smaller meta.limit than asked
  RetryAfterForm retry_after_form = RetryAfterForm::kSeconds;
  std::chrono::seconds retry_after{1};
  // Seconds since server start; a negative start means no outage.
  double outage_start = -1.0;
  double outage_duration = 0.0;
  std::chrono::milliseconds latency{0};
};

enum class FaultKind { kNone, kOutage, kServerError, kUnavailable, kThrottle, kHang };

struct FaultDecision {
  FaultKind kind = FaultKind::kNone;
  bool truncate = false;
  double truncate_at = 0.5;  // share of the body still sent
  std::chrono::milliseconds latency{0};
};

// Thread-safe. Outage windows and Retry-After dates follow the injected clock.
class FaultInjector {
 public:
  FaultInjector(std::uint64_t seed, FaultOptions options, Clock& clock);

  // Time zero for outage windows.
  void mark_start();
  FaultDecision decide();
  // One seeded draw: true with the given probability.
  bool roll(double probability);

  FaultOptions options() const;
  void set_options(const FaultOptions& options);
  void set_outage(double start_seconds, double duration_seconds);
  bool in_outage() const;
  double seconds_since_start() const;
  // The Retry-After value for a wait of `wait`, in the configured form; nullopt for "none".
  std::optional<std::string> retry_after_value(std::chrono::seconds wait) const;
  std::optional<std::string> retry_after_value() const;
  Clock& clock() const { return clock_; }

 private:
  bool in_outage_locked() const;
  double uniform_locked();

  Clock& clock_;
  mutable std::mutex mu_;
  FaultOptions options_;
  std::mt19937_64 rng_;
  Clock::SteadyTime start_;
};

}  // namespace cardsync::sandbox
