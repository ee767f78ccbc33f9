#pragma once
// A log::Sink that stores log lines through the storage plugin, asynchronously and in
// batches. write() only copies the record into a bounded buffer, so logging never waits for
// the database; when the buffer is full the oldest line is dropped and counted, and the
// count is itself stored as a warning line. A thread it owns writes batches, retries a failed
// write with backoff (lines keep arriving; the oldest give way), and deletes lines older than
// the retention period. Lives in host/queue because it needs the storage client.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "log/sink.hpp"
#include "queue/retry_schedule.hpp"
#include "queue/storage.hpp"
#include "time/cancellation.hpp"
#include "time/clock.hpp"

namespace cardsync::queue {

struct StorageLogSinkOptions {
  size_t capacity = 10000;  // buffered lines before the oldest are dropped
  size_t batch_size = 500;
  std::chrono::milliseconds interval{1000};  // longest a line waits before it is written
  std::chrono::hours retention{24 * 14};     // 0: keep forever
  std::chrono::minutes retention_every{60};
  RetrySchedule retry{std::chrono::milliseconds(500), std::chrono::seconds(30), 2.0};
};

class StorageLogSink final : public log::Sink {
 public:
  // `storage` and `clock` must outlive the sink.
  StorageLogSink(Storage& storage, Clock& clock, StorageLogSinkOptions options = {});
  ~StorageLogSink() override;

  void write(const log::Record& record) override;
  // Returns once the lines buffered before the call are stored, or a write failed.
  void flush() override;
  // Writes what is buffered (one try) and joins the thread. Idempotent.
  void stop();

  int64_t dropped() const;
  int64_t written() const;

 private:
  struct Line {
    int64_t ts_ms = 0;
    cs_log_level level = CS_LOG_INFO;
    std::string request_id, message, fields_json;
    uint64_t seq = 0;
  };
  void run();
  bool write_batch(std::deque<Line>& batch);

  Storage& storage_;
  Clock& clock_;
  StorageLogSinkOptions options_;

  mutable std::mutex mu_;
  std::condition_variable done_cv_;
  std::deque<Line> buffer_;
  uint64_t next_seq_ = 1;
  uint64_t handled_seq_ = 0;
  uint64_t failures_ = 0;
  uint64_t flush_target_ = 0;
  int64_t dropped_ = 0;
  int64_t reported_drops_ = 0;
  int64_t written_ = 0;
  bool stopping_ = false;
  CancellationToken wake_;
  CancellationToken stop_token_;
  Clock::SteadyTime next_retention_{};
  std::thread thread_;
};

}  // namespace cardsync::queue
