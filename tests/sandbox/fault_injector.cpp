#include "sandbox/fault_injector.hpp"

#include "sandbox/deterministic_hash.hpp"
#include "sandbox/http_date.hpp"

namespace cardsync::sandbox {

FaultInjector::FaultInjector(std::uint64_t seed, FaultOptions options, Clock& clock)
    : clock_(clock), options_(options), rng_(mix(seed, Facet::kFaultRng, 0)), start_(clock.now()) {}

void FaultInjector::mark_start() {
  std::lock_guard lock(mu_);
  start_ = clock_.now();
}

double FaultInjector::uniform_locked() {
  return unit_interval(rng_());
}

bool FaultInjector::in_outage_locked() const {
  if (options_.outage_start < 0 || options_.outage_duration <= 0) return false;
  double t = std::chrono::duration<double>(clock_.now() - start_).count();
  return t >= options_.outage_start && t < options_.outage_start + options_.outage_duration;
}

FaultDecision FaultInjector::decide() {
  std::lock_guard lock(mu_);
  FaultDecision d;
  d.latency = options_.latency;
  // Always the same number of draws, so one fault's rate never shifts another's sequence.
  double fail = uniform_locked();
  double which = uniform_locked();
  double throttle = uniform_locked();
  double hang = uniform_locked();
  double truncate = uniform_locked();
  double cut = uniform_locked();
  if (in_outage_locked()) {
    d.kind = FaultKind::kOutage;
  } else if (fail < options_.fail_rate) {
    d.kind = which < 0.5 ? FaultKind::kServerError : FaultKind::kUnavailable;
  } else if (throttle < options_.throttle_rate) {
    d.kind = FaultKind::kThrottle;
  } else if (hang < options_.hang_rate) {
    d.kind = FaultKind::kHang;
  } else if (truncate < options_.truncate_rate) {
    d.truncate = true;
    d.truncate_at = 0.1 + 0.8 * cut;
  }
  return d;
}

bool FaultInjector::roll(double probability) {
  std::lock_guard lock(mu_);
  return uniform_locked() < probability;
}

FaultOptions FaultInjector::options() const {
  std::lock_guard lock(mu_);
  return options_;
}

void FaultInjector::set_options(const FaultOptions& options) {
  std::lock_guard lock(mu_);
  options_ = options;
}

void FaultInjector::set_outage(double start_seconds, double duration_seconds) {
  std::lock_guard lock(mu_);
  options_.outage_start = start_seconds;
  options_.outage_duration = duration_seconds;
}

bool FaultInjector::in_outage() const {
  std::lock_guard lock(mu_);
  return in_outage_locked();
}

double FaultInjector::seconds_since_start() const {
  std::lock_guard lock(mu_);
  return std::chrono::duration<double>(clock_.now() - start_).count();
}

std::optional<std::string> FaultInjector::retry_after_value(std::chrono::seconds wait) const {
  RetryAfterForm form = options().retry_after_form;
  switch (form) {
    case RetryAfterForm::kSeconds:
      return std::to_string(wait.count());
    case RetryAfterForm::kDate:
      // Rounded up: an HTTP-date has whole seconds and must not promise less than `wait`.
      return http_date(clock_.wall() + wait + std::chrono::milliseconds(999));
    case RetryAfterForm::kNone:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> FaultInjector::retry_after_value() const {
  return retry_after_value(options().retry_after);
}

}  // namespace cardsync::sandbox
