#pragma once
// The job queue's semantics over any storage plugin (docs/job-queue.md): the
// storage makes each step atomic; this class decides the policy: lease length, when a failure
// is retried and when, when it is final, and that throttling costs no attempt. All times
// come from the injected clock's wall time, so every process sharing a database agrees and
// tests run in virtual time.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "queue/new_job.hpp"
#include "queue/retry_schedule.hpp"
#include "queue/storage.hpp"
#include "queue/transition_spec.hpp"
#include "resilience/random_source.hpp"
#include "time/clock.hpp"

namespace cardsync::queue {

struct QueueOptions {
  std::chrono::milliseconds lease{std::chrono::minutes(5)};
  int max_attempts = 5;
  RetrySchedule retry{};
  std::string owner;  // lease owner shown to operators; empty: "<hostname>:<pid>"
};

// Why an attempt failed.
struct JobFailure {
  std::string message;
  int http_status = 0;     // 0 when there was no response
  std::string request_id;  // the attempt's request id; empty: the job's
  bool permanent = false;  // the job is bad: fail it now, whatever attempts remain
};

enum class FailOutcome { retry_scheduled, failed, stale };
struct FailResult {
  FailOutcome outcome = FailOutcome::stale;
  int64_t run_at_ms = 0;  // when retry_scheduled
};

class JobQueue {
 public:
  // `storage`, `clock` and `random` must outlive the queue. `random` draws the retry jitter
  // and the lease tokens.
  JobQueue(Storage& storage, Clock& clock, QueueOptions options = {},
           RandomSource& random = SystemRandom::instance());

  // Deduplicated on (type, key) among queued and processing jobs.
  sdk::EnqueueResult enqueue(const NewJob& job);
  // One transaction: all or nothing.
  std::vector<sdk::EnqueueResult> enqueue(const std::vector<NewJob>& jobs);

  // Up to `max_jobs` due jobs, leased to this queue's owner for options().lease. The lease
  // token is in each job's lease_token. `types` empty = any type.
  std::vector<StoredJob> claim(int max_jobs, const std::vector<std::string>& types = {});
  // Extends the lease by options().lease from now; false when the lease was lost.
  bool heartbeat(const StoredJob& job);

  // Each returns false (stale) when the job's lease token no longer holds it: the job was
  // rescued and possibly claimed by someone else, and nothing changed.
  bool checkpoint(const StoredJob& job, std::string_view cursor);
  bool complete(const StoredJob& job, std::string_view cursor = {});
  FailResult fail(const StoredJob& job, const JobFailure& failure);
  // Runs the job again after `delay` without spending the attempt (throttled, breaker open).
  bool snooze(const StoredJob& job, std::chrono::milliseconds delay, std::string_view reason,
              int http_status = 0);

  // The same decisions as transitions, for committing with records through the BatchSink.
  TransitionSpec checkpoint_transition(const StoredJob& job, std::string cursor) const;
  TransitionSpec complete_transition(const StoredJob& job, std::string cursor) const;
  TransitionSpec failure_transition(const StoredJob& job, const JobFailure& failure) const;
  TransitionSpec snooze_transition(const StoredJob& job, std::chrono::milliseconds delay,
                                   std::string reason, int http_status = 0) const;

  // Requeues one failed job (attempts reset). requeued = 0 with skipped = 1 when its key is
  // live again; both 0 when the job is not failed.
  sdk::Storage::RetryFailedResult retry_failed(int64_t job_id);
  sdk::Storage::RetryFailedResult retry_all_failed(std::string_view type = {});
  // Expired leases back to queued (attempt counted, "lease expired" recorded) or to failed
  // when no attempt is left. Call periodically.
  sdk::Storage::RescueResult rescue_expired();

  std::vector<StatCount> stats();
  // Failed jobs with their error history, ascending by id.
  std::vector<StoredJob> failed_jobs(std::string_view type = {});
  std::optional<StoredJob> find(int64_t job_id);

  // Wall-clock milliseconds since the epoch, from the injected clock.
  int64_t now_ms() const;
  // The storage row of `job` submitted at `now_ms`: the one place a NewJob's unset fields are
  // filled (its delay becomes a run time, max_attempts 0 becomes options().max_attempts),
  // for enqueue() and for follow-up jobs committed through the BatchSink alike. The views
  // point into `job`.
  sdk::JobSpec spec(const NewJob& job, int64_t now_ms) const;
  const QueueOptions& options() const { return options_; }

 private:
  bool apply(const TransitionSpec& t);

  Storage& storage_;
  Clock& clock_;
  QueueOptions options_;
  RandomSource& random_;
};

}  // namespace cardsync::queue
