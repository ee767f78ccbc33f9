#pragma once
// The one place that decides what a response means for retrying and for the breaker, so the
// two can never disagree about, say, a 404.

#include "http/http_response.hpp"
#include "resilience/circuit_breaker.hpp"

namespace cardsync {

// 408, 429 and 5xx except 501. Never 400, 401, 403, 404, 422 or any other 4xx.
bool is_retryable_status(int status) noexcept;
// Connect, reset and timeout. Never TLS, size, cancellation or malformed requests.
bool is_retryable_error(TransportError error) noexcept;

enum class AttemptVerdict {
  answered,   // an HTTP response the caller should see (2xx, 3xx, non-retryable 4xx/5xx)
  retryable,  // worth another attempt
  permanent,  // a transport error that another attempt would repeat
  cancelled,  // the caller gave up
};
AttemptVerdict classify_attempt(const HttpResponse& response) noexcept;

// 5xx (except 501), 408, 429 and network errors count against the service; other 4xx
// mean the service is up and answering.
BreakerOutcome breaker_outcome(const HttpResponse& response) noexcept;

}  // namespace cardsync
