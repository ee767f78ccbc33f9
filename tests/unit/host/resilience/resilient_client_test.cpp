#include "resilience/resilient_client.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <condition_variable>
#include <ctime>
#include <thread>

#include "fake_transport.hpp"
#include "resilience/backoff.hpp"

namespace cardsync {
namespace {

using namespace std::chrono_literals;
using testing::error_response;
using testing::FakeTransport;
using testing::RecordingListener;
using testing::status_response;

// Options that keep pacing and the breaker out of the way of retry tests.
ResilienceOptions retry_only() {
  ResilienceOptions o;
  o.pacing.requests_per_minute = 0;
  o.breaker.consecutive_failures = 1'000'000;
  o.breaker.minimum_calls = 1'000'000;
  return o;
}

HttpRequest request() {
  HttpRequest r;
  r.url = "https://api.example.com/v1/cards?api_key=SECRET123&game=pokemon";
  return r;
}

CallOptions call(std::string_view service = "svc") {
  CallOptions c;
  c.service = service;
  c.request_id = "req-1";
  return c;
}

std::string http_date(Clock::WallTime t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

class ResilientClientTest : public ::testing::Test {
 protected:
  ManualClock clock{true};
  FakeTransport transport{clock};
  SeededRandom random{42};
  RecordingListener listener;
  ResilientClient client{transport, clock, random, &listener, retry_only()};
};

TEST_F(ResilientClientTest, RetryableStatusReachesTransportExactlyMaxPlusOneTimes) {
  for (int status : {408, 429, 500, 502, 503, 504}) {
    SCOPED_TRACE(status);
    ManualClock c(true);
    FakeTransport t(c);
    ResilientClient rc(t, c, random, nullptr, retry_only());
    t.always(status_response(status));
    const CallOutcome out = rc.execute(request(), call());
    EXPECT_EQ(t.calls(), 6);
    if (status == 429) {
      // Throttling that outlasts the retries snoozes the job instead of failing it.
      ASSERT_TRUE(std::holds_alternative<RetryLater>(out));
      EXPECT_EQ(std::get<RetryLater>(out).reason, RetryLater::Reason::throttled);
    } else {
      ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
      const auto& f = std::get<CallFailed>(out);
      EXPECT_EQ(f.attempts, 6);
      EXPECT_EQ(f.stop, StopReason::attempts_exhausted);
      EXPECT_EQ(f.last_cause.status, status);
      EXPECT_TRUE(f.retryable);
      ASSERT_TRUE(f.last_response.has_value());
      EXPECT_EQ(f.last_response->status, status);
    }
  }
}

TEST_F(ResilientClientTest, RetryableTransportErrorsAreRetriedToTheLimit) {
  for (auto e : {TransportError::connect, TransportError::reset, TransportError::timeout}) {
    SCOPED_TRACE(std::string(to_string(e)));
    ManualClock c(true);
    FakeTransport t(c);
    ResilientClient rc(t, c, random, nullptr, retry_only());
    t.always(error_response(e));
    const CallOutcome out = rc.execute(request(), call());
    EXPECT_EQ(t.calls(), 6);
    ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
    EXPECT_EQ(std::get<CallFailed>(out).last_cause.error, e);
    EXPECT_EQ(std::get<CallFailed>(out).stop, StopReason::attempts_exhausted);
  }
}

TEST_F(ResilientClientTest, NonRetryableStatusReachesTransportOnceAndIsReturned) {
  for (int status : {400, 401, 403, 404, 422, 501}) {
    SCOPED_TRACE(status);
    ManualClock c(true);
    FakeTransport t(c);
    ResilientClient rc(t, c, random, nullptr, retry_only());
    t.always(status_response(status));
    const CallOutcome out = rc.execute(request(), call());
    EXPECT_EQ(t.calls(), 1);
    ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
    EXPECT_EQ(std::get<HttpResponse>(out).status, status);
    EXPECT_EQ(c.sleeps(), 0);
  }
}

TEST_F(ResilientClientTest, NonRetryableTransportErrorsReachTransportOnce) {
  struct Case {
    TransportError error;
    StopReason stop;
    bool retryable;
  };
  for (const Case& k : {Case{TransportError::tls, StopReason::not_retryable, false},
                        Case{TransportError::too_large, StopReason::not_retryable, false},
                        Case{TransportError::invalid_request, StopReason::not_retryable, false},
                        Case{TransportError::cancelled, StopReason::cancelled, true}}) {
    SCOPED_TRACE(std::string(to_string(k.error)));
    ManualClock c(true);
    FakeTransport t(c);
    ResilientClient rc(t, c, random, nullptr, retry_only());
    t.always(error_response(k.error));
    const CallOutcome out = rc.execute(request(), call());
    EXPECT_EQ(t.calls(), 1);
    ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
    const auto& f = std::get<CallFailed>(out);
    EXPECT_EQ(f.attempts, 1);
    EXPECT_EQ(f.stop, k.stop);
    EXPECT_EQ(f.retryable, k.retryable);
    EXPECT_EQ(f.last_cause.error, k.error);
  }
}

TEST_F(ResilientClientTest, SuccessAfterFailuresIsReturned) {
  transport.script([](int n, const HttpRequest&, const TransportContext&) {
    return n < 2 ? status_response(503) : status_response(200);
  });
  const CallOutcome out = client.execute(request(), call());
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
  EXPECT_EQ(std::get<HttpResponse>(out).status, 200);
  EXPECT_EQ(transport.calls(), 3);
  ASSERT_EQ(listener.retries().size(), 2u);
  EXPECT_EQ(listener.retries()[0].attempt, 1);
  EXPECT_EQ(listener.retries()[1].attempt, 2);
}

TEST_F(ResilientClientTest, BackoffWaitsStayWithinTheirBounds) {
  transport.always(status_response(503));
  (void)client.execute(request(), call());
  const auto arrivals = transport.arrivals();
  ASSERT_EQ(arrivals.size(), 6u);
  for (size_t i = 1; i < arrivals.size(); ++i) {
    const auto gap = arrivals[i] - arrivals[i - 1];
    EXPECT_GE(gap, 0ns);
    EXPECT_LE(gap, backoff_bound(RetryOptions{}, static_cast<long long>(i))) << i;
  }
}

TEST_F(ResilientClientTest, RetryAfterSecondsIsWaitedAtLeast) {
  transport.script([](int n, const HttpRequest&, const TransportContext&) {
    return n == 0 ? status_response(503, {{"Retry-After", "7"}}) : status_response(200);
  });
  const CallOutcome out = client.execute(request(), call());
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
  const auto arrivals = transport.arrivals();
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(arrivals[1] - arrivals[0], 7s);
  // The larger of Retry-After and the backoff (at most 1 s here): exactly 7 s.
  EXPECT_LT(arrivals[1] - arrivals[0], 7s + 1ms);
  ASSERT_EQ(listener.retries().size(), 1u);
  EXPECT_TRUE(listener.retries()[0].from_retry_after);
}

TEST_F(ResilientClientTest, RetryAfterHttpDateIsWaitedUntil) {
  const std::string date = http_date(clock.wall() + 30s);
  transport.script([&](int n, const HttpRequest&, const TransportContext&) {
    return n == 0 ? status_response(429, {{"Retry-After", date}}) : status_response(200);
  });
  const CallOutcome out = client.execute(request(), call());
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
  const auto arrivals = transport.arrivals();
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_GE(arrivals[1] - arrivals[0], 29s);
  EXPECT_LE(arrivals[1] - arrivals[0], 31s);
}

TEST_F(ResilientClientTest, UnparsableRetryAfterFallsBackToBackoff) {
  for (const char* value : {"soon", "", "1.5", "-3", "Blursday, 99 Foo 2015"}) {
    SCOPED_TRACE(value);
    ManualClock c(true);
    FakeTransport t(c);
    ResilientClient rc(t, c, random, nullptr, retry_only());
    t.script([&](int n, const HttpRequest&, const TransportContext&) {
      return n == 0 ? status_response(503, {{"Retry-After", value}}) : status_response(200);
    });
    const CallOutcome out = rc.execute(request(), call());
    ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
    const auto arrivals = t.arrivals();
    ASSERT_EQ(arrivals.size(), 2u);
    EXPECT_LE(arrivals[1] - arrivals[0], backoff_bound(RetryOptions{}, 1));
  }
}

TEST_F(ResilientClientTest, LongRetryAfterReturnsRetryLaterWithoutSleeping) {
  transport.always(status_response(429, {{"Retry-After", "3600"}}));
  const auto before = clock.now();
  const auto wall_before = clock.wall();
  const CallOutcome out = client.execute(request(), call());
  ASSERT_TRUE(std::holds_alternative<RetryLater>(out));
  const auto& later = std::get<RetryLater>(out);
  EXPECT_EQ(later.reason, RetryLater::Reason::throttled);
  EXPECT_EQ(later.at, before + 3600s);
  EXPECT_EQ(later.wall_at, wall_before + 3600s);
  EXPECT_EQ(transport.calls(), 1);
  EXPECT_EQ(clock.sleeps(), 0);
  EXPECT_EQ(clock.now(), before);
  ASSERT_EQ(listener.throttles().size(), 1u);
}

TEST_F(ResilientClientTest, CancellationDuringBackoffReturnsAtOnceWithoutAnotherRequest) {
  ManualClock c(false);  // sleeps block until advanced: only cancellation can end this one
  FakeTransport t(c);
  ResilientClient rc(t, c, random, nullptr, retry_only());
  t.always(status_response(503, {{"Retry-After", "30"}}));
  CallOptions opts = call();
  const auto start = c.now();
  CallOutcome out;
  std::thread worker([&] { out = rc.execute(request(), opts); });
  while (c.sleepers() == 0) std::this_thread::yield();
  opts.cancel.cancel();
  worker.join();
  ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
  EXPECT_EQ(std::get<CallFailed>(out).stop, StopReason::cancelled);
  EXPECT_EQ(std::get<CallFailed>(out).attempts, 1);
  EXPECT_EQ(t.calls(), 1);
  EXPECT_EQ(c.now(), start);
}

TEST_F(ResilientClientTest, CancelledBeforeStartSendsNothing) {
  CallOptions opts = call();
  opts.cancel.cancel();
  const CallOutcome out = client.execute(request(), opts);
  ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
  EXPECT_EQ(std::get<CallFailed>(out).stop, StopReason::cancelled);
  EXPECT_EQ(transport.calls(), 0);
}

TEST_F(ResilientClientTest, OverallDeadlineIsNeverExceeded) {
  int deadline_stops = 0;
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    for (auto latency : {0s, 1s, 3s, 7s, 12s}) {
      SCOPED_TRACE(::testing::Message() << "seed " << seed << " latency " << latency.count());
      ManualClock c(true);
      FakeTransport t(c);
      SeededRandom r(seed);
      ResilientClient rc(t, c, r, nullptr, retry_only());
      t.latency(latency);
      t.always(status_response(503));
      CallOptions opts = call();
      opts.deadline = c.now() + 10s;
      const CallOutcome out = rc.execute(request(), opts);
      EXPECT_LE(c.now(), opts.deadline);
      for (auto at : t.arrivals()) EXPECT_LT(at, opts.deadline);
      for (auto d : t.deadlines()) EXPECT_EQ(d, opts.deadline);
      ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
      deadline_stops += std::get<CallFailed>(out).stop == StopReason::deadline_exceeded;
    }
  }
  EXPECT_GT(deadline_stops, 0);
}

TEST_F(ResilientClientTest, ConfiguredDeadlineAppliesWhenCallerSetsNone) {
  ResilienceOptions o = retry_only();
  o.retry.deadline = 5s;
  client.configure("short", o);
  transport.latency(2s);
  transport.always(status_response(503));
  const auto start = clock.now();
  const CallOutcome out = client.execute(request(), call("short"));
  EXPECT_LE(clock.now(), start + 5s);
  ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
  EXPECT_EQ(std::get<CallFailed>(out).stop, StopReason::deadline_exceeded);
}

TEST_F(ResilientClientTest, RetryBudgetStopsRetriesButNotFirstAttempts) {
  ResilienceOptions o = retry_only();
  o.retry_budget = RetryBudgetOptions{true, 10.0, 1.0, 0.2};
  client.configure("outage", o);
  transport.always(status_response(503));
  std::vector<int> per_call;
  for (int i = 0; i < 20; ++i) {
    const int before = transport.calls();
    const CallOutcome out = client.execute(request(), call("outage"));
    per_call.push_back(transport.calls() - before);
    ASSERT_TRUE(std::holds_alternative<CallFailed>(out));
    if (i >= 2) {
      EXPECT_EQ(std::get<CallFailed>(out).stop, StopReason::retry_budget_exhausted);
    }
  }
  // 10 tokens pay for two calls' five retries; every later call still makes its first request.
  EXPECT_EQ(per_call[0], 6);
  EXPECT_EQ(per_call[1], 6);
  for (int i = 2; i < 20; ++i) EXPECT_EQ(per_call[static_cast<size_t>(i)], 1) << i;
  EXPECT_EQ(transport.calls(), 30);

  // Successes earn retries back: five at 0.2 each pay for one retry.
  transport.always(status_response(200));
  for (int i = 0; i < 5; ++i) (void)client.execute(request(), call("outage"));
  transport.always(status_response(503));
  const int before = transport.calls();
  (void)client.execute(request(), call("outage"));
  EXPECT_EQ(transport.calls() - before, 2);
}

TEST_F(ResilientClientTest, FifthConsecutiveFailureOpensBreakerAndSixthCallNeverReachesTransport) {
  ResilienceOptions o = retry_only();
  o.retry.max_retries = 0;
  o.breaker = BreakerOptions{};
  client.configure("flaky", o);
  transport.always(status_response(503));
  for (int i = 0; i < 5; ++i) {
    const CallOutcome out = client.execute(request(), call("flaky"));
    ASSERT_TRUE(std::holds_alternative<CallFailed>(out)) << i;
  }
  EXPECT_EQ(transport.calls(), 5);
  const auto now = clock.now();
  const CallOutcome sixth = client.execute(request(), call("flaky"));
  EXPECT_EQ(transport.calls(), 5);
  ASSERT_TRUE(std::holds_alternative<RetryLater>(sixth));
  EXPECT_EQ(std::get<RetryLater>(sixth).reason, RetryLater::Reason::breaker_open);
  EXPECT_EQ(std::get<RetryLater>(sixth).at, now + 120s);
  EXPECT_EQ(listener.count(BreakerState::open), 1);
}

TEST_F(ResilientClientTest, BreakerRejectionIsNotRetried) {
  ResilienceOptions o = retry_only();
  o.breaker = BreakerOptions{};
  client.configure("flaky", o);
  transport.always(status_response(503));
  const CallOutcome out = client.execute(request(), call("flaky"));
  // Five failures open the breaker; the sixth attempt is rejected and the call ends there.
  EXPECT_EQ(transport.calls(), 5);
  ASSERT_TRUE(std::holds_alternative<RetryLater>(out));
  EXPECT_EQ(std::get<RetryLater>(out).reason, RetryLater::Reason::breaker_open);
  EXPECT_EQ(clock.sleeps(), 4);
}

TEST_F(ResilientClientTest, BreakersOfTwoServicesAreIndependent) {
  ResilienceOptions o = retry_only();
  o.retry.max_retries = 0;
  o.breaker = BreakerOptions{};
  client.configure("a", o);
  client.configure("b", o);
  transport.script([](int, const HttpRequest& r, const TransportContext& ctx) {
    (void)r;
    return ctx.service == "a" ? status_response(503) : status_response(200);
  });
  for (int i = 0; i < 5; ++i) (void)client.execute(request(), call("a"));
  EXPECT_TRUE(std::holds_alternative<RetryLater>(client.execute(request(), call("a"))));
  for (int i = 0; i < 10; ++i) {
    const CallOutcome out = client.execute(request(), call("b"));
    ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
  }
  EXPECT_EQ(client.breakers().find("a")->state(), BreakerState::open);
  EXPECT_EQ(client.breakers().find("b")->state(), BreakerState::closed);
}

TEST_F(ResilientClientTest, ClientErrorsDoNotCountAsBreakerFailures) {
  ResilienceOptions o = retry_only();
  o.breaker = BreakerOptions{};
  client.configure("strict", o);
  transport.always(status_response(404));
  for (int i = 0; i < 50; ++i) (void)client.execute(request(), call("strict"));
  EXPECT_EQ(client.breakers().find("strict")->state(), BreakerState::closed);
  EXPECT_EQ(transport.calls(), 50);
}

TEST_F(ResilientClientTest, EventsCarryRedactedUrls) {
  transport.script([](int n, const HttpRequest&, const TransportContext&) {
    return n == 0 ? status_response(503) : status_response(200);
  });
  (void)client.execute(request(), call());
  const auto urls = listener.attempt_urls();
  ASSERT_EQ(urls.size(), 2u);
  for (const auto& u : urls) {
    EXPECT_EQ(u.find("SECRET123"), std::string::npos) << u;
    EXPECT_NE(u.find("api_key=***"), std::string::npos) << u;
    EXPECT_NE(u.find("game=pokemon"), std::string::npos) << u;
  }
}

TEST_F(ResilientClientTest, RequestIdAndDeadlineReachTheTransport) {
  std::string seen;
  transport.script([&](int, const HttpRequest&, const TransportContext& ctx) {
    seen = ctx.request_id;
    return status_response(200);
  });
  CallOptions opts = call();
  opts.deadline = clock.now() + 42s;
  (void)client.execute(request(), opts);
  EXPECT_EQ(seen, "req-1");
  ASSERT_EQ(transport.deadlines().size(), 1u);
  EXPECT_EQ(transport.deadlines()[0], opts.deadline);
}

TEST_F(ResilientClientTest, PacingSpacesRequestsAndProviderCanTightenIt) {
  ResilienceOptions o = retry_only();
  o.pacing.requests_per_minute = 60;
  client.configure("paced", o);
  for (int i = 0; i < 3; ++i) (void)client.execute(request(), call("paced"));
  client.report_rate_limit("paced", 10);  // JustTCG free plan: 10 a minute
  for (int i = 0; i < 2; ++i) (void)client.execute(request(), call("paced"));
  const auto a = transport.arrivals();
  ASSERT_EQ(a.size(), 5u);
  EXPECT_GE(a[1] - a[0], 1s);
  EXPECT_LE(a[1] - a[0], 1s + 1us);
  EXPECT_GE(a[2] - a[1], 1s - 1us);
  EXPECT_LE(a[2] - a[1], 1s + 1us);
  EXPECT_GE(a[4] - a[3], 6s - 1us);
  EXPECT_LE(a[4] - a[3], 6s + 1us);
}

TEST_F(ResilientClientTest, SpentDailyQuotaSnoozesUntilMidnightUtcWithoutCallingOut) {
  ResilienceOptions o = retry_only();
  o.pacing.daily_quota = 3;
  client.configure("psa", o);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(std::holds_alternative<HttpResponse>(client.execute(request(), call("psa"))));
  }
  const CallOutcome out = client.execute(request(), call("psa"));
  EXPECT_EQ(transport.calls(), 3);
  ASSERT_TRUE(std::holds_alternative<RetryLater>(out));
  const auto& later = std::get<RetryLater>(out);
  EXPECT_EQ(later.reason, RetryLater::Reason::quota);
  // The quota resets at the next 00:00 UTC (the virtual wall clock starts exactly at one).
  const auto midnight = std::chrono::floor<std::chrono::days>(clock.wall()) + std::chrono::days(1);
  EXPECT_EQ(later.wall_at, midnight);
  EXPECT_EQ(later.at, clock.now() + (midnight - clock.wall()));
  // After the reset the service is callable again.
  clock.advance(later.at - clock.now());
  EXPECT_TRUE(std::holds_alternative<HttpResponse>(client.execute(request(), call("psa"))));
}

TEST_F(ResilientClientTest, ReportedDailyRemainingOfZeroSnoozes) {
  client.report_daily_remaining("svc", 0);
  const CallOutcome out = client.execute(request(), call());
  ASSERT_TRUE(std::holds_alternative<RetryLater>(out));
  EXPECT_EQ(std::get<RetryLater>(out).reason, RetryLater::Reason::quota);
  EXPECT_EQ(transport.calls(), 0);
}

// PSA's 429 means the day's calls are spent: retries would burn more of them for nothing.
// On a service with a daily quota the 429 goes to the provider after one request, so it can
// say what it means (the job runner then snoozes the job).
TEST_F(ResilientClientTest, A429OnAServiceWithADailyQuotaIsReturnedAfterOneRequest) {
  ResilienceOptions o = retry_only();
  o.pacing.daily_quota = 100;
  client.configure("psa", o);
  transport.always(status_response(429));
  const auto start = clock.now();
  const CallOutcome out = client.execute(request(), call("psa"));
  EXPECT_EQ(transport.calls(), 1);
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(out));
  EXPECT_EQ(std::get<HttpResponse>(out).status, 429);
  EXPECT_TRUE(listener.retries().empty());
  EXPECT_EQ(clock.now(), start);  // no backoff slept
  // Without a daily quota a 429 is throttling and is retried (see
  // RetryableStatusReachesTransportExactlyMaxPlusOneTimes).
  (void)client.execute(request(), call("other"));
  EXPECT_EQ(transport.calls(), 1 + 6);
}

TEST_F(ResilientClientTest, ReconfiguringAServiceInUseIsRefused) {
  (void)client.execute(request(), call("used"));
  ResilienceOptions o = retry_only();
  o.retry.max_retries = 1;
  EXPECT_THROW(client.configure("used", o), std::logic_error);
  EXPECT_NO_THROW(client.configure("used", retry_only()));
}

// 64 callers arrive together the instant the open period ends: exactly P of them reach the
// transport as probes, all others are rejected at once. Repeated to shake out races.
void run_probe_race(int probes, int rounds) {
  constexpr int kThreads = 64;
  ManualClock clock(false);
  FakeTransport transport(clock);
  SeededRandom random(7);
  ResilienceOptions o = retry_only();
  o.retry.max_retries = 0;
  o.breaker.consecutive_failures = 1;
  o.breaker.half_open_probes = probes;
  ResilientClient client(transport, clock, random, nullptr, o);

  std::mutex mu;
  std::condition_variable cv;
  int rejected = 0;
  bool opening = true;
  transport.script([&](int, const HttpRequest&, const TransportContext&) {
    std::unique_lock lock(mu);
    if (!opening) {
      // Hold the probe until every other caller has been turned away.
      const bool all_rejected = cv.wait_for(lock, std::chrono::seconds(20),
                                            [&] { return rejected == kThreads - probes; });
      EXPECT_TRUE(all_rejected);
    }
    return status_response(503);
  });
  ASSERT_TRUE(std::holds_alternative<CallFailed>(client.execute(request(), call())));
  opening = false;

  std::barrier start(kThreads + 1);
  std::barrier done(kThreads + 1);
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int r = 0; r < rounds; ++r) {
        start.arrive_and_wait();
        const CallOutcome out = client.execute(request(), call());
        if (const auto* later = std::get_if<RetryLater>(&out);
            later != nullptr && later->reason == RetryLater::Reason::breaker_open) {
          std::lock_guard lock(mu);
          ++rejected;
          cv.notify_all();
        } else if (!std::holds_alternative<CallFailed>(out)) {
          other.fetch_add(1);
        }
        done.arrive_and_wait();
      }
    });
  }
  CircuitBreaker& breaker = *client.breakers().find("svc");
  for (int r = 0; r < rounds; ++r) {
    const int calls_before = transport.calls();
    const auto open_until = breaker.snapshot().open_until;
    clock.advance(open_until - clock.now());
    start.arrive_and_wait();
    done.arrive_and_wait();
    // EXPECT, not ASSERT: the workers wait at the barriers, so the loop must go on.
    EXPECT_EQ(transport.calls() - calls_before, probes) << "round " << r;
    {
      std::lock_guard lock(mu);
      EXPECT_EQ(rejected, kThreads - probes) << "round " << r;
      rejected = 0;
    }
    EXPECT_EQ(breaker.state(), BreakerState::open);
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
}

TEST(BreakerProbeRace, SixtyFourCallersAtOpenEndAdmitExactlyOneProbe) {
  run_probe_race(1, 1000);
}

TEST(BreakerProbeRace, SixtyFourCallersAtOpenEndAdmitExactlyThreeProbes) {
  run_probe_race(3, 200);
}

}  // namespace
}  // namespace cardsync
