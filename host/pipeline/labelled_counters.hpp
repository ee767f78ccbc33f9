#pragma once
// Counters keyed by a tuple of label values (a service, a job type, a reason...), for the
// labelled families of /metrics. Bumping an existing key takes a shared lock and one relaxed
// atomic add; a new key (rare: services, job types and reasons are few) takes the exclusive
// lock once. Every key of one instance has the same number of values.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cardsync::pipeline {

class LabelledCounters {
 public:
  struct Entry {
    std::vector<std::string> labels;
    int64_t count = 0;
  };

  void add(std::initializer_list<std::string_view> labels, int64_t n = 1) {
    {
      std::shared_lock lock(mu_);
      auto it = counts_.find(labels);
      if (it != counts_.end()) {
        it->second->fetch_add(n, std::memory_order_relaxed);
        return;
      }
    }
    std::unique_lock lock(mu_);
    auto it = counts_.find(labels);
    if (it == counts_.end()) {
      it = counts_
               .emplace(std::vector<std::string>(labels.begin(), labels.end()),
                        std::make_unique<std::atomic<int64_t>>(0))
               .first;
    }
    it->second->fetch_add(n, std::memory_order_relaxed);
  }

  // Sorted by the label values in order.
  std::vector<Entry> snapshot() const {
    std::shared_lock lock(mu_);
    std::vector<Entry> out;
    out.reserve(counts_.size());
    for (const auto& [key, count] : counts_) {
      out.push_back({key, count->load(std::memory_order_relaxed)});
    }
    return out;
  }

 private:
  struct Less {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [](std::string_view x, std::string_view y) { return x < y; });
    }
  };

  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<std::atomic<int64_t>>, Less> counts_;
};

}  // namespace cardsync::pipeline
