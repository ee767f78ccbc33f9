#include "resilience/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "fake_transport.hpp"
#include "resilience/circuit_breaker_registry.hpp"
#include "resilience/failure_classification.hpp"

namespace cardsync {
namespace {

using namespace std::chrono_literals;
using testing::RecordingListener;

class CircuitBreakerTest : public ::testing::Test {
 protected:
  void fail_times(CircuitBreaker& b, int n) {
    for (int i = 0; i < n; ++i) {
      auto a = b.admit();
      ASSERT_TRUE(a.admitted) << i;
      b.record(a, BreakerOutcome::failure);
    }
  }
  void succeed(CircuitBreaker& b) {
    auto a = b.admit();
    ASSERT_TRUE(a.admitted);
    b.record(a, BreakerOutcome::success);
  }
  // Lets the open period run out and fails the probe that follows.
  void fail_probe(CircuitBreaker& b) {
    clock.advance(b.snapshot().open_until - clock.now());
    auto probe = b.admit();
    ASSERT_TRUE(probe.admitted);
    ASSERT_TRUE(probe.probe);
    b.record(probe, BreakerOutcome::failure);
  }

  ManualClock clock;
  RecordingListener listener;
};

TEST_F(CircuitBreakerTest, FifthConsecutiveFailureOpensAndSixthCallIsRejected) {
  CircuitBreaker b("svc", clock, {}, &listener);
  fail_times(b, 4);
  EXPECT_EQ(b.state(), BreakerState::closed);
  fail_times(b, 1);
  EXPECT_EQ(b.state(), BreakerState::open);
  const auto sixth = b.admit();
  EXPECT_FALSE(sixth.admitted);
  EXPECT_EQ(sixth.retry_at, clock.now() + 120s);
  ASSERT_EQ(listener.transitions().size(), 1u);
  EXPECT_EQ(listener.transitions()[0].service, "svc");
  EXPECT_EQ(listener.transitions()[0].from, BreakerState::closed);
  EXPECT_EQ(listener.transitions()[0].to, BreakerState::open);
  EXPECT_EQ(listener.transitions()[0].open_until, clock.now() + 120s);
}

TEST_F(CircuitBreakerTest, SuccessResetsTheConsecutiveCount) {
  CircuitBreaker b("svc", clock, {}, &listener);
  fail_times(b, 4);
  succeed(b);
  fail_times(b, 4);
  EXPECT_EQ(b.state(), BreakerState::closed);
  EXPECT_TRUE(listener.transitions().empty());
}

TEST_F(CircuitBreakerTest, RejectionsAreNotFailures) {
  CircuitBreaker b("svc", clock, {}, &listener);
  fail_times(b, 5);
  for (int i = 0; i < 100; ++i) b.record(b.admit(), BreakerOutcome::failure);
  EXPECT_EQ(listener.transitions().size(), 1u);
  EXPECT_EQ(b.snapshot().open_until, clock.now() + 120s);
}

TEST_F(CircuitBreakerTest, RateTriggerWaitsForTheMinimumNumberOfCalls) {
  BreakerOptions o;  // >= 50 % of at least 20 calls in 30 s
  CircuitBreaker b("svc", clock, o, &listener);
  // Alternating results never reach five in a row; only the rate can open it.
  for (int i = 0; i < 19; ++i) {
    auto a = b.admit();
    ASSERT_TRUE(a.admitted);
    b.record(a, i % 2 == 0 ? BreakerOutcome::success : BreakerOutcome::failure);
    clock.advance(100ms);
  }
  // 9 failures of 19 calls; at 18 calls the rate was exactly 50 % but under the minimum.
  EXPECT_EQ(b.state(), BreakerState::closed);
  fail_times(b, 1);  // 10 of 20: 50 % of the minimum number of calls
  EXPECT_EQ(b.state(), BreakerState::open);
  ASSERT_EQ(listener.transitions().size(), 1u);
}

TEST_F(CircuitBreakerTest, RateBelowThresholdStaysClosed) {
  CircuitBreaker b("svc", clock, {}, &listener);
  // 2 failures per 5 calls (40 %), 100 calls.
  for (int i = 0; i < 100; ++i) {
    auto a = b.admit();
    b.record(a, i % 5 < 2 ? BreakerOutcome::failure : BreakerOutcome::success);
    clock.advance(10ms);
  }
  EXPECT_EQ(b.state(), BreakerState::closed);
}

TEST_F(CircuitBreakerTest, CallsOlderThanTheWindowDoNotCount) {
  CircuitBreaker b("svc", clock, {}, &listener);
  for (int i = 0; i < 18; ++i) {
    b.record(b.admit(), i % 2 == 0 ? BreakerOutcome::success : BreakerOutcome::failure);
  }
  clock.advance(31s);
  // 18 old calls have left the window: two more failures are 2 calls, not 20.
  b.record(b.admit(), BreakerOutcome::success);
  fail_times(b, 1);
  EXPECT_EQ(b.state(), BreakerState::closed);
  EXPECT_EQ(b.snapshot().window_calls, 2);
}

TEST_F(CircuitBreakerTest, HalfOpenAdmitsExactlyTheConfiguredProbes) {
  BreakerOptions o;
  o.half_open_probes = 3;
  CircuitBreaker b("svc", clock, o, &listener);
  fail_times(b, 5);
  EXPECT_FALSE(b.admit().admitted);
  clock.advance(120s);
  std::vector<BreakerAdmission> probes;
  for (int i = 0; i < 3; ++i) {
    probes.push_back(b.admit());
    ASSERT_TRUE(probes.back().admitted);
    ASSERT_TRUE(probes.back().probe);
  }
  EXPECT_EQ(b.state(), BreakerState::half_open);
  const auto rejected = b.admit();
  EXPECT_FALSE(rejected.admitted);
  // The time left: by then every probe has reported or timed out.
  EXPECT_EQ(rejected.retry_at, clock.now() + 60s);
  b.record(probes[0], BreakerOutcome::success);
  b.record(probes[1], BreakerOutcome::success);
  EXPECT_EQ(b.state(), BreakerState::half_open);
  EXPECT_FALSE(b.admit().admitted);
  b.record(probes[2], BreakerOutcome::success);
  EXPECT_EQ(b.state(), BreakerState::closed);
  EXPECT_TRUE(b.admit().admitted);
  const auto t = listener.transitions();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].from, BreakerState::open);
  EXPECT_EQ(t[1].to, BreakerState::half_open);
  EXPECT_EQ(t[2].from, BreakerState::half_open);
  EXPECT_EQ(t[2].to, BreakerState::closed);
}

TEST_F(CircuitBreakerTest, CancelledProbeFreesItsSlot) {
  CircuitBreaker b("svc", clock, {}, &listener);
  fail_times(b, 5);
  clock.advance(120s);
  auto probe = b.admit();
  ASSERT_TRUE(probe.probe);
  EXPECT_FALSE(b.admit().admitted);
  b.record(probe, BreakerOutcome::ignored);
  auto second = b.admit();
  EXPECT_TRUE(second.admitted);
  EXPECT_TRUE(second.probe);
}

TEST_F(CircuitBreakerTest, OpenPeriodDoublesOnFailedProbesUpToTheCapAndResetsOnClose) {
  CircuitBreaker b("svc", clock, {}, &listener);
  fail_times(b, 5);
  std::vector<std::chrono::seconds> periods;
  for (int i = 0; i < 5; ++i) {
    periods.push_back(
        std::chrono::duration_cast<std::chrono::seconds>(b.snapshot().open_until - clock.now()));
    fail_probe(b);
  }
  periods.push_back(
      std::chrono::duration_cast<std::chrono::seconds>(b.snapshot().open_until - clock.now()));
  EXPECT_EQ(periods, (std::vector<std::chrono::seconds>{120s, 240s, 480s, 600s, 600s, 600s}));

  clock.advance(b.snapshot().open_until - clock.now());
  auto probe = b.admit();
  ASSERT_TRUE(probe.probe);
  b.record(probe, BreakerOutcome::success);
  ASSERT_EQ(b.state(), BreakerState::closed);
  fail_times(b, 5);
  EXPECT_EQ(b.snapshot().open_until - clock.now(), 120s);
}

TEST_F(CircuitBreakerTest, HungProbeReopensAfterTheMaximumWait) {
  CircuitBreaker b("svc", clock, {}, &listener);
  fail_times(b, 5);
  clock.advance(120s);
  const auto hung = b.admit();
  ASSERT_TRUE(hung.probe);
  clock.advance(59s);
  EXPECT_FALSE(b.admit().admitted);
  EXPECT_EQ(b.state(), BreakerState::half_open);
  clock.advance(1s);
  const auto after = b.admit();
  EXPECT_FALSE(after.admitted);
  EXPECT_EQ(b.state(), BreakerState::open);
  EXPECT_EQ(after.retry_at, clock.now() + 240s);  // a failed probe: the period doubled
  // Its late result belongs to an older generation and changes nothing.
  b.record(hung, BreakerOutcome::success);
  EXPECT_EQ(b.state(), BreakerState::open);
  // The next open period ends with a fresh probe.
  clock.advance(240s);
  EXPECT_TRUE(b.admit().probe);
  const auto t = listener.transitions();
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[2].from, BreakerState::half_open);
  EXPECT_EQ(t[2].to, BreakerState::open);
}

TEST_F(CircuitBreakerTest, ResultsFromAnOlderGenerationAreIgnored) {
  CircuitBreaker b("svc", clock, {}, &listener);
  const auto old_a = b.admit();
  const auto old_b = b.admit();
  fail_times(b, 5);
  clock.advance(120s);
  auto probe = b.admit();
  b.record(probe, BreakerOutcome::success);
  ASSERT_EQ(b.state(), BreakerState::closed);
  // Calls admitted before the breaker opened report now: neither counts.
  b.record(old_a, BreakerOutcome::failure);
  b.record(old_b, BreakerOutcome::failure);
  EXPECT_EQ(b.snapshot().consecutive_failures, 0);
  // And an old success cannot close an open breaker.
  const auto before_open = b.admit();
  fail_times(b, 5);
  b.record(before_open, BreakerOutcome::success);
  EXPECT_EQ(b.state(), BreakerState::open);
}

TEST_F(CircuitBreakerTest, HundredSimultaneousFailuresMakeExactlyOneOpenEvent) {
  for (int round = 0; round < 20; ++round) {
    RecordingListener events;
    CircuitBreaker b("svc", clock, {}, &events);
    constexpr int kThreads = 100;
    std::vector<BreakerAdmission> admissions;
    admissions.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) admissions.push_back(b.admit());
    std::barrier go(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        b.record(admissions[static_cast<size_t>(i)], BreakerOutcome::failure);
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(events.transitions().size(), 1u);
    EXPECT_EQ(events.count(BreakerState::open), 1);
  }
}

TEST_F(CircuitBreakerTest, ClassificationCountsOnlyServerTroubleAsFailure) {
  auto outcome = [](int status) {
    HttpResponse r;
    r.status = status;
    return breaker_outcome(r);
  };
  for (int s : {200, 204, 301, 400, 401, 403, 404, 409, 422}) {
    EXPECT_EQ(outcome(s), BreakerOutcome::success) << s;
  }
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_EQ(outcome(s), BreakerOutcome::failure) << s;
  HttpResponse cancelled;
  cancelled.error = TransportError::cancelled;
  EXPECT_EQ(breaker_outcome(cancelled), BreakerOutcome::ignored);
  HttpResponse refused;
  refused.error = TransportError::connect;
  EXPECT_EQ(breaker_outcome(refused), BreakerOutcome::failure);
}

TEST(CircuitBreakerRegistryTest, OneInstancePerServiceAndIndependentState) {
  ManualClock clock;
  CircuitBreakerRegistry registry(clock);
  CircuitBreaker& a = registry.get("justtcg");
  CircuitBreaker& b = registry.get("psa");
  EXPECT_EQ(&a, &registry.get("justtcg"));
  EXPECT_NE(&a, &b);
  for (int i = 0; i < 5; ++i) a.record(a.admit(), BreakerOutcome::failure);
  EXPECT_EQ(a.state(), BreakerState::open);
  EXPECT_EQ(b.state(), BreakerState::closed);
  EXPECT_TRUE(b.admit().admitted);
  const auto all = registry.snapshot();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].service, "justtcg");
  EXPECT_EQ(all[0].state, BreakerState::open);
  EXPECT_EQ(all[1].service, "psa");
  BreakerOptions other;
  other.consecutive_failures = 2;
  EXPECT_THROW(registry.get("psa", other), std::logic_error);
  EXPECT_EQ(registry.find("nope"), nullptr);
}

}  // namespace
}  // namespace cardsync
