#pragma once
// A Transport for virtual-time tests: answers from a script, records when each request
// arrived, and models latency through the injected clock while honouring the context's
// deadline like a real transport (returning a timeout when the deadline cuts it short).

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/transport.hpp"
#include "resilience/resilience_listener.hpp"
#include "time/clock.hpp"

namespace cardsync::testing {

inline HttpResponse status_response(int status, HttpHeaders headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.body = "status " + std::to_string(status);
  return r;
}

inline HttpResponse error_response(TransportError e) {
  HttpResponse r;
  r.error = e;
  r.error_message = std::string("simulated ") + std::string(to_string(e));
  return r;
}

class FakeTransport final : public Transport {
 public:
  // `n` is the 0-based index of the request.
  using Script = std::function<HttpResponse(int n, const HttpRequest&, const TransportContext&)>;

  explicit FakeTransport(Clock& clock) : clock_(clock) {}

  void script(Script s) {
    std::lock_guard lock(mu_);
    script_ = std::move(s);
  }
  void always(const HttpResponse& r) {
    script([r](int, const HttpRequest&, const TransportContext&) { return r; });
  }
  void latency(std::chrono::nanoseconds d) { latency_ = d; }

  HttpResponse perform(const HttpRequest& request, const TransportContext& context) override {
    int n = 0;
    Script s;
    {
      std::lock_guard lock(mu_);
      n = static_cast<int>(arrivals_.size());
      arrivals_.push_back(clock_.now());
      deadlines_.push_back(context.deadline);
      s = script_;
    }
    calls_.fetch_add(1);
    if (latency_.count() > 0) {
      const auto done = clock_.now() + latency_;
      const CancellationToken never;
      if (done > context.deadline) {
        clock_.sleep_until(context.deadline, context.cancel ? *context.cancel : never);
        return error_response(TransportError::timeout);
      }
      clock_.sleep_until(done, context.cancel ? *context.cancel : never);
    }
    return s ? s(n, request, context) : status_response(200);
  }

  int calls() const { return calls_.load(); }
  std::vector<Clock::SteadyTime> arrivals() const {
    std::lock_guard lock(mu_);
    return arrivals_;
  }
  std::vector<Clock::SteadyTime> deadlines() const {
    std::lock_guard lock(mu_);
    return deadlines_;
  }

 private:
  Clock& clock_;
  mutable std::mutex mu_;
  Script script_;
  std::chrono::nanoseconds latency_{0};
  std::atomic<int> calls_{0};
  std::vector<Clock::SteadyTime> arrivals_;
  std::vector<Clock::SteadyTime> deadlines_;
};

// Counts every event and keeps breaker transitions in order.
class RecordingListener final : public ResilienceListener {
 public:
  struct Transition {
    std::string service;
    BreakerState from;
    BreakerState to;
    Clock::SteadyTime at;
    Clock::SteadyTime open_until;
  };
  void on_breaker_transition(const BreakerTransition& e) override {
    std::lock_guard lock(mu_);
    transitions_.push_back({std::string(e.service), e.from, e.to, e.at, e.open_until});
  }
  void on_attempt(const AttemptEvent& e) override {
    std::lock_guard lock(mu_);
    attempt_urls_.emplace_back(e.url);
    attempt_messages_.emplace_back(e.error_message);
  }
  struct Retry {
    int attempt;
    std::chrono::nanoseconds delay;
    bool from_retry_after;
    int status;
  };
  void on_retry(const RetryEvent& e) override {
    std::lock_guard lock(mu_);
    retries_.push_back({e.attempt, e.delay, e.from_retry_after, e.status});
  }
  void on_throttle(const ThrottleEvent& e) override {
    std::lock_guard lock(mu_);
    throttles_.push_back(e.reason);
  }
  std::vector<Transition> transitions() const {
    std::lock_guard lock(mu_);
    return transitions_;
  }
  std::vector<std::string> attempt_urls() const {
    std::lock_guard lock(mu_);
    return attempt_urls_;
  }
  std::vector<std::string> attempt_messages() const {
    std::lock_guard lock(mu_);
    return attempt_messages_;
  }
  std::vector<Retry> retries() const {
    std::lock_guard lock(mu_);
    return retries_;
  }
  std::vector<RetryLater::Reason> throttles() const {
    std::lock_guard lock(mu_);
    return throttles_;
  }
  int count(BreakerState to) const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& t : transitions_) n += t.to == to ? 1 : 0;
    return n;
  }
  void clear() {
    std::lock_guard lock(mu_);
    transitions_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Transition> transitions_;
  std::vector<std::string> attempt_urls_;
  std::vector<std::string> attempt_messages_;
  std::vector<Retry> retries_;
  std::vector<RetryLater::Reason> throttles_;
};

}  // namespace cardsync::testing
