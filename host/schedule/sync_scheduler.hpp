#pragma once
// The scheduler of `cardsync serve`: plans each provider's sync at start-up and then every
// `schedule.every_seconds`. A run is planned only when none of the provider's job types has
// a job queued or processing (the previous run is still going), so a slow run is never
// stacked; the queue's (type, key) deduplication covers the rest. Runs on its own thread in
// the injected clock's time, so tests drive it in virtual time.

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "log/logger.hpp"
#include "queue/job_queue.hpp"
#include "schedule/planned_sync.hpp"
#include "schedule/schedule_options.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync::schedule {

struct ScheduledSync {
  std::string provider;
  std::vector<std::string> job_types;  // the provider's; a live job of any means "running"
  ScheduleOptions schedule;
  std::function<PlannedSync()> plan;
};

class SyncScheduler {
 public:
  // `queue`, `clock` and `logger` must outlive the scheduler.
  SyncScheduler(std::vector<ScheduledSync> syncs, queue::JobQueue& queue, Clock& clock,
                log::Logger& logger);
  ~SyncScheduler();
  SyncScheduler(const SyncScheduler&) = delete;
  SyncScheduler& operator=(const SyncScheduler&) = delete;

  void start();
  // Idempotent; joins the thread.
  void stop();

  // One pass now, in the caller's thread: plans every sync that is due. Returns the number
  // of runs planned (the thread calls it; tests may too, without start()).
  int tick();

  // Runs planned and ticks skipped because the previous run was still going, per provider
  // (index as given).
  struct Counts {
    int planned = 0;
    int skipped_running = 0;
    int failed = 0;
  };
  std::vector<Counts> counts() const;

 private:
  bool running(const ScheduledSync& sync);
  void loop();

  struct Entry {
    ScheduledSync sync;
    Clock::SteadyTime next{};
    bool due_now = false;
    Counts counts;
  };
  queue::JobQueue& queue_;
  Clock& clock_;
  log::Logger& logger_;
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  CancellationToken stop_;
  std::thread thread_;
};

}  // namespace cardsync::schedule
