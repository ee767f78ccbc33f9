#pragma once
// Runs one claimed job through its provider: start, then for each request the resilient
// client's outcome goes back to the provider, and each response's records, quarantine,
// follow-up jobs and checkpoint go to the batch sink as one unit. Every job transition
// (checkpoint, complete, retry, snooze, fail) travels through the sink too, so it commits in
// order after the records it follows: a job is never done before its data is.

#include <chrono>
#include <functional>
#include <optional>

#include "log/logger.hpp"
#include "pipeline/run_stats.hpp"
#include "plugin/provider_runtime.hpp"
#include "queue/batch_sink.hpp"
#include "queue/job_queue.hpp"
#include "resilience/resilient_client.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync::pipeline {

struct PipelineParts {
  queue::Storage& storage;
  queue::JobQueue& queue;
  queue::BatchSink& sink;
  ResilientClient& client;
  Clock& clock;
  log::Logger& logger;
  RunStats& stats;
  // Overall deadline of one upstream call, retries included.
  std::chrono::milliseconds call_deadline{std::chrono::minutes(2)};
  // Called (on the sink's thread) after follow-up jobs were committed, so idle workers
  // start them now instead of at their next poll.
  std::function<void()> on_new_jobs;
};

// The name under which a completed job's final cursor is kept for the next job with the same
// type and key (incremental sync resumes from it).
std::string sync_cursor_name(std::string_view job_type, std::string_view job_key);

class JobRunner {
 public:
  explicit JobRunner(PipelineParts parts) : p_(std::move(parts)) {}

  // Thread-safe. Returns when the job's outcome is handed to the sink. `cancel` (shutdown)
  // stops between requests: progress so far stays checkpointed and the job is released.
  // `deadline` (a lookup's, which a caller waits on) bounds all of the job's calls together:
  // each ends by it, and a job with calls left when it passes is released for a worker.
  void run(plugin::ProviderRuntime& provider, queue::StoredJob job, const CancellationToken& cancel,
           std::optional<Clock::SteadyTime> deadline = std::nullopt);

 private:
  void commit(const plugin::ProviderRuntime& provider, const queue::StoredJob& job,
              plugin::ProviderOutput& output, queue::TransitionSpec transition,
              std::vector<queue::CursorEntry> cursors = {}, bool at_shutdown = false);
  void fail(plugin::ProviderRuntime& provider, const queue::StoredJob& job, cs_status status,
            const std::string& message, int http_status);
  void snooze(const plugin::ProviderRuntime& provider, const queue::StoredJob& job,
              std::chrono::milliseconds delay, const std::string& reason, int http_status = 0);
  // Shutdown: the job goes back to the queue due now, its progress so far checkpointed, so
  // whoever runs next resumes it; no attempt spent.
  void release(const plugin::ProviderRuntime& provider, const queue::StoredJob& job);
  // A request outside the provider's URL scope (its base_url) would carry its credentials to
  // another server: fails the job PERMANENT before anything that call emitted is sent or
  // stored (an answer that points elsewhere is not trusted for its records either) and
  // returns true then.
  bool refused(plugin::ProviderRuntime& provider, const queue::StoredJob& job,
               const std::vector<HttpRequest>& requests);
  // A retryable provider outcome that is really a wait: the service's daily quota is spent
  // (snoozed until 00:00 UTC) or the upstream answered 429 (snoozed for its Retry-After).
  // Snoozes the job and returns true then; spends no attempt.
  bool throttled(const plugin::ProviderRuntime& provider, const queue::StoredJob& job,
                 const std::string& error, int http_status,
                 std::optional<std::chrono::seconds> retry_after);

  PipelineParts p_;
};

}  // namespace cardsync::pipeline
