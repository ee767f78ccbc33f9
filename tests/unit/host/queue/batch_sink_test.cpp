// The batch sink in virtual time: what triggers a flush (its limits, and idle producers
// before them), that a job's transition is never committed apart from (or before) its
// records, and that failed flushes lose nothing.
#include "queue/batch_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "fake_storage.hpp"
#include "fixed_random.hpp"
#include "queue/content_hash.hpp"

namespace cardsync::queue {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using testing::FakeStorage;
using testing::FixedRandom;

BatchUnit unit_with(std::vector<std::string> keys, std::optional<int64_t> complete_job = {},
                    size_t raw_bytes = 10) {
  BatchUnit u;
  for (auto& k : keys) {
    RecordItem r;
    r.kind = CS_RECORD_VARIANT;
    r.key = std::move(k);
    r.source = "test";
    r.core_json = "{}";
    r.raw_json = std::string(raw_bytes, 'x');
    u.records.push_back(std::move(r));
  }
  if (complete_job) {
    TransitionSpec t;
    t.action = sdk::Action::complete;
    t.job_id = *complete_job;
    t.lease_token = "tok";
    u.transition = t;
  }
  return u;
}

BatchSinkOptions options(size_t max_records, size_t max_bytes, std::chrono::milliseconds age) {
  BatchSinkOptions o;
  o.max_records = max_records;
  o.max_bytes = max_bytes;
  o.max_age = age;
  return o;
}

// Waits until the flusher is asleep waiting for the buffer to age.
void wait_for_age_timer(FakeStorage& fake, const BatchSink& sink) {
  ASSERT_TRUE(fake.wait([&] { return sink.waiting_until().has_value(); }));
}

TEST(BatchSink, FlushesWhenTheRecordCountIsReached) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(10, 1 << 30, 1h));
  for (int i = 0; i < 9; ++i) sink.add(unit_with({"k" + std::to_string(i)}));
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(fake.write_attempts(), 0);
  sink.add(unit_with({"k9"}));
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
  EXPECT_EQ(fake.committed()[0].record_keys.size(), 10u);
  sink.flush();  // the stats are updated after the storage returns
  EXPECT_EQ(sink.stats().counts.inserted[CS_RECORD_VARIANT], 10);
  EXPECT_EQ(sink.stats().batches, 1);
}

TEST(BatchSink, FlushesWhenTheByteLimitIsReached) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1000, 1h));
  for (int i = 0; i < 3; ++i) sink.add(unit_with({"k" + std::to_string(i)}, {}, 300));
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(fake.write_attempts(), 0);
  sink.add(unit_with({"k3"}, {}, 300));
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
  EXPECT_EQ(fake.committed()[0].record_keys.size(), 4u);
}

TEST(BatchSink, FlushesWhenTheOldestUnitReachesTheMaximumAge) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 250ms));
  const auto start = clock.now();
  sink.add(unit_with({"a"}));
  clock.advance(100ms);
  sink.add(unit_with({"b"}));  // a younger unit does not restart the timer
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(sink.waiting_until(), start + 250ms);
  clock.advance(149ms);
  EXPECT_EQ(fake.write_attempts(), 0);
  EXPECT_TRUE(sink.waiting_until().has_value()) << "still asleep at 249 ms";
  clock.advance(1ms);
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
  EXPECT_EQ(fake.committed()[0].record_keys.size(), 2u);
}

TEST(BatchSink, DefaultsAreTheDocumentedOnes) {
  BatchSinkOptions o;
  EXPECT_EQ(o.max_records, 1000u);
  EXPECT_EQ(o.max_bytes, 4u * 1024 * 1024);
  EXPECT_EQ(o.max_age, 250ms);
}

TEST(BatchSink, AJobIsMarkedDoneOnlyInTheTransactionThatCommitsItsRecords) {
  FakeStorage fake;
  ManualClock clock;
  std::atomic<int> failures_left{2};
  std::atomic<bool> callback_ran_early{false};
  std::atomic<int> callbacks{0};
  fake.before_write = [&](const sdk::WriteBatch&) {
    if (callbacks.load() != 0) callback_ran_early = true;
    if (failures_left.fetch_sub(1) > 0) throw StorageError(CS_RETRY, "database is busy");
  };
  BatchSinkOptions o = options(1000, 1 << 30, 1h);
  o.retry = RetrySchedule{0ms, 0ms, 2.0};  // immediate retries; backoff has its own test
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, o);
  UnitOutcome seen;
  sink.add(unit_with({"r1", "r2"}, int64_t{42}), [&](const UnitOutcome& out) {
    seen = out;
    callbacks++;
  });
  sink.flush();
  EXPECT_EQ(fake.write_attempts(), 3);
  EXPECT_FALSE(callback_ran_early);
  EXPECT_EQ(callbacks.load(), 1);
  EXPECT_TRUE(seen.committed);
  EXPECT_TRUE(seen.transition_applied);
  auto batches = fake.committed();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].record_keys.size(), 2u);
  EXPECT_THAT(batches[0].transition_jobs, ElementsAre(42));
}

TEST(BatchSink, AFailedFlushIsRetriedWithBackoffAndLosesNothing) {
  FakeStorage fake;
  ManualClock clock;
  std::atomic<int> failures_left{2};
  fake.before_write = [&](const sdk::WriteBatch&) {
    if (failures_left.fetch_sub(1) > 0) throw StorageError(CS_RETRY, "connection reset");
  };
  BatchSinkOptions o = options(1000, 1 << 30, 1h);
  o.retry = RetrySchedule{100ms, 10s, 2.0};
  FixedRandom half(0.5);
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, o, half);
  for (int i = 0; i < 5; ++i) sink.add(unit_with({"k" + std::to_string(i)}, int64_t{i}));
  auto flushed = std::async(std::launch::async, [&] { sink.flush(); });

  // First failure: the retry waits half of 100 ms.
  ASSERT_TRUE(fake.wait([&] { return fake.write_attempts() == 1 && clock.sleepers() == 1; }));
  clock.advance(49ms);
  EXPECT_EQ(fake.write_attempts(), 1);
  clock.advance(1ms);
  // Second failure: half of 200 ms.
  ASSERT_TRUE(fake.wait([&] { return fake.write_attempts() == 2 && clock.sleepers() == 1; }));
  clock.advance(99ms);
  EXPECT_EQ(fake.write_attempts(), 2);
  clock.advance(1ms);
  ASSERT_EQ(flushed.wait_for(20s), std::future_status::ready);

  auto batches = fake.committed();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_THAT(batches[0].record_keys.size(), 5u);
  EXPECT_THAT(batches[0].transition_jobs, ElementsAre(0, 1, 2, 3, 4));
  auto stats = sink.stats();
  EXPECT_EQ(stats.failed_attempts, 2);
  EXPECT_EQ(stats.units_committed, 5);
  EXPECT_EQ(stats.units_failed, 0);
  EXPECT_EQ(stats.last_error, "connection reset");
}

TEST(BatchSink, APermanentFailureFailsOnlyTheBadUnit) {
  FakeStorage fake;
  ManualClock clock;
  fake.before_write = [](const sdk::WriteBatch& b) {
    for (const auto& r : b.records) {
      if (r.key == "bad") throw StorageError(CS_PERMANENT, "core_json is not JSON");
    }
  };
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  std::vector<UnitOutcome> outcomes(3);
  sink.add(unit_with({"a"}, int64_t{1}), [&](const UnitOutcome& o) { outcomes[0] = o; });
  sink.add(unit_with({"bad"}, int64_t{2}), [&](const UnitOutcome& o) { outcomes[1] = o; });
  sink.add(unit_with({"c"}, int64_t{3}), [&](const UnitOutcome& o) { outcomes[2] = o; });
  sink.flush();
  EXPECT_TRUE(outcomes[0].committed);
  EXPECT_FALSE(outcomes[1].committed);
  EXPECT_THAT(outcomes[1].error, ::testing::HasSubstr("not JSON"));
  EXPECT_TRUE(outcomes[2].committed);
  std::vector<int64_t> done;
  size_t records = 0;
  for (const auto& b : fake.committed()) {
    records += b.record_keys.size();
    done.insert(done.end(), b.transition_jobs.begin(), b.transition_jobs.end());
  }
  EXPECT_EQ(records, 2u) << "each good record exactly once";
  EXPECT_THAT(done, ElementsAre(1, 3));
}

TEST(BatchSink, AFatalFailureGivesUpAtOnceAndCommitsNothingAfterIt) {
  FakeStorage fake;
  ManualClock clock;
  std::atomic<bool> disk_full{true};
  fake.before_write = [&](const sdk::WriteBatch&) {
    if (disk_full) throw StorageError(CS_FATAL, "disk full writing /data/cardsync.db");
  };
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  UnitOutcome first;
  sink.add(unit_with({"a"}, int64_t{1}), [&](const UnitOutcome& o) { first = o; });
  sink.flush();  // returns without any retry in virtual time
  EXPECT_FALSE(first.committed);
  EXPECT_EQ(first.error, "disk full writing /data/cardsync.db");
  EXPECT_EQ(fake.write_attempts(), 1);

  // Space came back before the process stopped: a later page's checkpoint must still not be
  // stored, or it would skip the page that was lost.
  disk_full = false;
  UnitOutcome second;
  sink.add(unit_with({"b"}, int64_t{1}), [&](const UnitOutcome& o) { second = o; });
  sink.flush();
  EXPECT_FALSE(second.committed);
  EXPECT_EQ(second.error, "disk full writing /data/cardsync.db");
  EXPECT_EQ(fake.write_attempts(), 1);
  EXPECT_TRUE(fake.committed().empty());
  EXPECT_EQ(sink.stats().units_failed, 2);
}

TEST(BatchSink, RecordsOfAKeyReachTheStorageInUnitOrder) {
  // The storage keeps the last record of a (kind, key) (write_batch in abi.h): the sink only
  // has to keep the units' order for the newest to win.
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  BatchUnit first = unit_with({"same", "other"});
  BatchUnit second = unit_with({"same"});
  second.records[0].core_json = R"({"newer":true})";
  const std::string older_hash =
      content_hash("", "test", first.records[0].core_json, first.records[0].raw_json);
  const std::string other_hash =
      content_hash("", "test", first.records[1].core_json, first.records[1].raw_json);
  const std::string newer_hash =
      content_hash("", "test", second.records[0].core_json, second.records[0].raw_json);
  sink.add(std::move(first));
  sink.add(std::move(second));
  sink.flush();
  auto batches = fake.committed();
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_THAT(batches[0].record_keys,
              ElementsAre("4:same:" + older_hash, "4:other:" + other_hash, "4:same:" + newer_hash));
}

TEST(BatchSink, FollowUpJobsAreEnqueuedWithTheBatchAndReported) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  BatchUnit u = unit_with({"r"}, int64_t{7});
  u.jobs.push_back(NewJob{"justtcg.cards", "set-1", "", "req", 0ms, 0});
  u.jobs.push_back(NewJob{"justtcg.cards", "set-2", "", "req", 0ms, 0});
  UnitOutcome seen;
  sink.add(std::move(u), [&](const UnitOutcome& o) { seen = o; });
  sink.flush();
  ASSERT_EQ(fake.committed().size(), 1u);
  EXPECT_THAT(fake.committed()[0].job_keys, ElementsAre("set-1", "set-2"));
  EXPECT_EQ(seen.jobs.size(), 2u);
}

TEST(BatchSink, FollowUpJobsGetTheQueuesDefaults) {
  FakeStorage fake;
  ManualClock clock;
  QueueOptions queue_options;
  queue_options.max_attempts = 3;
  JobQueue jobs(fake, clock, queue_options);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  BatchUnit u = unit_with({"r"}, int64_t{7});
  u.jobs.push_back(NewJob{"justtcg.cards", "set-1", "", "req", 0ms, 0});
  u.jobs.push_back(NewJob{"justtcg.cards", "set-2", "", "req", 5s, 7});
  sink.add(std::move(u));
  sink.flush();
  ASSERT_EQ(fake.committed().size(), 1u);
  // The same rows JobQueue::enqueue asks for: the delay after the batch's time, the queue's
  // max_attempts where the job names none.
  EXPECT_THAT(fake.committed()[0].job_specs, ElementsAre("set-1@0/3", "set-2@5000/7"));
}

TEST(BatchSink, StopCommitsWhatIsBuffered) {
  FakeStorage fake;
  ManualClock clock;
  int committed = 0;
  {
    JobQueue jobs(fake, clock);
    BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
    sink.add(unit_with({"x"}), [&](const UnitOutcome& o) { committed += o.committed ? 1 : 0; });
  }
  EXPECT_EQ(committed, 1);
  EXPECT_EQ(fake.committed_count(), 1u);
}

// The idle rule: with the age at an hour, only the producers' idleness can commit these
// batches while the virtual clock stands still.
BatchUnit unit_with_job(std::string key) {
  BatchUnit u = unit_with({key});
  u.jobs.push_back(NewJob{"justtcg.cards", std::move(key), "", "req", 0ms, 0});
  return u;
}

TEST(BatchSink, CommitsAtOnceWhenEveryProducerIsIdle) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  sink.producer_joined();
  sink.producer_joined();
  sink.producer_busy();
  sink.producer_busy();
  sink.add(unit_with({"a"}));
  sink.producer_idle();  // the other one may still add
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(fake.write_attempts(), 0);
  sink.add(unit_with({"b"}));
  sink.producer_idle();
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
  EXPECT_EQ(fake.committed()[0].record_keys.size(), 2u) << "both producers' units, together";
}

TEST(BatchSink, AnIdleProducerGetsFollowUpJobsAtOnce) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  sink.producer_joined();
  sink.producer_joined();
  sink.producer_busy();  // the other one waits for work
  sink.add(unit_with({"records only"}));
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(fake.write_attempts(), 0) << "records alone wait while a producer is busy";
  sink.add(unit_with_job("set-1"));
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
  EXPECT_THAT(fake.committed()[0].job_keys, ElementsAre("set-1"));
}

TEST(BatchSink, TheAgeStillBoundsABatchWhileAProducerIsBusy) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 250ms));
  sink.producer_joined();
  sink.producer_busy();
  sink.add(unit_with_job("set-1"));  // nobody idle to run it: no hurry
  wait_for_age_timer(fake, sink);
  clock.advance(249ms);
  EXPECT_EQ(fake.write_attempts(), 0);
  EXPECT_TRUE(sink.waiting_until().has_value()) << "still asleep at 249 ms";
  clock.advance(1ms);
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
}

TEST(BatchSink, AProducerLeavingLetsTheIdleRestCommit) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 1h));
  sink.producer_joined();
  sink.producer_joined();
  sink.producer_busy();
  sink.add(unit_with({"a"}));
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(fake.write_attempts(), 0);
  sink.producer_left(false);
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
}

TEST(BatchSink, WithoutProducersOnlyTheLimitsCommit) {
  FakeStorage fake;
  ManualClock clock;
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, options(1000, 1 << 30, 250ms));
  sink.producer_joined();
  sink.producer_left(true);
  sink.add(unit_with_job("set-1"));
  wait_for_age_timer(fake, sink);
  EXPECT_EQ(fake.write_attempts(), 0);
  clock.advance(250ms);
  ASSERT_TRUE(fake.wait([&] { return fake.committed_count() == 1; }));
}

TEST(BatchSink, ManyWorkersLoseAndDuplicateNothing) {
  FakeStorage fake;
  ManualClock clock;
  std::atomic<int> calls{0};
  fake.before_write = [&](const sdk::WriteBatch&) {
    if (calls.fetch_add(1) % 3 == 0) throw StorageError(CS_RETRY, "busy");
  };
  BatchSinkOptions o = options(50, 1 << 30, 1h);
  o.retry = RetrySchedule{0ms, 0ms, 2.0};
  JobQueue jobs(fake, clock);
  BatchSink sink(fake, jobs, clock, o);
  std::vector<std::thread> workers;
  workers.reserve(4);
  std::atomic<int> callbacks{0};
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 250; ++i) {
        sink.add(unit_with({std::to_string(w) + "-" + std::to_string(i)}),
                 [&](const UnitOutcome& out) { callbacks += out.committed ? 1 : 0; });
      }
    });
  }
  for (auto& t : workers) t.join();
  sink.flush();
  std::multiset<std::string> keys;
  for (const auto& b : fake.committed()) keys.insert(b.record_keys.begin(), b.record_keys.end());
  EXPECT_EQ(keys.size(), 1000u);
  std::set<std::string> unique(keys.begin(), keys.end());
  EXPECT_EQ(unique.size(), 1000u);
  EXPECT_EQ(callbacks.load(), 1000);
}

}  // namespace
}  // namespace cardsync::queue
