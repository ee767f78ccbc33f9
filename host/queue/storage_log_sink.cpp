#include "queue/storage_log_sink.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ranges>
#include <type_traits>
#include <variant>

#include "resilience/random_source.hpp"

namespace cardsync::queue {
namespace {

int64_t to_ms(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

cs_log_level to_c(log::Level level) {
  switch (level) {
    case log::Level::trace:
      return CS_LOG_TRACE;
    case log::Level::debug:
      return CS_LOG_DEBUG;
    case log::Level::info:
      return CS_LOG_INFO;
    case log::Level::warn:
      return CS_LOG_WARN;
    case log::Level::error:
      return CS_LOG_ERROR;
  }
  return CS_LOG_INFO;
}

std::string fields_json(const std::vector<log::Field>& fields) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& f : fields) {
    w.Key(f.key.data(), static_cast<rapidjson::SizeType>(f.key.size()));
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            w.Int64(v);
          } else if constexpr (std::is_same_v<T, double>) {
            w.Double(v);
          } else {
            w.Bool(v);
          }
        },
        f.value);
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

}  // namespace

StorageLogSink::StorageLogSink(Storage& storage, Clock& clock, StorageLogSinkOptions options)
    : storage_(storage), clock_(clock), options_(options) {
  if (options_.capacity == 0) options_.capacity = 1;
  if (options_.batch_size == 0) options_.batch_size = 1;
  next_retention_ = clock_.now();
  thread_ = std::thread([this] { run(); });
}

StorageLogSink::~StorageLogSink() {
  stop();
}

void StorageLogSink::write(const log::Record& record) {
  Line line{to_ms(record.ts), to_c(record.level),         record.request_id,
            record.message,   fields_json(record.fields), 0};
  std::lock_guard lock(mu_);
  if (stopping_) return;
  if (buffer_.size() >= options_.capacity) {
    // The pipeline must never wait on the log: the oldest line gives way.
    handled_seq_ = std::max(handled_seq_, buffer_.front().seq);
    buffer_.pop_front();
    ++dropped_;
  }
  line.seq = next_seq_++;
  buffer_.push_back(std::move(line));
  if (buffer_.size() >= options_.batch_size) wake_.cancel();
}

void StorageLogSink::flush() {
  std::unique_lock lock(mu_);
  const uint64_t target = next_seq_ - 1;
  const uint64_t failures = failures_;
  if (handled_seq_ >= target || !thread_.joinable()) return;
  flush_target_ = std::max(flush_target_, target);
  wake_.cancel();
  done_cv_.wait(lock, [&] { return handled_seq_ >= target || failures_ != failures || stopping_; });
}

void StorageLogSink::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    wake_.cancel();
  }
  stop_token_.cancel();
  done_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t StorageLogSink::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

int64_t StorageLogSink::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

bool StorageLogSink::write_batch(std::deque<Line>& batch) {
  std::vector<sdk::LogRow> rows;
  rows.reserve(batch.size());
  for (const auto& l : batch) {
    rows.push_back(sdk::LogRow{0, l.level, l.ts_ms, l.request_id, l.message, l.fields_json});
  }
  try {
    storage_.append_logs(rows);
    return true;
  } catch (const std::exception&) {
    return false;  // nowhere to log a logging failure without recursion; retried
  }
}

void StorageLogSink::run() {
  int failed_attempts = 0;
  std::unique_lock lock(mu_);
  while (true) {
    const bool stopping = stopping_;
    const bool due = stopping || buffer_.size() >= options_.batch_size ||
                     (!buffer_.empty() && flush_target_ >= buffer_.front().seq);
    if (!due) {
      if (buffer_.empty() && dropped_ == reported_drops_ && stopping) return;
      wake_ = CancellationToken();
      CancellationToken wake = wake_;
      lock.unlock();
      bool woke_early = !clock_.sleep_for(options_.interval, wake);
      lock.lock();
      if (woke_early || buffer_.empty()) {
        if (!woke_early) {
          // Idle tick: a good moment for retention, off the hot path.
          lock.unlock();
          if (options_.retention.count() > 0 && clock_.now() >= next_retention_) {
            try {
              storage_.delete_logs_before(
                  to_ms(clock_.wall()) -
                  std::chrono::duration_cast<std::chrono::milliseconds>(options_.retention)
                      .count());
              next_retention_ = clock_.now() + options_.retention_every;
            } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): next tick
            }
          }
          lock.lock();
        }
        continue;
      }
    }
    if (buffer_.empty() && dropped_ == reported_drops_) {
      if (stopping_) return;
      continue;
    }
    std::deque<Line> batch;
    while (!buffer_.empty() && batch.size() < options_.batch_size) {
      batch.push_back(std::move(buffer_.front()));
      buffer_.pop_front();
    }
    const int64_t drops = dropped_ - reported_drops_;
    if (drops > 0) {
      Line note;
      note.ts_ms = to_ms(clock_.wall());
      note.level = CS_LOG_WARN;
      note.message = "log lines dropped: the storage log buffer was full";
      note.fields_json = "{\"dropped\":" + std::to_string(drops) + "}";
      batch.push_back(std::move(note));
    }
    lock.unlock();
    const bool ok = write_batch(batch);
    lock.lock();
    if (ok) {
      failed_attempts = 0;
      reported_drops_ += drops;
      written_ += static_cast<int64_t>(batch.size());
      for (const auto& l : batch) handled_seq_ = std::max(handled_seq_, l.seq);
      done_cv_.notify_all();
      continue;
    }
    ++failures_;
    done_cv_.notify_all();
    if (stopping_) return;  // one try at shutdown; the buffer is lost with the process
    // Put the lines back in front (minus the drop note), then trim to capacity.
    // NOLINTNEXTLINE(modernize-loop-convert): clang 14 cannot parse libstdc++'s reverse_view
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
      if (it->seq != 0) buffer_.push_front(std::move(*it));
    }
    while (buffer_.size() > options_.capacity) {
      handled_seq_ = std::max(handled_seq_, buffer_.front().seq);
      buffer_.pop_front();
      ++dropped_;
    }
    ++failed_attempts;
    // flush() and stop() cut the backoff short through wake_.
    wake_ = CancellationToken();
    CancellationToken wake = wake_;
    lock.unlock();
    clock_.sleep_for(options_.retry.delay(failed_attempts, SystemRandom::instance().uniform()),
                     wake);
    lock.lock();
  }
}

}  // namespace cardsync::queue
