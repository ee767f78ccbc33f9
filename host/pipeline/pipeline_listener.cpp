#include "pipeline/pipeline_listener.hpp"

#include <string>

namespace cardsync::pipeline {

void PipelineListener::on_breaker_transition(const BreakerTransition& e) {
  if (e.to == BreakerState::open) {
    stats_.breaker_opens.fetch_add(1, std::memory_order_relaxed);
    stats_.breaker_opens_by_service.add({e.service});
  }
  logger_.warn("circuit breaker changed state", {},
               {{"service", e.service},
                {"from", to_string(e.from)},
                {"to", to_string(e.to)},
                {"generation", static_cast<int64_t>(e.generation)}});
}

void PipelineListener::on_attempt(const AttemptEvent& e) {
  stats_.requests.fetch_add(1, std::memory_order_relaxed);
  stats_.http_requests.add(e.service, e.status);
  if (!logger_.enabled(log::Level::debug)) return;
  logger_.debug("upstream request", e.request_id,
                {{"service", e.service},
                 {"method", e.method},
                 {"url", e.url},
                 {"attempt", e.attempt},
                 {"status", e.status},
                 {"error", to_string(e.error)},
                 {"ms", std::chrono::duration<double, std::milli>(e.elapsed).count()}});
}

void PipelineListener::on_retry(const RetryEvent& e) {
  stats_.retries.fetch_add(1, std::memory_order_relaxed);
  stats_.retries_by_service.add({e.service});
  if (!logger_.enabled(log::Level::debug)) return;
  logger_.debug("retrying upstream request", e.request_id,
                {{"service", e.service},
                 {"attempt", e.attempt},
                 {"status", e.status},
                 {"error", to_string(e.error)},
                 {"delay_ms", std::chrono::duration<double, std::milli>(e.delay).count()},
                 {"retry_after", e.from_retry_after}});
}

void PipelineListener::on_throttle(const ThrottleEvent& e) {
  stats_.throttles.fetch_add(1, std::memory_order_relaxed);
  stats_.throttles_by_service.add({e.service, to_string(e.reason)});
  logger_.info("upstream asked us to come back later", e.request_id,
               {{"service", e.service}, {"reason", to_string(e.reason)}});
}

}  // namespace cardsync::pipeline
