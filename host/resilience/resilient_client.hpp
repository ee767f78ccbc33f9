#pragma once
// One upstream call with the host's full behaviour: for each attempt, pacing (rate and daily
// quota) -> circuit breaker -> transport, and around the attempts, retry with backoff and
// Retry-After, a retry budget, an overall deadline and cancellation. Providers never see any
// of it; they get a response, a "retry later at T" or a typed failure. One exception: on a
// service with a daily quota (pacing.daily_quota > 0) a 429 is not retried but returned, so
// the provider can say whether it means the day's calls are spent.

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_request.hpp"
#include "http/transport.hpp"
#include "resilience/call_outcome.hpp"
#include "resilience/circuit_breaker_registry.hpp"
#include "resilience/pacer.hpp"
#include "resilience/random_source.hpp"
#include "resilience/resilience_listener.hpp"
#include "resilience/resilience_options.hpp"
#include "resilience/retry_budget.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync {

struct CallOptions {
  std::string_view service;     // breaker, pacing, budget and connection pool key
  std::string_view request_id;  // sent as X-Request-Id, carried in events
  // Absolute end of the whole call; max() means now + retry.deadline.
  Clock::SteadyTime deadline = Clock::SteadyTime::max();
  CancellationToken cancel;
};

class ResilientClient {
 public:
  // `transport`, `clock`, `random` and `listener` (may be null) must outlive the client.
  // `defaults` apply to services never passed to configure().
  ResilientClient(Transport& transport, Clock& clock, RandomSource& random,
                  ResilienceListener* listener = nullptr, const ResilienceOptions& defaults = {});

  // Sets a service's options (and its transport options) before its first call. Throws
  // std::logic_error if the service is already in use with other options.
  void configure(std::string_view service, const ResilienceOptions& options);

  // Thread-safe. Never sleeps longer than the retry/pacing max_wait at a time, never past
  // the deadline, and returns at once when `call.cancel` fires.
  CallOutcome execute(const HttpRequest& request, const CallOptions& call);

  // Provider feedback from response bodies (e.g. a per-minute limit reported in the body).
  void report_rate_limit(std::string_view service, double requests_per_minute);
  void report_daily_remaining(std::string_view service, std::int64_t remaining);

  CircuitBreakerRegistry& breakers() { return breakers_; }
  // Every service configured or called so far, sorted (the admin API lists them).
  std::vector<std::string> services();
  Pacer& pacer(std::string_view service);
  RetryBudget& retry_budget(std::string_view service);

 private:
  struct Service {
    Service(const ResilienceOptions& o, CircuitBreaker& b, Clock& clock)
        : options(o), breaker(b), budget(o.retry_budget), pacer(clock, o.pacing) {}
    const ResilienceOptions options;
    CircuitBreaker& breaker;
    RetryBudget budget;
    Pacer pacer;
  };
  Service& service(std::string_view name);
  Service& create(std::string_view name, const ResilienceOptions& options, bool strict);
  RetryLater retry_later(const Service& svc, const CallOptions& call, RetryLater::Reason reason,
                         Clock::SteadyTime at, std::string detail);

  Transport& transport_;
  Clock& clock_;
  RandomSource& random_;
  ResilienceListener* listener_;
  const ResilienceOptions defaults_;
  CircuitBreakerRegistry breakers_;
  std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<Service>, std::less<>> services_;
};

}  // namespace cardsync
