#pragma once
// Events of the resilience layer. The host's logger and metrics subscribe here; this area
// never logs by itself, so tests can count events and the log format lives in one place.
// Every string in an event is already redacted. Views are valid only during the call.

#include <chrono>
#include <cstdint>
#include <string_view>

#include "http/transport_error.hpp"
#include "resilience/breaker_state.hpp"
#include "resilience/retry_later.hpp"
#include "time/clock.hpp"

namespace cardsync {

struct BreakerTransition {
  std::string_view service;
  BreakerState from;
  BreakerState to;
  Clock::SteadyTime at;
  Clock::WallTime wall_at;
  std::uint64_t generation;      // of the new state
  Clock::SteadyTime open_until;  // meaningful when to == open
};

struct AttemptEvent {
  std::string_view service;
  std::string_view request_id;
  std::string_view method;
  std::string_view url;  // redacted
  int attempt;           // 1-based
  int status;            // 0 when no response
  TransportError error;
  std::string_view error_message;  // redacted
  std::chrono::nanoseconds elapsed;
};

struct RetryEvent {
  std::string_view service;
  std::string_view request_id;
  int attempt;  // the attempt that failed; the next one is attempt + 1
  std::chrono::nanoseconds delay;
  bool from_retry_after;  // the server's Retry-After set the delay
  int status;
  TransportError error;
};

struct ThrottleEvent {
  std::string_view service;
  std::string_view request_id;
  RetryLater::Reason reason;
  Clock::SteadyTime until;
  Clock::WallTime wall_until;
};

class ResilienceListener {
 public:
  virtual ~ResilienceListener() = default;
  // Called exactly once per state change, while the breaker's lock is held (so events
  // arrive in order): keep it short and never call back into the breaker.
  virtual void on_breaker_transition(const BreakerTransition& event) { (void)event; }
  virtual void on_attempt(const AttemptEvent& event) { (void)event; }
  virtual void on_retry(const RetryEvent& event) { (void)event; }
  virtual void on_throttle(const ThrottleEvent& event) { (void)event; }
};

}  // namespace cardsync
