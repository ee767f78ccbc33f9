#pragma once
// The queue's counts by type and state, cached for everything the admin server shows them
// in: GET /api/v1/queue/stats and the event stream's `stats` event (as JSON), /readyz (the
// storage answered or not) and /metrics (jobs by type and state, lag). The grouped count over
// the whole queue is the expensive part (tens of milliseconds at 300k jobs), and /readyz and
// /metrics answer without a token: so the count runs at most once per `fresh_for` (by the
// injected clock) however many clients ask, one refresh at a time, and while it runs the
// other callers get the previous counts instead of waiting. A storage error is cached the
// same way, so an unreachable database is not asked again per request either.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "queue/job_queue.hpp"
#include "time/clock.hpp"

namespace cardsync::admin {

// One read of the queue's counts.
struct QueueCounts {
  std::vector<queue::StatCount> rows;
  std::string error;           // the storage's error when the read failed (rows then empty)
  std::exception_ptr failure;  // that error as thrown
  int64_t now_ms = 0;          // the queue's wall clock when read, for the lag
  bool ok() const { return failure == nullptr; }
};

class QueueStats {
 public:
  using Source = std::function<std::vector<queue::StatCount>()>;
  static constexpr std::chrono::milliseconds kFreshFor{1000};

  // `queue` and `clock` must outlive this.
  QueueStats(queue::JobQueue& queue, Clock& clock);
  // `source` reads the counts (may throw); `now_ms` is the wall clock for the lag.
  QueueStats(Source source, std::function<int64_t()> now_ms, Clock& clock,
             std::chrono::milliseconds fresh_for = kFreshFor);

  // Thread-safe. Never null; at most `fresh_for` old unless a refresh is running.
  std::shared_ptr<const QueueCounts> counts();
  // The queue/stats JSON of counts(). Thread-safe; rethrows the storage's error.
  std::string json();

 private:
  std::shared_ptr<const QueueCounts> read() const;

  Source source_;
  std::function<int64_t()> now_ms_;
  Clock& clock_;
  const std::chrono::milliseconds fresh_for_;

  std::mutex mu_;
  std::condition_variable refreshed_;
  std::shared_ptr<const QueueCounts> counts_;  // null until the first read ends
  Clock::SteadyTime at_{};
  bool refreshing_ = false;
  // The JSON of json_of_, rendered once per read.
  std::shared_ptr<const QueueCounts> json_of_;
  std::string json_;
};

// The queue/stats JSON of `counts` (docs/admin-api.md).
std::string queue_stats_json(const QueueCounts& counts);

}  // namespace cardsync::admin
