#pragma once
// Turns a storage's cross-process job notifications (PostgreSQL LISTEN/NOTIFY) into nudges
// of this process's idle workers, so a job enqueued by another process starts now rather than
// at the next poll. Storages that cannot notify leave the workers to their poll interval.

#include <chrono>
#include <functional>
#include <thread>

#include "log/logger.hpp"
#include "queue/storage.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync::pipeline {

struct JobWakeupOptions {
  // Longest real-time block inside the storage; bounds how long stop() waits.
  std::chrono::milliseconds wait_slice{50};
  // Pause after a failed wait (the database is down), on the injected clock.
  std::chrono::milliseconds retry_after_error{std::chrono::seconds(1)};
};

class JobWakeup {
 public:
  // `on_wake` runs on the listening thread after each notification. Nothing runs until start().
  JobWakeup(queue::Storage& storage, Clock& clock, log::Logger& logger,
            std::function<void()> on_wake, JobWakeupOptions options = {});
  ~JobWakeup();
  JobWakeup(const JobWakeup&) = delete;
  JobWakeup& operator=(const JobWakeup&) = delete;

  // Starts listening when the storage can notify; returns whether it does.
  bool start();
  // Idempotent; joins the listening thread.
  void stop();

 private:
  void loop();

  queue::Storage& storage_;
  Clock& clock_;
  log::Logger& logger_;
  std::function<void()> on_wake_;
  JobWakeupOptions options_;
  CancellationToken stop_;
  std::thread thread_;
};

}  // namespace cardsync::pipeline
