#include "resilience/retry_budget.hpp"

#include <algorithm>

namespace cardsync {

bool RetryBudget::try_spend() {
  if (!options_.enabled) return true;
  std::lock_guard lock(mu_);
  if (tokens_ < options_.retry_cost) return false;
  tokens_ -= options_.retry_cost;
  return true;
}

void RetryBudget::on_success() {
  if (!options_.enabled) return;
  std::lock_guard lock(mu_);
  tokens_ = std::min(options_.capacity, tokens_ + options_.success_credit);
}

double RetryBudget::tokens() const {
  std::lock_guard lock(mu_);
  return tokens_;
}

}  // namespace cardsync
