// The storage contract (docs/storage-contract.md, docs/job-queue.md), checked
// against each storage plugin loaded through the host's plugin registry. Times are explicit
// milliseconds: storage never reads a clock, so lease expiry is tested without waiting.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <map>
#include <set>
#include <thread>

#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "plugin/plugin_storage.hpp"
#include "storage_backend.hpp"

extern char** environ;

namespace cardsync::conformance {
namespace {

using queue::StorageError;
using queue::StoredJob;
using ::testing::HasSubstr;

constexpr int64_t kT0 = 1'700'000'000'000;  // an arbitrary wall time, ms

sdk::JobSpec spec(std::string_view type, std::string_view key, int64_t run_at = kT0,
                  int max_attempts = 3) {
  return sdk::JobSpec{type, key, R"({"p":1})", "req-1", run_at, max_attempts};
}

sdk::ClaimRequest claim_req(std::string_view token, int max_jobs = 1, int64_t now = kT0,
                            int64_t lease_ms = 60'000) {
  return sdk::ClaimRequest{max_jobs, "test-owner", token, now, now + lease_ms, {}};
}

sdk::Transition transition(sdk::Action action, const StoredJob& job, int64_t now = kT0,
                           std::string_view token = {}) {
  sdk::Transition t;
  t.action = action;
  t.job_id = job.id;
  t.lease_token = token.empty() ? std::string_view(job.lease_token) : token;
  t.now_ms = now;
  t.run_at_ms = now;
  return t;
}

class StorageConformance : public ::testing::TestWithParam<StorageBackend> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    scratch_ = std::filesystem::temp_directory_path() /
               ("cardsync-conformance-" + std::to_string(getpid()) + "-" + info->name());
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    config_ = GetParam().fresh_config(scratch_.string());
    auto services = std::make_shared<plugin::HostServices>(nullptr);
    registry_ = std::make_unique<plugin::Registry>(services);
    lib_ = registry_->load_file(plugin_path());
    storage_ = open();
    storage_->migrate();
  }
  void TearDown() override {
    storage_.reset();
    std::filesystem::remove_all(scratch_);
  }

  std::filesystem::path plugin_path() const {
    return std::filesystem::path(CARDSYNC_PLUGIN_DIR) /
           ("cardsync-storage-" + GetParam().plugin + ".so");
  }
  std::unique_ptr<plugin::PluginStorage> open() {
    return std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib_, config_)));
  }

  StoredJob job(int64_t id) {
    sdk::JobQuery q;
    q.after_id = id - 1;
    q.limit = 1;
    q.with_errors = true;
    auto jobs = storage_->list_jobs(q);
    EXPECT_EQ(jobs.size(), 1u);
    return jobs.empty() ? StoredJob{} : jobs.front();
  }
  std::vector<StoredJob> all_jobs() { return storage_->list_jobs(sdk::JobQuery{}); }

  StoredJob enqueue_and_claim(std::string_view key, std::string_view token, int max_attempts = 3) {
    storage_->enqueue({spec("t.a", key, kT0, max_attempts)}, kT0);
    auto claimed = storage_->claim(claim_req(token));
    EXPECT_EQ(claimed.size(), 1u);
    return claimed.empty() ? StoredJob{} : claimed.front();
  }

  static sdk::StoredRecord record(uint32_t kind, std::string_view key, std::string_view hash,
                                  std::string_view core = R"({"n":1})") {
    return sdk::StoredRecord{kind, key, "parent", "test", core, R"({"raw":true})", hash};
  }

  std::filesystem::path scratch_;
  std::string config_;
  std::unique_ptr<plugin::Registry> registry_;
  std::shared_ptr<const plugin::Library> lib_;
  std::unique_ptr<plugin::PluginStorage> storage_;
};

// ---- enqueue and deduplication ---------------------------------------------------------------

TEST_P(StorageConformance, ConcurrentDuplicateEnqueueYieldsOneLiveJob) {
  constexpr int kThreads = 32;
  for (int round = 0; round < 50; ++round) {
    const std::string key = "key-" + std::to_string(round);
    std::vector<sdk::EnqueueResult> results(kThreads);
    std::vector<std::string> errors(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          results[i] = storage_->enqueue({spec("t.dup", key)}, kT0).front();
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    int duplicates = 0;
    for (int i = 0; i < kThreads; ++i) {
      ASSERT_EQ(errors[i], "") << "round " << round;
      EXPECT_EQ(results[i].id, results[0].id) << "round " << round;
      duplicates += results[i].duplicate ? 1 : 0;
    }
    EXPECT_EQ(duplicates, kThreads - 1) << "round " << round;
  }
  auto jobs = all_jobs();
  ASSERT_EQ(jobs.size(), 50u);
  std::set<std::string> keys;
  for (const auto& j : jobs) keys.insert(j.key);
  EXPECT_EQ(keys.size(), 50u);
}

TEST_P(StorageConformance, DuplicateWithinOneCallReturnsTheFirst) {
  auto r = storage_->enqueue({spec("t.a", "k"), spec("t.a", "k"), spec("t.b", "k")}, kT0);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].duplicate);
  EXPECT_TRUE(r[1].duplicate);
  EXPECT_EQ(r[1].id, r[0].id);
  EXPECT_FALSE(r[2].duplicate);
  EXPECT_NE(r[2].id, r[0].id);
  // A processing job still holds its key.
  auto claimed = storage_->claim(claim_req("tok", 5));
  ASSERT_EQ(claimed.size(), 2u);
  auto again = storage_->enqueue({spec("t.a", "k")}, kT0).front();
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(again.id, r[0].id);
}

TEST_P(StorageConformance, EnqueueOfABadBatchChangesNothing) {
  try {
    storage_->enqueue({spec("t.a", "ok"), spec("", "no-type")}, kT0);
    FAIL() << "an empty type must be refused";
  } catch (const StorageError& e) {
    EXPECT_EQ(e.status(), CS_PERMANENT) << e.what();
  }
  EXPECT_TRUE(all_jobs().empty());
}

// ---- claims ------------------------------------------------------------------------------------

TEST_P(StorageConformance, TenThousandJobsAreEachClaimedExactlyOnce) {
  constexpr int kJobs = 10'000;
  std::vector<std::string> keys;
  keys.reserve(kJobs);
  for (int i = 0; i < kJobs; ++i) keys.push_back("job-" + std::to_string(i));
  std::vector<sdk::JobSpec> specs;
  specs.reserve(keys.size());
  for (const auto& k : keys) specs.push_back(spec("t.bulk", k));
  storage_->enqueue(specs, kT0);

  constexpr int kThreads = 16;
  std::vector<std::vector<int64_t>> claimed(kThreads);
  std::vector<std::string> errors(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const std::string token = "tok-" + std::to_string(i);
      try {
        while (true) {
          auto jobs = storage_->claim(claim_req(token, 10));
          if (jobs.empty()) break;
          EXPECT_LE(jobs.size(), 10u);
          for (const auto& j : jobs) claimed[i].push_back(j.id);
        }
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  std::map<int64_t, int> times;
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(errors[i], "");
    for (int64_t id : claimed[i]) times[id] += 1;
  }
  EXPECT_EQ(times.size(), static_cast<size_t>(kJobs));
  for (const auto& [id, n] : times) ASSERT_EQ(n, 1) << "job " << id;
  auto stats = storage_->stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].state, sdk::JobState::processing);
  EXPECT_EQ(stats[0].count, kJobs);
}

TEST_P(StorageConformance, ConcurrentCyclesNeverReportTheDatabaseLocked) {
  constexpr int kThreads = 8;
  constexpr int kCycles = 1000;
  std::atomic<int> completed{0};
  std::vector<std::string> errors(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const std::string token = "worker-" + std::to_string(i);
      try {
        for (int c = 0; c < kCycles; ++c) {
          std::string key = std::to_string(i) + "-" + std::to_string(c);
          storage_->enqueue({spec("t.cycle", key)}, kT0);
          for (const auto& j : storage_->claim(claim_req(token, 1))) {
            auto applied = storage_->transition({transition(sdk::Action::complete, j)});
            if (applied.front()) completed.fetch_add(1);
          }
        }
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    EXPECT_EQ(e, "");
    EXPECT_THAT(e, ::testing::Not(HasSubstr("locked")));
  }
  // Jobs left queued by a thread whose claim found another's job are finished here.
  for (const auto& j : storage_->claim(claim_req("final", kThreads * kCycles))) {
    if (storage_->transition({transition(sdk::Action::complete, j)}).front()) completed++;
  }
  EXPECT_EQ(completed.load(), kThreads * kCycles);
  auto stats = storage_->stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].state, sdk::JobState::done);
  EXPECT_EQ(stats[0].count, kThreads * kCycles);
}

TEST_P(StorageConformance, ClaimTakesOnlyDueJobsOfTheAskedTypesOldestFirst) {
  storage_->enqueue({spec("t.a", "later", kT0 + 5000), spec("t.a", "second", kT0 - 10),
                     spec("t.a", "first", kT0 - 20), spec("t.b", "other", kT0 - 30)},
                    kT0);
  auto req = claim_req("tok", 10);
  req.types = {"t.a"};
  auto jobs = storage_->claim(req);
  ASSERT_EQ(jobs.size(), 2u);
  std::sort(jobs.begin(), jobs.end(),
            [](const auto& a, const auto& b) { return a.run_at_ms < b.run_at_ms; });
  EXPECT_EQ(jobs[0].key, "first");
  EXPECT_EQ(jobs[1].key, "second");
  EXPECT_EQ(jobs[0].attempts, 1);
  EXPECT_EQ(jobs[0].state, sdk::JobState::processing);
  EXPECT_EQ(jobs[0].lease_token, "tok");
  EXPECT_EQ(jobs[0].payload, R"({"p":1})");
  EXPECT_EQ(jobs[0].request_id, "req-1");
  // max_jobs bounds the claim and picks the oldest due.
  auto one = storage_->claim(claim_req("tok2", 1, kT0 + 6000));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].key, "other");
}

// ---- leases and fencing ------------------------------------------------------------------------

TEST_P(StorageConformance, StaleLeaseTokenCannotTouchARescuedJob) {
  StoredJob first = enqueue_and_claim("k", "token-A");
  // The lease (60 s) expires; the job is rescued and claimed by someone else.
  EXPECT_EQ(storage_->rescue_expired(kT0 + 30'000).requeued, 0);
  auto rescued = storage_->rescue_expired(kT0 + 61'000);
  EXPECT_EQ(rescued.requeued, 1);
  auto second = storage_->claim(claim_req("token-B", 1, kT0 + 62'000));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, first.id);
  EXPECT_EQ(second[0].attempts, 2);

  for (auto action : {sdk::Action::complete, sdk::Action::checkpoint, sdk::Action::fail,
                      sdk::Action::retry, sdk::Action::snooze}) {
    auto t = transition(action, first, kT0 + 63'000, "token-A");
    t.error_message = "late";
    EXPECT_FALSE(storage_->transition({t}).front()) << static_cast<int>(action);
  }
  EXPECT_FALSE(storage_->heartbeat(first.id, "token-A", kT0 + 999'000, kT0 + 63'000));
  StoredJob now = job(first.id);
  EXPECT_EQ(now.state, sdk::JobState::processing);
  EXPECT_EQ(now.lease_token, "token-B");
  EXPECT_EQ(now.attempts, 2);

  EXPECT_TRUE(
      storage_->transition({transition(sdk::Action::complete, second[0], kT0 + 64'000)}).front());
  EXPECT_EQ(job(first.id).state, sdk::JobState::done);
}

TEST_P(StorageConformance, HeartbeatKeepsTheLease) {
  StoredJob j = enqueue_and_claim("k", "tok");
  EXPECT_TRUE(storage_->heartbeat(j.id, "tok", kT0 + 120'000, kT0 + 50'000));
  EXPECT_EQ(storage_->rescue_expired(kT0 + 90'000).requeued, 0);
  EXPECT_EQ(job(j.id).state, sdk::JobState::processing);
  EXPECT_EQ(storage_->rescue_expired(kT0 + 121'000).requeued, 1);
}

TEST_P(StorageConformance, KilledWorkerProcessLeaseIsRescuedWithTheAttemptCounted) {
  auto id = storage_->enqueue({spec("t.crash", "k")}, kT0).front().id;
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string so = plugin_path().string();
  std::string now = std::to_string(kT0);
  std::string until = std::to_string(kT0 + 30'000);
  std::string worker = CARDSYNC_CONFORMANCE_WORKER;
  std::string token = "crashing-worker";
  char* argv[] = {worker.data(), so.data(),    config_.data(), now.data(),
                  until.data(),  token.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, worker.c_str(), &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string line;
  char c = 0;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  close(out[0]);
  ASSERT_EQ(line, std::to_string(id)) << "the worker did not claim the job";

  // Killed while holding the lease: no chance to release anything.
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));

  StoredJob held = job(id);
  EXPECT_EQ(held.state, sdk::JobState::processing);
  EXPECT_EQ(held.lease_token, "crashing-worker");
  EXPECT_EQ(held.attempts, 1);
  EXPECT_EQ(storage_->rescue_expired(kT0 + 29'999).requeued, 0);
  EXPECT_EQ(job(id).state, sdk::JobState::processing);

  EXPECT_EQ(storage_->rescue_expired(kT0 + 30'001).requeued, 1);
  StoredJob back = job(id);
  EXPECT_EQ(back.state, sdk::JobState::queued);
  EXPECT_EQ(back.attempts, 1);
  ASSERT_EQ(back.errors.size(), 1u);
  EXPECT_EQ(back.errors[0].message, "lease expired");
  EXPECT_EQ(back.errors[0].attempt, 1);
  auto again = storage_->claim(claim_req("survivor", 1, kT0 + 30'002));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, id);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(StorageConformance, RescueFailsAJobWithNoAttemptsLeft) {
  StoredJob j = enqueue_and_claim("k", "tok", /*max_attempts=*/1);
  auto r = storage_->rescue_expired(kT0 + 61'000);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.requeued, 0);
  StoredJob failed = job(j.id);
  EXPECT_EQ(failed.state, sdk::JobState::failed);
  ASSERT_EQ(failed.errors.size(), 1u);
  EXPECT_EQ(failed.errors[0].message, "lease expired");
}

// ---- transitions
// ---------------------------------------------------------------------------------

TEST_P(StorageConformance, RetryKeepsTheAttemptAndSnoozeRefundsIt) {
  StoredJob j = enqueue_and_claim("k", "tok");
  auto cp = transition(sdk::Action::checkpoint, j);
  cp.cursor = "page=3";
  EXPECT_TRUE(storage_->transition({cp}).front());

  auto retry = transition(sdk::Action::retry, j, kT0 + 10);
  retry.run_at_ms = kT0 + 5000;
  retry.error_message = "HTTP 503";
  retry.http_status = 503;
  retry.request_id = "req-retry";
  EXPECT_TRUE(storage_->transition({retry}).front());
  StoredJob after = job(j.id);
  EXPECT_EQ(after.state, sdk::JobState::queued);
  EXPECT_EQ(after.attempts, 1);
  EXPECT_EQ(after.run_at_ms, kT0 + 5000);
  EXPECT_EQ(after.cursor, "page=3") << "a retry resumes from the last checkpoint";
  ASSERT_EQ(after.errors.size(), 1u);
  EXPECT_EQ(after.errors[0].http_status, 503);
  EXPECT_EQ(after.errors[0].request_id, "req-retry");
  EXPECT_EQ(after.errors[0].at_ms, kT0 + 10);
  EXPECT_TRUE(storage_->claim(claim_req("early", 1, kT0 + 4999)).empty());

  auto second = storage_->claim(claim_req("tok2", 1, kT0 + 5000));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].attempts, 2);
  EXPECT_EQ(second[0].cursor, "page=3");
  auto snooze = transition(sdk::Action::snooze, second[0], kT0 + 5001);
  snooze.run_at_ms = kT0 + 9000;
  snooze.error_message = "throttled (429)";
  EXPECT_TRUE(storage_->transition({snooze}).front());
  StoredJob snoozed = job(j.id);
  EXPECT_EQ(snoozed.state, sdk::JobState::queued);
  EXPECT_EQ(snoozed.attempts, 1) << "a snooze does not spend an attempt";
  EXPECT_EQ(snoozed.run_at_ms, kT0 + 9000);
}

TEST_P(StorageConformance, FailFreesTheKeyAndRetryOfFailedReusesIt) {
  StoredJob j = enqueue_and_claim("k", "tok");
  auto fail = transition(sdk::Action::fail, j);
  fail.error_message = "HTTP 404";
  fail.http_status = 404;
  EXPECT_TRUE(storage_->transition({fail}).front());
  EXPECT_EQ(job(j.id).state, sdk::JobState::failed);

  // The key is free: a new job takes it.
  auto fresh = storage_->enqueue({spec("t.a", "k")}, kT0).front();
  EXPECT_FALSE(fresh.duplicate);
  EXPECT_NE(fresh.id, j.id);
  // While the key is live again, the failed job cannot come back.
  auto blocked = storage_->retry_failed(j.id, {}, kT0);
  EXPECT_EQ(blocked.requeued, 0);
  EXPECT_EQ(blocked.skipped, 1);
  EXPECT_EQ(job(j.id).state, sdk::JobState::failed);

  auto taken = storage_->claim(claim_req("tok2"));
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_TRUE(storage_->transition({transition(sdk::Action::complete, taken[0])}).front());
  auto retried = storage_->retry_failed(j.id, {}, kT0 + 100);
  EXPECT_EQ(retried.requeued, 1);
  StoredJob back = job(j.id);
  EXPECT_EQ(back.state, sdk::JobState::queued);
  EXPECT_EQ(back.attempts, 0);
  EXPECT_EQ(back.run_at_ms, kT0 + 100);
  EXPECT_EQ(back.errors.size(), 1u) << "the history survives a retry";
  // It holds the key again.
  auto dup = storage_->enqueue({spec("t.a", "k")}, kT0).front();
  EXPECT_TRUE(dup.duplicate);
  EXPECT_EQ(dup.id, j.id);
  // Retrying a job that is not failed changes nothing.
  auto noop = storage_->retry_failed(j.id, {}, kT0);
  EXPECT_EQ(noop.requeued, 0);
  EXPECT_EQ(noop.skipped, 0);
}

TEST_P(StorageConformance, RetryAllFailedRequeuesOneJobPerKey) {
  for (int i = 0; i < 2; ++i) {  // two failed twins of t.a/k
    StoredJob j = enqueue_and_claim("k", "tok" + std::to_string(i));
    EXPECT_TRUE(storage_->transition({transition(sdk::Action::fail, j)}).front());
  }
  StoredJob other = enqueue_and_claim("other", "tok3");
  EXPECT_TRUE(storage_->transition({transition(sdk::Action::fail, other)}).front());

  auto r = storage_->retry_failed(0, {}, kT0);
  EXPECT_EQ(r.requeued, 2);
  EXPECT_EQ(r.skipped, 1);
  int queued = 0;
  for (const auto& s : storage_->stats()) {
    if (s.state == sdk::JobState::queued) queued += static_cast<int>(s.count);
  }
  EXPECT_EQ(queued, 2);
}

TEST_P(StorageConformance, ErrorHistoryKeepsTheLastTwenty) {
  storage_->enqueue({spec("t.a", "k", kT0, 100)}, kT0);
  for (int i = 1; i <= 25; ++i) {
    auto jobs = storage_->claim(claim_req("tok" + std::to_string(i), 1, kT0 + i));
    ASSERT_EQ(jobs.size(), 1u);
    auto t = transition(sdk::Action::retry, jobs[0], kT0 + i);
    const std::string message = "error " + std::to_string(i);  // the transition holds a view
    t.error_message = message;
    ASSERT_TRUE(storage_->transition({t}).front());
  }
  auto failed = storage_->claim(claim_req("last", 1, kT0 + 100));
  ASSERT_EQ(failed.size(), 1u);
  StoredJob j = job(failed[0].id);
  ASSERT_EQ(j.errors.size(), 20u);
  EXPECT_EQ(j.errors.front().message, "error 6");
  EXPECT_EQ(j.errors.front().attempt, 6);
  EXPECT_EQ(j.errors.back().message, "error 25");
}

// ---- write batch
// ---------------------------------------------------------------------------------

TEST_P(StorageConformance, UpsertCountsAreExact) {
  sdk::WriteBatch b;
  b.now_ms = kT0;
  b.records = {record(CS_RECORD_VARIANT, "v1", "h1"), record(CS_RECORD_VARIANT, "v2", "h2"),
               record(CS_RECORD_VARIANT, "v3", "h3"), record(CS_RECORD_CARD, "c1", "x"),
               record(CS_RECORD_CARD, "c2", "y")};
  auto r = storage_->write_batch(b);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_VARIANT], 3);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_CARD], 2);
  EXPECT_EQ(r.counts.updated[CS_RECORD_VARIANT], 0);

  b.records = {record(CS_RECORD_VARIANT, "v1", "h1"),      // unchanged
               record(CS_RECORD_VARIANT, "v2", "h2-new"),  // updated
               record(CS_RECORD_VARIANT, "v3", "h3"),      // unchanged
               record(CS_RECORD_VARIANT, "v4", "h4"),      // inserted
               record(CS_RECORD_GAME, "c1", "x"),          // another kind, same key: new
               record(9, "odd", "z"),                      // unknown kind
               record(CS_RECORD_SET, "", "z")};            // no key
  r = storage_->write_batch(b);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_VARIANT], 1);
  EXPECT_EQ(r.counts.updated[CS_RECORD_VARIANT], 1);
  EXPECT_EQ(r.counts.unchanged[CS_RECORD_VARIANT], 2);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_GAME], 1);
  EXPECT_EQ(r.counts.rejected[9], 1);
  EXPECT_EQ(r.counts.rejected[CS_RECORD_SET], 1);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_CARD] + r.counts.updated[CS_RECORD_CARD] +
                r.counts.unchanged[CS_RECORD_CARD],
            0);

  // Each kind has its own counts; another write of everything is all unchanged.
  b.records = {record(CS_RECORD_VARIANT, "v1", "h1"), record(CS_RECORD_VARIANT, "v2", "h2-new"),
               record(CS_RECORD_VARIANT, "v3", "h3"), record(CS_RECORD_VARIANT, "v4", "h4")};
  r = storage_->write_batch(b);
  EXPECT_EQ(r.counts.unchanged[CS_RECORD_VARIANT], 4);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_VARIANT] + r.counts.updated[CS_RECORD_VARIANT], 0);
}

TEST_P(StorageConformance, ABatchOfTensOfMegabytesIsWrittenAndCountedExactly) {
  // Larger than any one statement a plugin may send (PostgreSQL splits both the keys, 10 MB
  // here, and the changed rows, 15 MB, at 8 MB): every part is written and counted, and the
  // changed rows carry their new content.
  constexpr int kRecords = 20'000;
  const std::string pad(500, 'k');
  const std::string raw_old = R"({"pad":")" + std::string(1000, 'o') + R"("})";
  const std::string raw_new = R"({"pad":")" + std::string(1000, 'n') + R"("})";
  std::vector<std::string> keys;
  keys.reserve(kRecords);
  for (int i = 0; i < kRecords; ++i) keys.push_back("big-" + std::to_string(i) + "-" + pad);
  auto batch = [&](int changed_every) {
    sdk::WriteBatch b;
    b.now_ms = kT0;
    for (int i = 0; i < kRecords; ++i) {
      const bool changed = changed_every > 0 && i % changed_every == 0;
      b.records.push_back(sdk::StoredRecord{
          CS_RECORD_VARIANT, keys[static_cast<size_t>(i)], "parent", "test", R"({"n":1})",
          changed ? raw_new : raw_old, changed ? "h-new" : "h-old"});
    }
    return b;
  };
  auto r = storage_->write_batch(batch(0));
  EXPECT_EQ(r.counts.inserted[CS_RECORD_VARIANT], kRecords);
  r = storage_->write_batch(batch(2));
  EXPECT_EQ(r.counts.inserted[CS_RECORD_VARIANT], 0);
  EXPECT_EQ(r.counts.updated[CS_RECORD_VARIANT], kRecords / 2);
  EXPECT_EQ(r.counts.unchanged[CS_RECORD_VARIANT], kRecords / 2);
  for (int i : {0, 1, kRecords - 2, kRecords - 1}) {
    const std::string& key = keys[static_cast<size_t>(i)];
    auto rows = storage_->read_records(sdk::RecordQuery{CS_RECORD_VARIANT, key, {}, {}, 0});
    ASSERT_EQ(rows.size(), 1u) << i;
    EXPECT_EQ(rows[0].raw_json, i % 2 == 0 ? raw_new : raw_old) << i;
    EXPECT_EQ(rows[0].version, i % 2 == 0 ? 2 : 1) << i;
  }
}

TEST_P(StorageConformance, ConcurrentWritersOfTheSameNewKeysInsertEachOnce) {
  // Two processes storing the same new rows at once (e.g. a rescued job and its late first
  // holder): every key is inserted exactly once; a writer that loses a race may be told to
  // retry (transient), as the host's batch sink does, and then finds the rows stored.
  constexpr int kKeys = 2000;
  std::vector<std::string> keys;
  keys.reserve(kKeys);
  for (int i = 0; i < kKeys; ++i) keys.push_back("race-" + std::to_string(i));
  auto other = open();
  std::array<queue::Storage*, 2> writers{storage_.get(), other.get()};
  std::array<int64_t, 2> inserted{}, settled{};
  std::array<std::string, 2> errors;
  std::latch start(2);
  std::vector<std::thread> threads;
  threads.reserve(2);
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      sdk::WriteBatch b;
      b.now_ms = kT0;
      for (const auto& k : keys) b.records.push_back(record(CS_RECORD_VARIANT, k, "h"));
      start.arrive_and_wait();
      for (int attempt = 0; attempt < 20; ++attempt) {
        try {
          auto r = writers[w]->write_batch(b);
          inserted[w] = r.counts.inserted[CS_RECORD_VARIANT];
          settled[w] = r.counts.inserted[CS_RECORD_VARIANT] + r.counts.updated[CS_RECORD_VARIANT] +
                       r.counts.unchanged[CS_RECORD_VARIANT];
          return;
        } catch (const StorageError& e) {
          if (!e.transient()) {
            errors[w] = e.what();
            return;
          }
        }
      }
      errors[w] = "still failing after 20 attempts";
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(inserted[0] + inserted[1], kKeys) << "each key inserted by exactly one writer";
  EXPECT_EQ(settled[0], kKeys);
  EXPECT_EQ(settled[1], kKeys);
  EXPECT_EQ(storage_->read_records(sdk::RecordQuery{CS_RECORD_VARIANT, {}, {}, {}, 0}).size(),
            static_cast<size_t>(kKeys));
}

TEST_P(StorageConformance, DuplicateKeysInOneBatchCollapseToTheNewest) {
  sdk::WriteBatch b;
  b.now_ms = kT0;
  b.records = {record(CS_RECORD_CARD, "c", "h1", R"({"v":1})"),
               record(CS_RECORD_CARD, "c", "h2", R"({"v":2})"),
               record(CS_RECORD_CARD, "c", "h3", R"({"v":3})")};
  auto r = storage_->write_batch(b);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_CARD], 1);
  EXPECT_EQ(r.counts.updated[CS_RECORD_CARD], 0);
  // The stored row is the newest: rewriting it is unchanged, the older one an update.
  b.records = {record(CS_RECORD_CARD, "c", "h3", R"({"v":3})")};
  EXPECT_EQ(storage_->write_batch(b).counts.unchanged[CS_RECORD_CARD], 1);
  b.records = {record(CS_RECORD_CARD, "c", "h1", R"({"v":1})")};
  EXPECT_EQ(storage_->write_batch(b).counts.updated[CS_RECORD_CARD], 1);
}

TEST_P(StorageConformance, WriteBatchCommitsRecordsJobsCursorsAndTransitionsTogether) {
  storage_->enqueue({spec("t.a", "stale-job")}, kT0);
  auto gone = storage_->claim(claim_req("tok-old", 1, kT0, /*lease_ms=*/1000)).front();
  StoredJob j = enqueue_and_claim("page-job", "tok");
  EXPECT_EQ(storage_->rescue_expired(kT0 + 2000).requeued, 1);  // `gone` loses its lease

  sdk::WriteBatch b;
  b.now_ms = kT0 + 2100;
  b.records = {record(CS_RECORD_SET, "s1", "h")};
  b.cursors = {sdk::CursorUpdate{"justtcg.sets", "2024-05-01"}};
  b.quarantine = {sdk::QuarantineItem{kT0, "justtcg", "t.a", "page-job", "missing id", "/id",
                                      R"({"name":"x"})", "req-1"}};
  b.jobs = {spec("t.follow", "f1"), spec("t.a", "page-job")};
  auto done = transition(sdk::Action::complete, j, kT0 + 2100);
  done.cursor = "final";
  b.transitions = {done, transition(sdk::Action::complete, gone, kT0 + 2100, "tok-old")};
  auto r = storage_->write_batch(b);
  EXPECT_EQ(r.counts.inserted[CS_RECORD_SET], 1);
  ASSERT_EQ(r.transition_applied.size(), 2u);
  EXPECT_TRUE(r.transition_applied[0]);
  EXPECT_FALSE(r.transition_applied[1]) << "the rescued job's old lease is stale";
  ASSERT_EQ(r.jobs.size(), 2u);
  EXPECT_FALSE(r.jobs[0].duplicate);
  EXPECT_TRUE(r.jobs[1].duplicate) << "page-job was still processing when jobs were enqueued";
  EXPECT_EQ(r.jobs[1].id, j.id);
  EXPECT_EQ(storage_->read_cursor("justtcg.sets").value_or(""), "2024-05-01");
  EXPECT_FALSE(storage_->read_cursor("nothing").has_value());
  StoredJob finished = job(j.id);
  EXPECT_EQ(finished.state, sdk::JobState::done);
  EXPECT_EQ(finished.cursor, "final");
  EXPECT_EQ(job(gone.id).state, sdk::JobState::queued);

  // The key of a done job is free again.
  EXPECT_FALSE(storage_->enqueue({spec("t.a", "page-job")}, kT0).front().duplicate);
}

// ---- reading back (ABI 1.1) ----------------------------------------------------------------

TEST_P(StorageConformance, RecordsReadBackByKeyByParentAndPagedWithVersionAndTimes) {
  sdk::WriteBatch b;
  b.now_ms = kT0;
  b.records = {sdk::StoredRecord{CS_RECORD_CARD, "c2", "set-a", "src", R"({"n":2})", "{}", "h2"},
               sdk::StoredRecord{CS_RECORD_CARD, "c1", "set-a", "src", R"({"n":1})", "{}", "h1"},
               sdk::StoredRecord{CS_RECORD_CARD, "c3", "set-b", "src", R"({"n":3})", "{}", "h3"},
               sdk::StoredRecord{CS_RECORD_SET, "c1", "", "src", R"({"s":1})", "{}", "hs"}};
  storage_->write_batch(b);
  b.now_ms = kT0 + 500;
  b.records = {sdk::StoredRecord{CS_RECORD_CARD, "c1", "set-a", "src", R"({"n":10})",
                                 R"({"raw":1})", "h1-new"},
               sdk::StoredRecord{CS_RECORD_CARD, "c2", "set-a", "src", R"({"n":2})", "{}", "h2"}};
  storage_->write_batch(b);

  sdk::RecordQuery by_key{CS_RECORD_CARD, "c1", {}, {}, 0};
  auto one = storage_->read_records(by_key);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].kind, static_cast<uint32_t>(CS_RECORD_CARD));
  EXPECT_EQ(one[0].parent_key, "set-a");
  EXPECT_EQ(one[0].source, "src");
  EXPECT_EQ(one[0].core_json, R"({"n":10})");
  EXPECT_EQ(one[0].raw_json, R"({"raw":1})");
  EXPECT_EQ(one[0].content_hash, "h1-new");
  EXPECT_EQ(one[0].version, 2);
  EXPECT_EQ(one[0].created_at_ms, kT0);
  EXPECT_EQ(one[0].updated_at_ms, kT0 + 500);
  auto unchanged = storage_->read_records(sdk::RecordQuery{CS_RECORD_CARD, "c2", {}, {}, 0});
  ASSERT_EQ(unchanged.size(), 1u);
  EXPECT_EQ(unchanged[0].version, 1) << "an unchanged rewrite is not a new version";
  EXPECT_EQ(unchanged[0].updated_at_ms, kT0);
  EXPECT_TRUE(storage_->read_records(sdk::RecordQuery{CS_RECORD_CARD, "nope", {}, {}, 0}).empty());
  EXPECT_TRUE(storage_->read_records(sdk::RecordQuery{CS_RECORD_GAME, "c1", {}, {}, 0}).empty())
      << "kinds do not share keys";

  auto children = storage_->read_records(sdk::RecordQuery{CS_RECORD_CARD, {}, "set-a", {}, 0});
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(children[0].key, "c1");
  EXPECT_EQ(children[1].key, "c2");

  auto page1 = storage_->read_records(sdk::RecordQuery{CS_RECORD_CARD, {}, {}, {}, 2});
  ASSERT_EQ(page1.size(), 2u);
  auto page2 = storage_->read_records(sdk::RecordQuery{CS_RECORD_CARD, {}, {}, page1[1].key, 2});
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].key, "c3");
  EXPECT_THROW(storage_->read_records(sdk::RecordQuery{9, "c1", {}, {}, 0}), StorageError);
}

TEST_P(StorageConformance, QuarantineIsListedFilteredAndPagedBothWays) {
  sdk::WriteBatch b;
  b.now_ms = kT0;
  for (int i = 0; i < 5; ++i) {
    b.quarantine.push_back(sdk::QuarantineItem{kT0 + i, i % 2 == 0 ? "justtcg" : "psa", "t.a", "k",
                                               "reason", "/id", "{}", "req"});
  }
  storage_->write_batch(b);
  auto all = storage_->query_quarantine(sdk::QuarantineQuery{});
  ASSERT_EQ(all.size(), 5u);
  EXPECT_LT(all[0].id, all[4].id);
  EXPECT_EQ(all[0].at_ms, kT0);
  EXPECT_EQ(all[0].source, "justtcg");
  EXPECT_EQ(all[0].reason, "reason");
  EXPECT_EQ(all[0].json_path, "/id");
  EXPECT_EQ(all[0].request_id, "req");

  sdk::QuarantineQuery newest;
  newest.newest_first = true;
  newest.limit = 2;
  auto first = storage_->query_quarantine(newest);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].id, all[4].id);
  newest.before_id = first[1].id;
  auto next = storage_->query_quarantine(newest);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].id, all[2].id);

  sdk::QuarantineQuery psa;
  psa.source = "psa";
  EXPECT_EQ(storage_->query_quarantine(psa).size(), 2u);
  sdk::QuarantineQuery after;
  after.after_id = all[3].id;
  EXPECT_EQ(storage_->query_quarantine(after).size(), 1u);
  sdk::QuarantineQuery injection;
  injection.source = "x' OR '1'='1";
  EXPECT_TRUE(storage_->query_quarantine(injection).empty());
}

TEST_P(StorageConformance, CursorEntryCarriesTheTimeOfItsLastWrite) {
  sdk::WriteBatch b;
  b.now_ms = kT0;
  b.cursors = {sdk::CursorUpdate{"psa.cert/123", "found"}};
  storage_->write_batch(b);
  b.now_ms = kT0 + 9000;
  b.cursors = {sdk::CursorUpdate{"psa.cert/123", "not_found"}};
  storage_->write_batch(b);
  auto entry = storage_->read_cursor_entry("psa.cert/123");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->value, "not_found");
  EXPECT_EQ(entry->updated_at_ms, kT0 + 9000);
  EXPECT_FALSE(storage_->read_cursor_entry("psa.cert/999").has_value());
}

TEST_P(StorageConformance, FailedWriteBatchRollsBackEverythingIncludingEnqueues) {
  StoredJob j = enqueue_and_claim("k", "tok");
  sdk::WriteBatch b;
  b.now_ms = kT0;
  b.records = {record(CS_RECORD_CARD, "c1", "h")};
  b.cursors = {sdk::CursorUpdate{"cur", "v"}};
  b.jobs = {spec("t.follow", "enqueued-then-rolled-back"), spec("", "bad")};
  b.transitions = {transition(sdk::Action::complete, j)};
  try {
    storage_->write_batch(b);
    FAIL() << "a job spec without a type must fail the batch";
  } catch (const StorageError& e) {
    EXPECT_EQ(e.status(), CS_PERMANENT) << e.what();
  }
  auto jobs = all_jobs();
  ASSERT_EQ(jobs.size(), 1u) << "the follow-up job must not survive the rollback";
  EXPECT_EQ(jobs[0].state, sdk::JobState::processing) << "the completion rolled back";
  EXPECT_FALSE(storage_->read_cursor("cur").has_value());
  b.jobs.pop_back();
  b.cursors.clear();
  b.transitions.clear();
  EXPECT_EQ(storage_->write_batch(b).counts.inserted[CS_RECORD_CARD], 1)
      << "the record was rolled back too";

  // Invalid core JSON is refused by the storage the same way.
  sdk::WriteBatch bad;
  bad.now_ms = kT0;
  bad.jobs = {spec("t.follow", "also-rolled-back")};
  bad.records = {record(CS_RECORD_CARD, "c2", "h", "{not json")};
  EXPECT_THROW(storage_->write_batch(bad), StorageError);
  EXPECT_EQ(all_jobs().size(), 2u);
}

// ---- stats, logs, migration
// ------------------------------------------------------------------------

TEST_P(StorageConformance, StatsCountByTypeAndState) {
  storage_->enqueue({spec("t.a", "1"), spec("t.a", "2", kT0 + 50), spec("t.b", "1")}, kT0);
  auto req = claim_req("tok", 1);
  req.types = {"t.b"};
  storage_->claim(req);
  auto stats = storage_->stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].type, "t.a");
  EXPECT_EQ(stats[0].state, sdk::JobState::queued);
  EXPECT_EQ(stats[0].count, 2);
  EXPECT_EQ(stats[0].next_run_at_ms, kT0);
  EXPECT_EQ(stats[1].type, "t.b");
  EXPECT_EQ(stats[1].state, sdk::JobState::processing);
  EXPECT_EQ(stats[1].count, 1);
}

TEST_P(StorageConformance, LogsAreAppendedQueriedAndExpired) {
  storage_->append_logs({sdk::LogRow{0, CS_LOG_INFO, kT0, "req-a", "one", R"({"n":1})"},
                         sdk::LogRow{0, CS_LOG_WARN, kT0 + 10, "req-b", "two", "{}"},
                         sdk::LogRow{0, CS_LOG_DEBUG, kT0 + 20, "req-a", "three", "{}"}});
  sdk::LogQuery q;
  q.request_id = "req-a";
  auto logs = storage_->query_logs(q);
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].message, "one");
  EXPECT_EQ(logs[0].fields_json, R"({"n":1})");
  EXPECT_LT(logs[0].id, logs[1].id);
  q = sdk::LogQuery{};
  q.min_level = CS_LOG_INFO;
  EXPECT_EQ(storage_->query_logs(q).size(), 2u);
  q.after_id = logs[0].id;
  EXPECT_EQ(storage_->query_logs(q).size(), 1u);
  EXPECT_EQ(storage_->delete_logs_before(kT0 + 15), 2);
  EXPECT_EQ(storage_->query_logs(sdk::LogQuery{}).size(), 1u);
}

TEST_P(StorageConformance, MigrationIsIdempotentAndANewerSchemaIsRefused) {
  storage_->enqueue({spec("t.a", "kept")}, kT0);
  storage_->migrate();
  auto other = open();
  other->migrate();
  EXPECT_EQ(all_jobs().size(), 1u) << "re-running migrations keeps the data";

  storage_.reset();
  other.reset();
  GetParam().make_schema_newer(config_);
  auto newer = open();
  try {
    newer->migrate();
    FAIL() << "a newer schema must be refused";
  } catch (const StorageError& e) {
    EXPECT_EQ(e.status(), CS_FATAL);
    EXPECT_THAT(e.what(), HasSubstr("newer"));
  }
}

TEST_P(StorageConformance, TenProcessesStartingAtOnceMigrateOnceAndAllWork) {
  // A database nobody has migrated yet; each instance stands for a process (its own
  // connections), all calling migrate at the same moment.
  const auto fresh_dir = scratch_ / "fresh";
  std::filesystem::create_directories(fresh_dir);
  const std::string fresh = GetParam().fresh_config(fresh_dir.string());
  constexpr int kProcesses = 10;
  std::vector<std::unique_ptr<plugin::PluginStorage>> instances;
  instances.reserve(kProcesses);
  for (int i = 0; i < kProcesses; ++i) {
    instances.push_back(std::make_unique<plugin::PluginStorage>(
        std::shared_ptr<plugin::Instance>(plugin::Instance::create(lib_, fresh))));
  }
  std::vector<std::string> errors(kProcesses);
  std::latch start(kProcesses);
  std::vector<std::thread> threads;
  threads.reserve(kProcesses);
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        instances[i]->migrate();
        instances[i]->enqueue({spec("t.migrate", "k" + std::to_string(i))}, kT0);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kProcesses; ++i) EXPECT_EQ(errors[i], "") << "process " << i;
  EXPECT_EQ(instances[0]->list_jobs(sdk::JobQuery{}).size(), static_cast<size_t>(kProcesses));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageConformance, ::testing::ValuesIn(storage_backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cardsync::conformance
