#pragma once
// The seam between resilience logic and the wire: the curl client implements it in
// production, a fake implements it in tests, so retry, breaker and pacing run in virtual time.

#include <string_view>

#include "http/http_client_options.hpp"
#include "http/http_request.hpp"
#include "http/http_response.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync {

struct TransportContext {
  std::string_view service;     // selects connection pool, limits and options
  std::string_view request_id;  // sent as X-Request-Id unless the request sets one
  // The attempt must return by then (as TransportError::timeout if need be).
  Clock::SteadyTime deadline = Clock::SteadyTime::max();
  const CancellationToken* cancel = nullptr;  // may be null: not cancellable
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Thread-safe. Never throws for network conditions: they come back as
  // HttpResponse::error.
  virtual HttpResponse perform(const HttpRequest& request, const TransportContext& context) = 0;
  // Per-service timeouts, size limit and concurrency. Call before the service's first
  // request; transports without such knobs ignore it.
  virtual void configure_service(std::string_view service, const HttpClientOptions& options) {
    (void)service;
    (void)options;
  }
};

}  // namespace cardsync
