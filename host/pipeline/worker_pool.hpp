#pragma once
// Worker threads that claim jobs for the loaded providers and run them, plus one thread that
// keeps the leases of in-flight jobs alive. Stopping stops claiming at once; a job in flight
// abandons the request it is waiting for (a hung upstream must not hold the stop) and is
// released, with the checkpoint of its last stored page, for whoever runs next.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "pipeline/job_runner.hpp"
#include "pipeline/job_wakeup.hpp"

namespace cardsync::pipeline {

struct WorkerOptions {
  int workers = 4;
  std::chrono::milliseconds idle_poll{500};  // wait between empty claims
  std::chrono::milliseconds heartbeat_every{10'000};
  JobWakeupOptions wakeup;  // used when the storage notifies new jobs across processes
};

class WorkerPool {
 public:
  // `providers` serve the job types this pool claims; disabled ones are skipped.
  WorkerPool(PipelineParts parts, std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers,
             WorkerOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  // Idempotent; joins every thread. Jobs in flight are released, not lost.
  void stop();

  // Jobs being run right now (claimed and not yet handed to the sink).
  int in_flight() const;
  // Job types of providers that are not disabled.
  std::vector<std::string> active_types() const;
  // Wakes idle workers now (new work was enqueued by this process).
  void nudge();
  // Cancelled the next time every worker is idle (found nothing to claim) after one was not:
  // the moment to look whether the queue is drained, instead of at the next poll.
  CancellationToken settled() const;

 private:
  void worker_loop();
  // A worker found nothing to claim (idle) or claimed a job after being idle: tells the batch
  // sink, and cancels settled() when the last worker went idle.
  void set_idle(bool idle);
  void heartbeat_loop();
  plugin::ProviderRuntime* provider_for(const std::string& type) const;

  PipelineParts parts_;
  std::vector<std::shared_ptr<plugin::ProviderRuntime>> providers_;
  WorkerOptions options_;
  JobRunner runner_;
  CancellationToken stop_;

  mutable std::mutex mu_;
  std::map<int64_t, queue::StoredJob> in_flight_;
  CancellationToken idle_;  // replaced after each nudge; cancelled to wake idle workers
  int idle_workers_ = 0;
  CancellationToken settled_;  // replaced each time it is cancelled
  std::vector<std::thread> threads_;
  bool started_ = false;
  JobWakeup wakeup_;
};

}  // namespace cardsync::pipeline
