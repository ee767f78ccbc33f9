#include "resilience/resilient_client.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "resilience/backoff.hpp"
#include "resilience/failure_classification.hpp"
#include "resilience/retry_after.hpp"
#include "secrets/redaction.hpp"

namespace cardsync {
namespace {

using Duration = Clock::SteadyTime::duration;

FailureCause cause_of(const HttpResponse& r) {
  FailureCause c{r.status, r.error, r.error_message};
  if (c.message.empty() && r.has_response()) c.message = "HTTP " + std::to_string(r.status);
  return c;
}

std::string seconds_text(std::chrono::nanoseconds d) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.1f s", std::chrono::duration<double>(d).count());
  return buf.data();
}

}  // namespace

ResilientClient::ResilientClient(Transport& transport, Clock& clock, RandomSource& random,
                                 ResilienceListener* listener, const ResilienceOptions& defaults)
    : transport_(transport),
      clock_(clock),
      random_(random),
      listener_(listener),
      defaults_(defaults),
      breakers_(clock, listener) {}

void ResilientClient::configure(std::string_view service, const ResilienceOptions& options) {
  {
    std::shared_lock lock(mu_);
    auto it = services_.find(service);
    if (it != services_.end()) {
      if (it->second->options == options) return;
      throw std::logic_error("resilience options for '" + std::string(service) +
                             "' set after it started");
    }
  }
  transport_.configure_service(service, options.http);
  (void)create(service, options, true);
}

ResilientClient::Service& ResilientClient::create(std::string_view name,
                                                  const ResilienceOptions& options, bool strict) {
  std::unique_lock lock(mu_);
  auto it = services_.find(name);
  if (it != services_.end()) {
    // A concurrent configure() or first call got there first.
    if (strict && !(it->second->options == options)) {
      throw std::logic_error("resilience options for '" + std::string(name) +
                             "' set after it started");
    }
    return *it->second;
  }
  CircuitBreaker& breaker = breakers_.get(name, options.breaker);
  auto svc = std::make_unique<Service>(options, breaker, clock_);
  return *services_.emplace(std::string(name), std::move(svc)).first->second;
}

ResilientClient::Service& ResilientClient::service(std::string_view name) {
  {
    std::shared_lock lock(mu_);
    auto it = services_.find(name);
    if (it != services_.end()) return *it->second;
  }
  return create(name, defaults_, false);
}

std::vector<std::string> ResilientClient::services() {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  out.reserve(services_.size());
  for (const auto& [name, svc] : services_) out.push_back(name);
  return out;
}

Pacer& ResilientClient::pacer(std::string_view name) {
  return service(name).pacer;
}
RetryBudget& ResilientClient::retry_budget(std::string_view name) {
  return service(name).budget;
}

void ResilientClient::report_rate_limit(std::string_view name, double requests_per_minute) {
  service(name).pacer.tighten(requests_per_minute);
}

void ResilientClient::report_daily_remaining(std::string_view name, std::int64_t remaining) {
  service(name).pacer.report_daily_remaining(remaining);
}

RetryLater ResilientClient::retry_later(const Service& svc, const CallOptions& call,
                                        RetryLater::Reason reason, Clock::SteadyTime at,
                                        std::string detail) {
  RetryLater r = RetryLater::make(clock_, reason, at, std::move(detail));
  if (listener_ != nullptr) {
    listener_->on_throttle(
        ThrottleEvent{svc.breaker.service(), call.request_id, reason, r.at, r.wall_at});
  }
  return r;
}

CallOutcome ResilientClient::execute(const HttpRequest& request, const CallOptions& call) {
  Service& svc = service(call.service);
  const RetryOptions& ro = svc.options.retry;
  const auto start = clock_.now();
  const auto deadline = call.deadline != Clock::SteadyTime::max()
                            ? call.deadline
                            : start + std::chrono::duration_cast<Duration>(ro.deadline);
  const std::string url = redact_url(request.url);
  const TransportContext context{call.service, call.request_id, deadline, &call.cancel};

  int attempts = 0;
  FailureCause last{0, TransportError::none, "no request was sent"};
  std::optional<HttpResponse> last_response;
  auto failed = [&](StopReason stop, bool retryable) {
    return CallFailed{attempts, stop, last, retryable, std::move(last_response)};
  };

  for (;;) {
    if (call.cancel.cancelled()) return failed(StopReason::cancelled, true);
    if (clock_.now() >= deadline) return failed(StopReason::deadline_exceeded, true);

    const Pacer::Permit permit = svc.pacer.acquire(call.cancel, deadline);
    if (permit.kind == Pacer::Permit::Kind::cancelled) {
      return failed(StopReason::cancelled, true);
    }
    if (permit.kind == Pacer::Permit::Kind::retry_later) {
      return retry_later(svc, call, permit.reason, permit.retry_at,
                         permit.reason == RetryLater::Reason::quota
                             ? "daily quota spent until 00:00 UTC"
                             : "pacing wait beyond the per-call limit");
    }
    const BreakerAdmission admission = svc.breaker.admit();
    if (!admission.admitted) {
      svc.pacer.refund();
      return retry_later(svc, call, RetryLater::Reason::breaker_open, admission.retry_at,
                         "circuit breaker open for " + svc.breaker.service());
    }

    ++attempts;
    const auto sent = clock_.now();
    HttpResponse response;
    try {
      response = transport_.perform(request, context);
    } catch (...) {
      // Free a probe slot at once rather than leaving it to the hung-probe timeout.
      svc.breaker.record(admission, BreakerOutcome::ignored);
      throw;
    }
    svc.breaker.record(admission, breaker_outcome(response));
    if (listener_ != nullptr) {
      listener_->on_attempt(AttemptEvent{call.service, call.request_id, request.method, url,
                                         attempts, response.status, response.error,
                                         response.error_message, clock_.now() - sent});
    }

    switch (classify_attempt(response)) {
      case AttemptVerdict::answered:
        svc.budget.on_success();
        return response;
      case AttemptVerdict::cancelled:
        last = cause_of(response);
        return failed(StopReason::cancelled, true);
      case AttemptVerdict::permanent:
        last = cause_of(response);
        return failed(StopReason::not_retryable, false);
      case AttemptVerdict::retryable:
        break;
    }
    // On a service with a daily quota a 429 most likely says the day's calls are spent:
    // retrying would only spend more of them. The provider, which knows what this API's 429
    // means, is shown it at once and reports the quota it implies (see JobRunner).
    if (response.has_response() && response.status == 429 && svc.options.pacing.daily_quota > 0) {
      return response;
    }

    last = cause_of(response);
    const bool throttled = response.has_response() && response.status == 429;
    std::optional<std::chrono::seconds> retry_after;
    if (auto header = response.headers.find("Retry-After")) {
      retry_after = parse_retry_after(*header, clock_.wall());
    }
    if (response.has_response()) last_response = std::move(response);

    const auto backoff = backoff_delay(ro, attempts, random_.uniform());
    const std::chrono::nanoseconds wait =
        std::max<std::chrono::nanoseconds>(backoff, retry_after.value_or(std::chrono::seconds(0)));
    const auto now = clock_.now();
    const auto wake = now + std::chrono::duration_cast<Duration>(wait);
    // Longer than one call may hold a worker (a far Retry-After): snooze the job instead.
    if (wait > ro.max_wait) {
      return retry_later(svc, call, RetryLater::Reason::throttled, wake,
                         "wait of " + seconds_text(wait) + " exceeds the per-call limit");
    }
    // Persistent 429s are throttling, not a fault of the job: snooze rather than fail.
    auto give_up = [&](StopReason stop) -> CallOutcome {
      if (throttled) {
        return retry_later(svc, call, RetryLater::Reason::throttled, wake,
                           "still throttled (429) after " + std::to_string(attempts) + " requests");
      }
      return failed(stop, true);
    };
    if (attempts > ro.max_retries) return give_up(StopReason::attempts_exhausted);
    // This failure (or a concurrent caller's) opened the breaker: the next attempt would be
    // rejected, so snooze now rather than sleep first.
    if (const auto until = svc.breaker.open_until()) {
      return retry_later(svc, call, RetryLater::Reason::breaker_open, std::max(*until, wake),
                         "circuit breaker open for " + svc.breaker.service());
    }
    if (wake >= deadline) return give_up(StopReason::deadline_exceeded);
    if (!svc.budget.try_spend()) return give_up(StopReason::retry_budget_exhausted);

    if (listener_ != nullptr) {
      listener_->on_retry(RetryEvent{call.service, call.request_id, attempts, wait,
                                     retry_after.has_value() && *retry_after >= backoff,
                                     last.status, last.error});
    }
    if (!clock_.sleep_until(wake, call.cancel)) return failed(StopReason::cancelled, true);
  }
}

}  // namespace cardsync
