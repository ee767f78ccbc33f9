#include "resilience/circuit_breaker_registry.hpp"

#include <stdexcept>

namespace cardsync {

CircuitBreaker& CircuitBreakerRegistry::get(std::string_view service,
                                            const BreakerOptions& options) {
  std::lock_guard lock(mu_);
  auto it = breakers_.find(service);
  if (it != breakers_.end()) {
    if (!(it->second->options() == options)) {
      throw std::logic_error("circuit breaker for '" + std::string(service) +
                             "' already exists with other options");
    }
    return *it->second;
  }
  auto breaker = std::make_unique<CircuitBreaker>(std::string(service), clock_, options, listener_);
  return *breakers_.emplace(std::string(service), std::move(breaker)).first->second;
}

CircuitBreaker* CircuitBreakerRegistry::find(std::string_view service) const {
  std::lock_guard lock(mu_);
  auto it = breakers_.find(service);
  return it == breakers_.end() ? nullptr : it->second.get();
}

std::vector<BreakerSnapshot> CircuitBreakerRegistry::snapshot() const {
  std::vector<CircuitBreaker*> all;
  {
    std::lock_guard lock(mu_);
    all.reserve(breakers_.size());
    for (const auto& entry : breakers_) all.push_back(entry.second.get());
  }
  std::vector<BreakerSnapshot> out;
  out.reserve(all.size());
  for (const CircuitBreaker* b : all) out.push_back(b->snapshot());
  return out;
}

}  // namespace cardsync
