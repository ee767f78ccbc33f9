#pragma once
// Keeps every record in memory. For tests in any area that need to assert what was logged,
// and for tools that collect a run's log before deciding where it goes.

#include <mutex>
#include <vector>

#include "log/sink.hpp"

namespace cardsync::log {

class MemorySink final : public Sink {
 public:
  void write(const Record& record) override {
    std::lock_guard lock(mu_);
    records_.push_back(record);
  }
  // A snapshot: safe to inspect while other threads keep logging.
  std::vector<Record> records() const {
    std::lock_guard lock(mu_);
    return records_;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return records_.size();
  }
  void clear() {
    std::lock_guard lock(mu_);
    records_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Record> records_;
};

}  // namespace cardsync::log
