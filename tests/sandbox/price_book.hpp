#pragma once
// The only catalog state that is stored: prices changed by --mutate or POST
// /_sandbox/mutate. Everything else is recomputed from the seed, so memory grows with the
// number of changed variants, never with the catalog.

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

namespace cardsync::sandbox {

struct PriceChange {
  std::int64_t price_cents = 0;
  std::int64_t last_updated = 0;  // epoch seconds
};

// Thread-safe: readers share a lock, a mutation round takes it exclusively.
class PriceBook {
 public:
  std::optional<PriceChange> find(std::uint64_t variant) const;
  void apply(const std::vector<std::pair<std::uint64_t, PriceChange>>& changes);

  // Calls `visit(variant, change)` for each changed variant in [begin, end), in index order,
  // under one read lock. `visit` must not call back into the book.
  template <class Visit>
  void visit(std::uint64_t begin, std::uint64_t end, Visit&& visit) const {
    std::shared_lock lock(mu_);
    for (auto it = changes_.lower_bound(begin); it != changes_.end() && it->first < end; ++it) {
      visit(it->first, it->second);
    }
  }

  struct Snapshot {
    std::uint64_t generation = 0;
    std::map<std::uint64_t, PriceChange> changes;
  };
  // A consistent copy: the truth is computed from one, never across a mutation round.
  Snapshot snapshot() const;

  // Bumped by every apply(): lets the truth cache tell whether prices moved.
  std::uint64_t generation() const;
  std::size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::uint64_t, PriceChange> changes_;
  std::uint64_t generation_ = 0;
};

}  // namespace cardsync::sandbox
