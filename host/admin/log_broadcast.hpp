#pragma once
// A log sink that hands each line, as the same JSON object /api/v1/logs returns, to every
// live event stream whose filter matches. Subscribers' queues are bounded (the oldest line
// gives way, counted), and with no subscriber write() costs one atomic load.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "log/level.hpp"
#include "log/sink.hpp"

namespace cardsync::admin {

class LogBroadcast final : public log::Sink {
 public:
  class Subscription {
   public:
    Subscription(log::Level min_level, std::string request_id)
        : min_level_(min_level), request_id_(std::move(request_id)) {}
    // Lines queued since the last call, oldest first.
    std::vector<std::string> take();
    int64_t dropped() const;

   private:
    friend class LogBroadcast;
    static constexpr size_t kCapacity = 1000;
    void push(const log::Record& record, const std::string& line);
    const log::Level min_level_;
    const std::string request_id_;
    mutable std::mutex mu_;
    std::deque<std::string> lines_;
    int64_t dropped_ = 0;
  };

  LogBroadcast() = default;

  // The subscription lives as long as the caller keeps it.
  std::shared_ptr<Subscription> subscribe(log::Level min_level, std::string request_id);

  void write(const log::Record& record) override;

  // One stored or live log line as the API's JSON object (id null when not stored yet).
  static std::string to_json(const log::Record& record);

 private:
  std::atomic<size_t> live_{0};
  std::mutex mu_;
  std::vector<std::weak_ptr<Subscription>> subscribers_;
};

}  // namespace cardsync::admin
