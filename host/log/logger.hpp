#pragma once
// The host's structured logger. It stamps records with the injected clock, applies the one
// redaction rule (secret-named fields, passwords and secret query parameters in URLs) before
// any sink sees them, and fans out to every sink. Request ids are passed explicitly with the
// work they belong to, never kept in thread-local state, because work hops between threads.

#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "log/field.hpp"
#include "log/level.hpp"
#include "log/sink.hpp"
#include "time/clock.hpp"

namespace cardsync::log {

class Logger {
 public:
  // `clock` must outlive the logger.
  Logger(Clock& clock, Level min_level);
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  // Flushes the sinks, so buffered lines are not lost at shutdown.
  ~Logger();

  // Meant for set-up, but safe at any time: a record is delivered to the sinks present
  // when it was logged.
  void add_sink(std::shared_ptr<Sink> sink);
  // Records logged after this returns no longer reach `sink` (one already being written may
  // still finish), so its owner can flush and destroy what the sink depends on.
  void remove_sink(const std::shared_ptr<Sink>& sink);

  // One relaxed atomic load: guard expensive field building with it.
  bool enabled(Level level) const noexcept {
    return level >= min_level_.load(std::memory_order_relaxed);
  }
  void set_level(Level level) noexcept { min_level_.store(level, std::memory_order_relaxed); }
  Level level() const noexcept { return min_level_.load(std::memory_order_relaxed); }

  // Thread-safe. Below the level it returns before allocating anything. Never throws: a
  // record that cannot be built or written is dropped rather than failing the work.
  void log(Level level, std::string_view message, std::string_view request_id = {},
           std::vector<Field> fields = {}) noexcept {
    // Inline so a disabled call costs one load and a branch in the caller.
    if (enabled(level)) emit(level, message, request_id, std::move(fields));
  }

  void trace(std::string_view message, std::string_view request_id = {},
             std::vector<Field> fields = {}) noexcept {
    log(Level::trace, message, request_id, std::move(fields));
  }
  void debug(std::string_view message, std::string_view request_id = {},
             std::vector<Field> fields = {}) noexcept {
    log(Level::debug, message, request_id, std::move(fields));
  }
  void info(std::string_view message, std::string_view request_id = {},
            std::vector<Field> fields = {}) noexcept {
    log(Level::info, message, request_id, std::move(fields));
  }
  void warn(std::string_view message, std::string_view request_id = {},
            std::vector<Field> fields = {}) noexcept {
    log(Level::warn, message, request_id, std::move(fields));
  }
  void error(std::string_view message, std::string_view request_id = {},
             std::vector<Field> fields = {}) noexcept {
    log(Level::error, message, request_id, std::move(fields));
  }

  // Flushes every sink; returns when they have.
  void flush() noexcept;

 private:
  void emit(Level level, std::string_view message, std::string_view request_id,
            std::vector<Field> fields) noexcept;

  using SinkList = std::vector<std::shared_ptr<Sink>>;
  std::shared_ptr<const SinkList> sinks() const;

  Clock& clock_;
  std::atomic<Level> min_level_;
  mutable std::mutex sinks_mu_;
  // Copy-on-write so log() holds the mutex only to copy a pointer, never while writing.
  std::shared_ptr<const SinkList> sinks_;
};

}  // namespace cardsync::log
