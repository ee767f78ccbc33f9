#pragma once
// Buffers units from every worker and commits them in batches through Storage::write_batch:
// one transaction holds the records, quarantine, cursors, follow-up jobs and the job
// transitions of every unit in it. A unit's callback runs only after its transaction
// committed (or after it was given up), so a worker never reports a job done before its
// records are durable.
//
// When a batch is flushed: as soon as nothing more is coming, that is when every registered
// producer (worker) is idle, or when an idle producer is waiting and the batch holds
// follow-up jobs it could run; otherwise when it holds max_records records or max_bytes
// bytes, or its oldest unit is max_age old (by the injected clock), whichever comes first;
// and on flush() and at stop. So the limits bound a batch while work flows, and a sync that
// runs out of work never waits for the age: its follow-up jobs become claimable at once.
// Without registered producers only the limits apply.
//
// Failures: a transient storage error retries the same batch with capped full-jitter
// backoff, unchanged, so nothing is lost and nothing is written twice. A permanent error
// retries each unit alone, so one bad unit fails only itself. A fatal one (a full disk, a
// read-only database) gives up that batch and every later one: their jobs keep their leases
// and are rescued and rerun. While storage is down, add() blocks once max_buffered_bytes are
// waiting (backpressure instead of unbounded memory).

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "queue/batch_unit.hpp"
#include "queue/job_queue.hpp"
#include "queue/retry_schedule.hpp"
#include "queue/storage.hpp"
#include "resilience/random_source.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync::queue {

struct BatchSinkOptions {
  size_t max_records = 1000;
  size_t max_bytes = size_t{4} << 20;
  std::chrono::milliseconds max_age{250};
  size_t max_buffered_bytes = size_t{64} << 20;
  RetrySchedule retry{std::chrono::milliseconds(100), std::chrono::seconds(30), 2.0};
  // After stop(), a failing batch gets this many immediate tries before its units are
  // reported uncommitted (their jobs stay leased and are rescued and rerun).
  int shutdown_attempts = 3;
};

struct UnitOutcome {
  bool committed = false;
  bool transition_applied = false;       // false when stale or when there was none
  std::vector<sdk::EnqueueResult> jobs;  // one per follow-up job
  std::string error;                     // why, when not committed
};
using UnitCallback = std::function<void(const UnitOutcome&)>;

class BatchSink {
 public:
  // `storage`, `jobs`, `clock` and `random` must outlive the sink. Follow-up jobs become
  // storage rows as `jobs` enqueues them (JobQueue::spec). `random` draws the retry jitter.
  // Starts the flusher thread.
  BatchSink(Storage& storage, const JobQueue& jobs, Clock& clock, BatchSinkOptions options = {},
            RandomSource& random = SystemRandom::instance());
  // stop(): flushes what is buffered.
  ~BatchSink();
  BatchSink(const BatchSink&) = delete;
  BatchSink& operator=(const BatchSink&) = delete;

  // Thread-safe. Fills missing content hashes, then buffers the unit. Blocks only while
  // max_buffered_bytes are waiting. Throws std::logic_error after stop().
  void add(BatchUnit unit, UnitCallback on_done = {});
  // Returns once every unit added before the call was committed or given up.
  void flush();
  // Flushes and joins the flusher. Idempotent.
  void stop();

  // Thread-safe. The producers whose idleness lets a batch commit before its limits: each
  // joins idle, says when it is busy (has work, may add units) and idle again (waiting for
  // work it does not have), and leaves when it stops. Calls must pair up per producer.
  void producer_joined();
  void producer_left(bool was_idle);
  void producer_idle();
  void producer_busy();

  struct Stats {
    int64_t batches = 0;          // successful write_batch calls
    int64_t failed_attempts = 0;  // write_batch calls that threw
    int64_t units_committed = 0;
    int64_t units_failed = 0;
    sdk::WriteCounts counts;  // summed over committed batches
    std::string last_error;
    // Durations of successful write_batch calls (/metrics): counts per upper bound in
    // kFlushBuckets (seconds, not cumulative), the last slot for longer ones, and the sum.
    static constexpr std::array<double, 10> kFlushBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,  0.1,    0.25,  1.0,  5.0};
    std::array<int64_t, kFlushBuckets.size() + 1> flush_buckets{};
    double flush_seconds_sum = 0;
  };
  Stats stats() const;
  // The steady time the flusher is asleep until while it waits for a batch to age (for
  // tests: they advance virtual time only once the flusher is waiting).
  std::optional<Clock::SteadyTime> waiting_until() const;

 private:
  struct Entry {
    BatchUnit unit;
    UnitCallback on_done;
    uint64_t seq = 0;
    size_t records = 0;
    size_t bytes = 0;
  };

  void run();
  bool due(Clock::SteadyTime now) const;
  // Nothing more is coming soon, or an idle producer waits for jobs this batch holds.
  bool wanted_now() const;
  void sleep(std::unique_lock<std::mutex>& lock, std::optional<Clock::SteadyTime> deadline);
  void commit(std::vector<Entry>& entries);
  bool try_commit(std::vector<Entry>& entries, std::string& error, cs_status& status);
  void give_up(std::vector<Entry>& entries, const std::string& error);

  Storage& storage_;
  const JobQueue& jobs_;
  Clock& clock_;
  BatchSinkOptions options_;
  RandomSource& random_;
  CancellationToken stop_token_;  // cuts retry backoff short at stop

  mutable std::mutex mu_;
  std::condition_variable space_cv_;  // add() waits for buffer space
  std::condition_variable done_cv_;   // flush() waits for handled_seq_
  std::vector<Entry> pending_;
  size_t pending_records_ = 0;
  size_t pending_bytes_ = 0;
  size_t pending_jobs_ = 0;  // follow-up jobs in pending_
  int producers_ = 0;
  int idle_producers_ = 0;
  Clock::SteadyTime oldest_{};
  uint64_t next_seq_ = 1;
  uint64_t handled_seq_ = 0;  // every unit up to this one is committed or given up
  uint64_t flush_target_ = 0;
  bool stopping_ = false;
  CancellationToken wake_;  // replaced for every sleep; cancelled to wake the flusher
  std::optional<Clock::SteadyTime> waiting_until_;
  Stats stats_;
  std::string unusable_;  // the FATAL error that stopped all commits
  std::thread thread_;
};

}  // namespace cardsync::queue
