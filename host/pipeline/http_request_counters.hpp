#pragma once
// Upstream HTTP attempts by service and status (0: no response), for /metrics. Bumping an
// existing pair takes a shared lock and one relaxed atomic add; a new pair (rare: a handful
// of services times a handful of statuses) takes the exclusive lock once.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cardsync::pipeline {

class HttpRequestCounters {
 public:
  struct Entry {
    std::string service;
    int status = 0;
    int64_t count = 0;
  };

  void add(std::string_view service, int status) {
    {
      std::shared_lock lock(mu_);
      auto it = counts_.find(KeyView{service, status});
      if (it != counts_.end()) {
        it->second->fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
    std::unique_lock lock(mu_);
    auto [it, inserted] = counts_.try_emplace(Key{std::string(service), status}, nullptr);
    if (inserted) it->second = std::make_unique<std::atomic<int64_t>>(0);
    it->second->fetch_add(1, std::memory_order_relaxed);
  }

  // Sorted by service, then status.
  std::vector<Entry> snapshot() const {
    std::shared_lock lock(mu_);
    std::vector<Entry> out;
    out.reserve(counts_.size());
    for (const auto& [key, count] : counts_) {
      out.push_back({key.service, key.status, count->load(std::memory_order_relaxed)});
    }
    return out;
  }

 private:
  struct Key {
    std::string service;
    int status = 0;
  };
  struct KeyView {
    std::string_view service;
    int status = 0;
  };
  struct Less {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::pair<std::string_view, int>(a.service, a.status) <
             std::pair<std::string_view, int>(b.service, b.status);
    }
  };

  mutable std::shared_mutex mu_;
  std::map<Key, std::unique_ptr<std::atomic<int64_t>>, Less> counts_;
};

}  // namespace cardsync::pipeline
