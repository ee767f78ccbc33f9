#pragma once
// The result of one resilient call: the response, a "come back at T" (the job is snoozed
// without spending an attempt), or a typed failure saying how many requests were made, why
// it stopped and what the last attempt hit.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http/http_response.hpp"
#include "resilience/retry_later.hpp"

namespace cardsync {

enum class StopReason {
  not_retryable,           // a transport error another attempt would repeat (TLS, size)
  attempts_exhausted,      // max_retries + 1 requests all failed retryably
  deadline_exceeded,       // the next wait or attempt would pass the call's deadline
  retry_budget_exhausted,  // the service's retry budget is spent (an outage)
  cancelled,               // the caller's token fired
};

constexpr std::string_view to_string(StopReason r) noexcept {
  switch (r) {
    case StopReason::not_retryable:
      return "not_retryable";
    case StopReason::attempts_exhausted:
      return "attempts_exhausted";
    case StopReason::deadline_exceeded:
      return "deadline_exceeded";
    case StopReason::retry_budget_exhausted:
      return "retry_budget_exhausted";
    case StopReason::cancelled:
      return "cancelled";
  }
  return "not_retryable";
}

struct FailureCause {
  int status = 0;  // 0 when no response arrived
  TransportError error = TransportError::none;
  std::string message;  // redacted
};

struct CallFailed {
  int attempts = 0;  // requests that reached the transport
  StopReason stop = StopReason::not_retryable;
  FailureCause last_cause;
  // Whether the job may succeed later (schedule another attempt) rather than being bad.
  bool retryable = false;
  std::optional<HttpResponse> last_response;  // the last HTTP response, if one arrived
};

using CallOutcome = std::variant<HttpResponse, RetryLater, CallFailed>;

// One line for people: the attempts, why it stopped, the last status and cause.
std::string describe(const CallFailed& failed);

}  // namespace cardsync
