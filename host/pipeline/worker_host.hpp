#pragma once
// What every command that works the queue runs (`run`, `worker`, `serve`): the worker pool
// (its workers, heartbeats and cross-process wake-ups) and, on the caller's thread, the loop
// around it that rescues expired leases every half lease, so the jobs of a worker that died
// come back and idle workers start them at once, and gives the command a tick for its own
// periodic work. Everything waits on the injected clock, so it runs in virtual time in tests.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/pipeline_options.hpp"
#include "pipeline/worker_pool.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync::pipeline {

class WorkerHost {
 public:
  // How often run() wakes at least: the resolution of the rescue interval and of the
  // command's tick. It also wakes at once whenever every worker has gone idle, so a command
  // that waits for the queue to drain sees it as soon as it is.
  static constexpr std::chrono::milliseconds kTick{200};
  // Called on run()'s thread after each wake-up (and that wake-up's rescue, when one was
  // due) with the clock's time; returning false ends run().
  using Tick = std::function<bool(Clock::SteadyTime now)>;

  // `options` gives the pool its workers and the rescue its interval (half of
  // options.queue.lease). `request_id` goes on this loop's log lines.
  WorkerHost(PipelineParts parts, std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers,
             const PipelineOptions& options, std::string request_id);
  WorkerHost(const WorkerHost&) = delete;
  WorkerHost& operator=(const WorkerHost&) = delete;

  // Starts the workers.
  void start();
  // Blocks until `stop` is cancelled or `tick` returns false. Rescues expired leases on the
  // first wake-up and then every rescue interval; a rescue that brought jobs back nudges
  // the workers, one that failed is logged and tried again at the next interval.
  void run(const CancellationToken& stop, const Tick& tick = {});
  // Stops the workers: jobs in flight are released, not lost, and what they handed the batch
  // sink is flushed. Idempotent.
  void stop();

  WorkerPool& pool() { return pool_; }
  const WorkerPool& pool() const { return pool_; }

 private:
  void rescue();

  queue::JobQueue& queue_;
  Clock& clock_;
  log::Logger& logger_;
  std::chrono::milliseconds rescue_every_;
  std::string request_id_;
  WorkerPool pool_;
};

}  // namespace cardsync::pipeline
