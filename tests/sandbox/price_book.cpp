#include "sandbox/price_book.hpp"

#include <mutex>

namespace cardsync::sandbox {

std::optional<PriceChange> PriceBook::find(std::uint64_t variant) const {
  std::shared_lock lock(mu_);
  auto it = changes_.find(variant);
  if (it == changes_.end()) return std::nullopt;
  return it->second;
}

void PriceBook::apply(const std::vector<std::pair<std::uint64_t, PriceChange>>& changes) {
  std::unique_lock lock(mu_);
  for (const auto& [variant, change] : changes) changes_[variant] = change;
  ++generation_;
}

PriceBook::Snapshot PriceBook::snapshot() const {
  std::shared_lock lock(mu_);
  return Snapshot{generation_, changes_};
}

std::uint64_t PriceBook::generation() const {
  std::shared_lock lock(mu_);
  return generation_;
}

std::size_t PriceBook::size() const {
  std::shared_lock lock(mu_);
  return changes_.size();
}

}  // namespace cardsync::sandbox
