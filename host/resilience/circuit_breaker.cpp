#include "resilience/circuit_breaker.hpp"

#include <algorithm>

namespace cardsync {
namespace {

// The sliding window is kept as this many buckets: the rate is exact to within one bucket
// width, at a constant cost per call.
constexpr int kBuckets = 20;

std::int64_t ticks(Clock::SteadyTime t) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

Clock::SteadyTime from_ticks(std::int64_t n) noexcept {
  return Clock::SteadyTime(
      std::chrono::duration_cast<Clock::SteadyTime::duration>(std::chrono::nanoseconds(n)));
}

}  // namespace

CircuitBreaker::CircuitBreaker(std::string service, Clock& clock, BreakerOptions options,
                               ResilienceListener* listener)
    : service_(std::move(service)),
      clock_(clock),
      options_(options),
      listener_(listener),
      open_period_(options.open_period),
      bucket_width_(std::max<std::chrono::nanoseconds>(
          std::chrono::nanoseconds(1),
          std::chrono::duration_cast<std::chrono::nanoseconds>(options.window) / kBuckets)),
      buckets_(kBuckets),
      probe_slots_(static_cast<size_t>(std::max(1, options.half_open_probes)), ProbeSlot::free),
      probe_started_(probe_slots_.size()) {}

BreakerAdmission CircuitBreaker::reject(Clock::SteadyTime retry_at) const noexcept {
  BreakerAdmission a;
  a.retry_at = retry_at;
  return a;
}

BreakerAdmission CircuitBreaker::admit() noexcept {
  const std::uint64_t word = word_.load(std::memory_order_acquire);
  switch (state_of(word)) {
    case BreakerState::closed: {
      BreakerAdmission a;
      a.admitted = true;
      a.generation = generation_of(word);
      return a;
    }
    case BreakerState::open: {
      const auto until = from_ticks(open_until_.load(std::memory_order_acquire));
      if (clock_.now() < until) return reject(until);
      break;
    }
    case BreakerState::half_open:
      break;
  }
  return admit_slow();
}

BreakerAdmission CircuitBreaker::admit_slow() noexcept {
  std::lock_guard lock(mu_);
  const auto now = clock_.now();
  std::uint64_t word = word_.load(std::memory_order_relaxed);
  if (state_of(word) == BreakerState::closed) {
    BreakerAdmission a;
    a.admitted = true;
    a.generation = generation_of(word);
    return a;
  }
  if (state_of(word) == BreakerState::open) {
    const auto until = from_ticks(open_until_.load(std::memory_order_relaxed));
    if (now < until) return reject(until);
    transition(BreakerState::half_open, now);
  }
  // Half-open. A probe that outlived its timeout will never report (or too late to
  // matter): treat it as failed so the breaker cannot stay wedged.
  for (size_t i = 0; i < probe_slots_.size(); ++i) {
    if (probe_slots_[i] == ProbeSlot::in_flight &&
        now >= probe_started_[i] + options_.probe_timeout) {
      open_after_failed_probe(now);
      return reject(from_ticks(open_until_.load(std::memory_order_relaxed)));
    }
  }
  Clock::SteadyTime earliest_decision = Clock::SteadyTime::max();
  for (size_t i = 0; i < probe_slots_.size(); ++i) {
    if (probe_slots_[i] == ProbeSlot::free) {
      probe_slots_[i] = ProbeSlot::in_flight;
      probe_started_[i] = now;
      BreakerAdmission a;
      a.admitted = true;
      a.probe = true;
      a.probe_slot = static_cast<int>(i);
      a.generation = generation_of(word_.load(std::memory_order_relaxed));
      return a;
    }
    if (probe_slots_[i] == ProbeSlot::in_flight) {
      earliest_decision = std::min(earliest_decision, probe_started_[i] + options_.probe_timeout);
    }
  }
  // Every probe is out: by the earliest probe timeout the breaker will have left half-open.
  return reject(earliest_decision == Clock::SteadyTime::max() ? now : earliest_decision);
}

void CircuitBreaker::record(const BreakerAdmission& admission, BreakerOutcome outcome) noexcept {
  if (!admission.admitted) return;
  if (outcome == BreakerOutcome::ignored && !admission.probe) return;
  std::lock_guard lock(mu_);
  const std::uint64_t word = word_.load(std::memory_order_relaxed);
  if (generation_of(word) != admission.generation) return;
  const auto now = clock_.now();
  switch (state_of(word)) {
    case BreakerState::closed: {
      const bool failure = outcome == BreakerOutcome::failure;
      count_in_window(now, failure);
      if (!failure) {
        consecutive_failures_ = 0;
        return;
      }
      ++consecutive_failures_;
      int calls = 0;
      int failures = 0;
      window_totals(now, calls, failures);
      const bool by_count = consecutive_failures_ >= options_.consecutive_failures;
      const bool by_rate =
          calls >= options_.minimum_calls && calls > 0 &&
          static_cast<double>(failures) >= options_.failure_rate * static_cast<double>(calls);
      if (by_count || by_rate) transition(BreakerState::open, now);
      return;
    }
    case BreakerState::half_open: {
      if (!admission.probe) return;
      const auto slot = static_cast<size_t>(admission.probe_slot);
      if (slot >= probe_slots_.size() || probe_slots_[slot] != ProbeSlot::in_flight) return;
      if (outcome == BreakerOutcome::failure) {
        open_after_failed_probe(now);
      } else if (outcome == BreakerOutcome::ignored) {
        probe_slots_[slot] = ProbeSlot::free;
      } else {
        probe_slots_[slot] = ProbeSlot::succeeded;
        if (std::all_of(probe_slots_.begin(), probe_slots_.end(),
                        [](ProbeSlot s) { return s == ProbeSlot::succeeded; })) {
          open_period_ = options_.open_period;
          transition(BreakerState::closed, now);
        }
      }
      return;
    }
    case BreakerState::open:
      return;  // an open generation admits nothing, so nothing can report under it
  }
}

void CircuitBreaker::open_after_failed_probe(Clock::SteadyTime now) {
  open_period_ = std::min<std::chrono::nanoseconds>(open_period_ * 2, options_.max_open_period);
  transition(BreakerState::open, now);
}

void CircuitBreaker::transition(BreakerState to, Clock::SteadyTime now) {
  const std::uint64_t old = word_.load(std::memory_order_relaxed);
  const std::uint64_t generation = generation_of(old) + 1;
  Clock::SteadyTime open_until{};
  if (to == BreakerState::open) {
    open_until = now + std::chrono::duration_cast<Clock::SteadyTime::duration>(open_period_);
    open_until_.store(ticks(open_until), std::memory_order_release);
  }
  reset_counts();
  word_.store(generation << 2 | static_cast<std::uint64_t>(to), std::memory_order_release);
  if (listener_ != nullptr) {
    const auto wall = clock_.wall();
    listener_->on_breaker_transition(
        BreakerTransition{service_, state_of(old), to, now, wall, generation, open_until});
  }
}

void CircuitBreaker::reset_counts() {
  consecutive_failures_ = 0;
  std::fill(buckets_.begin(), buckets_.end(), Bucket{});
  std::fill(probe_slots_.begin(), probe_slots_.end(), ProbeSlot::free);
}

void CircuitBreaker::count_in_window(Clock::SteadyTime now, bool failure) {
  const std::int64_t index = ticks(now) / bucket_width_.count();
  Bucket& b = buckets_[static_cast<size_t>(index % kBuckets)];
  if (b.index != index) b = Bucket{index, 0, 0};
  ++b.calls;
  if (failure) ++b.failures;
}

void CircuitBreaker::window_totals(Clock::SteadyTime now, int& calls, int& failures) const {
  const std::int64_t index = ticks(now) / bucket_width_.count();
  calls = 0;
  failures = 0;
  for (const Bucket& b : buckets_) {
    if (b.index > index - kBuckets && b.index <= index) {
      calls += b.calls;
      failures += b.failures;
    }
  }
}

BreakerState CircuitBreaker::state() const noexcept {
  return state_of(word_.load(std::memory_order_acquire));
}

std::optional<Clock::SteadyTime> CircuitBreaker::open_until() const noexcept {
  if (state() != BreakerState::open) return std::nullopt;
  return from_ticks(open_until_.load(std::memory_order_acquire));
}

BreakerSnapshot CircuitBreaker::snapshot() const {
  std::lock_guard lock(mu_);
  BreakerSnapshot s;
  s.service = service_;
  const std::uint64_t word = word_.load(std::memory_order_relaxed);
  s.state = state_of(word);
  s.generation = generation_of(word);
  if (s.state == BreakerState::open) {
    s.open_until = from_ticks(open_until_.load(std::memory_order_relaxed));
  }
  s.open_period = std::chrono::duration_cast<std::chrono::milliseconds>(open_period_);
  s.consecutive_failures = consecutive_failures_;
  window_totals(clock_.now(), s.window_calls, s.window_failures);
  return s;
}

}  // namespace cardsync
