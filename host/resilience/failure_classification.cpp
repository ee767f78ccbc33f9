#include "resilience/failure_classification.hpp"

namespace cardsync {

bool is_retryable_status(int status) noexcept {
  if (status == 408 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501;
}

bool is_retryable_error(TransportError error) noexcept {
  switch (error) {
    case TransportError::connect:
    case TransportError::reset:
    case TransportError::timeout:
      return true;
    case TransportError::none:
    case TransportError::tls:
    case TransportError::too_large:
    case TransportError::cancelled:
    case TransportError::invalid_request:
    case TransportError::other:
      return false;
  }
  return false;
}

AttemptVerdict classify_attempt(const HttpResponse& response) noexcept {
  if (response.has_response()) {
    return is_retryable_status(response.status) ? AttemptVerdict::retryable
                                                : AttemptVerdict::answered;
  }
  if (response.error == TransportError::cancelled) return AttemptVerdict::cancelled;
  return is_retryable_error(response.error) ? AttemptVerdict::retryable : AttemptVerdict::permanent;
}

BreakerOutcome breaker_outcome(const HttpResponse& response) noexcept {
  switch (response.error) {
    case TransportError::none:
      return is_retryable_status(response.status) ? BreakerOutcome::failure
                                                  : BreakerOutcome::success;
    case TransportError::connect:
    case TransportError::reset:
    case TransportError::timeout:
    case TransportError::tls:
    case TransportError::other:
      return BreakerOutcome::failure;
    case TransportError::too_large:
    case TransportError::cancelled:
    case TransportError::invalid_request:
      return BreakerOutcome::ignored;
  }
  return BreakerOutcome::ignored;
}

}  // namespace cardsync
