// Hot paths of the resilience layer. Targets (issue 4): breaker admit and reject medians
// under 50 ns, and no heap allocation on reject (counted with a replaced operator new).

#include <benchmark/benchmark.h>

#include "allocation_counter.hpp"
#include "resilience/backoff.hpp"
#include "resilience/circuit_breaker.hpp"
#include "resilience/random_source.hpp"

namespace cardsync {
namespace {

void BM_BreakerAdmitClosed(benchmark::State& state) {
  static CircuitBreaker breaker("closed", SystemClock::instance());
  const long before = testing::allocations();
  testing::count_allocations(true);
  for (auto _ : state) benchmark::DoNotOptimize(breaker.admit());
  testing::count_allocations(false);
  state.counters["allocs"] = static_cast<double>(testing::allocations() - before);
}
BENCHMARK(BM_BreakerAdmitClosed)->Repetitions(10)->ReportAggregatesOnly(true);

void BM_BreakerAdmitAndRecordSuccess(benchmark::State& state) {
  static CircuitBreaker breaker("closed-record", SystemClock::instance());
  for (auto _ : state) {
    const auto a = breaker.admit();
    breaker.record(a, BreakerOutcome::success);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_BreakerAdmitAndRecordSuccess)->Repetitions(10)->ReportAggregatesOnly(true);

CircuitBreaker& open_breaker() {
  static CircuitBreaker breaker("open", SystemClock::instance());
  static const bool opened = [] {
    for (int i = 0; i < 5; ++i) breaker.record(breaker.admit(), BreakerOutcome::failure);
    return true;
  }();
  (void)opened;
  return breaker;
}

void BM_BreakerRejectOpen(benchmark::State& state) {
  CircuitBreaker& breaker = open_breaker();
  if (breaker.state() != BreakerState::open) state.SkipWithError("breaker did not open");
  // Allocations are counted process-wide, so only a single-threaded run can attribute them.
  const bool count = state.threads() == 1;
  const long before = testing::allocations();
  testing::count_allocations(count);
  long rejected = 0;
  for (auto _ : state) {
    const auto a = breaker.admit();
    rejected += a.admitted ? 0 : 1;
    benchmark::DoNotOptimize(a);
  }
  testing::count_allocations(false);
  const long allocated = testing::allocations() - before;
  if (count) state.counters["allocs"] = static_cast<double>(allocated);
  if (rejected != static_cast<long>(state.iterations())) state.SkipWithError("admitted a call");
  if (count && allocated != 0) state.SkipWithError("reject path allocated");
}
BENCHMARK(BM_BreakerRejectOpen)->Repetitions(10)->ReportAggregatesOnly(true);
BENCHMARK(BM_BreakerRejectOpen)->Threads(2)->Repetitions(10)->ReportAggregatesOnly(true);

// The floor under the reject path: it must read the injected clock once.
void BM_SystemClockNow(benchmark::State& state) {
  Clock& clock = SystemClock::instance();
  for (auto _ : state) benchmark::DoNotOptimize(clock.now());
}
BENCHMARK(BM_SystemClockNow)->Repetitions(10)->ReportAggregatesOnly(true);

void BM_BackoffDelay(benchmark::State& state) {
  const RetryOptions options;
  long long attempt = 0;
  double u = 0.37;
  for (auto _ : state) {
    attempt = attempt % 8 + 1;
    u = u > 0.9 ? u - 0.9 : u + 0.013;
    benchmark::DoNotOptimize(backoff_delay(options, attempt, u));
  }
}
BENCHMARK(BM_BackoffDelay)->Repetitions(10)->ReportAggregatesOnly(true);

void BM_BackoffDelayWithSystemRandom(benchmark::State& state) {
  const RetryOptions options;
  RandomSource& random = SystemRandom::instance();
  long long attempt = 0;
  for (auto _ : state) {
    attempt = attempt % 8 + 1;
    benchmark::DoNotOptimize(backoff_delay(options, attempt, random.uniform()));
  }
}
BENCHMARK(BM_BackoffDelayWithSystemRandom)->Repetitions(10)->ReportAggregatesOnly(true);

}  // namespace
}  // namespace cardsync

BENCHMARK_MAIN();
