#pragma once
// The queue/stats JSON (GET /api/v1/queue/stats and the event stream's `stats` event): job
// counts by state, overall and per type, each type's next due run, and the queue's lag.
// Computed at most once per second (by the injected clock) however many clients ask: the
// grouped count over the whole queue is the expensive part, and a monitor needs no fresher
// figures.

#include <mutex>
#include <string>

#include "queue/job_queue.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

class QueueStats {
 public:
  // `queue` and `clock` must outlive this.
  QueueStats(queue::JobQueue& queue, Clock& clock) : queue_(queue), clock_(clock) {}

  // Thread-safe.
  std::string json();

 private:
  std::string compute();

  queue::JobQueue& queue_;
  Clock& clock_;
  std::mutex mu_;  // held while computing, so a burst of requests queries once
  std::string cache_;
  Clock::SteadyTime at_{};
};

}  // namespace cardsync::admin
