// The queue's policy decisions (what the storage is asked to do), with a recording fake.
#include "queue/job_queue.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_storage.hpp"
#include "fixed_random.hpp"

namespace cardsync::queue {
namespace {

using namespace std::chrono_literals;
using testing::FakeStorage;
using testing::FixedRandom;

QueueOptions opts() {
  QueueOptions o;
  o.lease = 2min;
  o.max_attempts = 3;
  o.retry = RetrySchedule{1s, 10s, 2.0};
  o.owner = "me";
  return o;
}

StoredJob claimed(int attempts, int max_attempts = 3) {
  StoredJob j;
  j.id = 9;
  j.attempts = attempts;
  j.max_attempts = max_attempts;
  j.lease_token = "tok";
  return j;
}

TEST(JobQueue, EnqueueTurnsDelaysIntoRunTimesAndAppliesTheDefaultAttempts) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue q(fake, clock, opts());
  q.enqueue(std::vector<NewJob>{{"t", "a", "", "", 0ms, 0}, {"t", "b", "", "", 5s, 7}});
  EXPECT_THAT(fake.enqueued, ::testing::ElementsAre("t:a@0/3", "t:b@5000/7"));
}

TEST(JobQueue, ClaimLeasesForTheConfiguredTimeWithAFreshTokenEachTime) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue q(fake, clock, opts());
  q.claim(5);
  q.claim(5);
  ASSERT_EQ(fake.claims.size(), 2u);
  auto token = [](const std::string& c) { return c.substr(0, c.find('|')); };
  EXPECT_EQ(token(fake.claims[0]).size(), 32u);
  EXPECT_NE(token(fake.claims[0]), token(fake.claims[1]));
  EXPECT_THAT(fake.claims[0], ::testing::EndsWith("|me|120000"));
}

TEST(JobQueue, AFailureIsRetriedWithFullJitterWhileAttemptsRemain) {
  FakeStorage fake;
  ManualClock clock;
  FixedRandom half(0.5);
  JobQueue q(fake, clock, opts(), half);
  auto r1 = q.fail(claimed(1), JobFailure{"HTTP 503", 503, "req-x", false});
  EXPECT_EQ(r1.outcome, FailOutcome::retry_scheduled);
  auto r2 = q.fail(claimed(2), JobFailure{"timeout", 0, "", false});
  EXPECT_EQ(r2.outcome, FailOutcome::retry_scheduled);
  ASSERT_EQ(fake.transitions.size(), 2u);
  EXPECT_EQ(fake.transitions[0].action, sdk::Action::retry);
  EXPECT_EQ(fake.transitions[0].run_in_ms, 500);   // half of 1 s
  EXPECT_EQ(fake.transitions[1].run_in_ms, 1000);  // half of 2 s
  EXPECT_EQ(fake.transitions[0].http_status, 503);
  EXPECT_EQ(fake.transitions[0].token, "tok");
  EXPECT_EQ(r1.run_at_ms, q.now_ms() + 500);
}

TEST(JobQueue, TheLastAttemptOrAPermanentErrorFailsTheJob) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue q(fake, clock, opts());
  EXPECT_EQ(q.fail(claimed(3), JobFailure{"HTTP 500", 500, "", false}).outcome,
            FailOutcome::failed);
  EXPECT_EQ(q.fail(claimed(1), JobFailure{"HTTP 404", 404, "", true}).outcome, FailOutcome::failed);
  ASSERT_EQ(fake.transitions.size(), 2u);
  EXPECT_EQ(fake.transitions[0].action, sdk::Action::fail);
  EXPECT_EQ(fake.transitions[1].action, sdk::Action::fail);
}

TEST(JobQueue, SnoozeAsksForARefundedRequeueAfterTheDelay) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue q(fake, clock, opts());
  EXPECT_TRUE(q.snooze(claimed(2), 90s, "429 Retry-After 90", 429));
  ASSERT_EQ(fake.transitions.size(), 1u);
  EXPECT_EQ(fake.transitions[0].action, sdk::Action::snooze);
  EXPECT_EQ(fake.transitions[0].run_in_ms, 90'000);
  EXPECT_EQ(fake.transitions[0].http_status, 429);
}

TEST(JobQueue, TimesComeFromTheInjectedClock) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue q(fake, clock, opts());
  const int64_t before = q.now_ms();
  clock.advance(1500ms);
  EXPECT_EQ(q.now_ms() - before, 1500);
}

}  // namespace
}  // namespace cardsync::queue
