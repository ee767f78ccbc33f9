#pragma once
// One breaker per service name for the whole process, so every worker calling a service
// sees the same state and the admin API can list them all.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "resilience/circuit_breaker.hpp"

namespace cardsync {

class CircuitBreakerRegistry {
 public:
  explicit CircuitBreakerRegistry(Clock& clock, ResilienceListener* listener = nullptr)
      : clock_(clock), listener_(listener) {}

  // The service's breaker, created with `options` on first use. Later calls return the same
  // instance; asking again with different options throws std::logic_error. Thread-safe;
  // references stay valid for the registry's lifetime.
  CircuitBreaker& get(std::string_view service, const BreakerOptions& options = {});
  CircuitBreaker* find(std::string_view service) const;
  std::vector<BreakerSnapshot> snapshot() const;  // sorted by service name

 private:
  Clock& clock_;
  ResilienceListener* listener_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<CircuitBreaker>, std::less<>> breakers_;
};

}  // namespace cardsync
