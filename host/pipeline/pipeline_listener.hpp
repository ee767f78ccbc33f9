#pragma once
// Turns resilience events into log lines and run counters: the one place their wording lives.

#include "log/logger.hpp"
#include "pipeline/run_stats.hpp"
#include "resilience/resilience_listener.hpp"

namespace cardsync::pipeline {

class PipelineListener final : public ResilienceListener {
 public:
  PipelineListener(log::Logger& logger, RunStats& stats) : logger_(logger), stats_(stats) {}

  void on_breaker_transition(const BreakerTransition& e) override;
  void on_attempt(const AttemptEvent& e) override;
  void on_retry(const RetryEvent& e) override;
  void on_throttle(const ThrottleEvent& e) override;

 private:
  log::Logger& logger_;
  RunStats& stats_;
};

}  // namespace cardsync::pipeline
