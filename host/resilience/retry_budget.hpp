#pragma once
// Caps retries per service as a share of successes (a token bucket without time refill):
// each retry spends `retry_cost`, each success earns `success_credit`, up to `capacity`.
// During a total outage the bucket drains and calls get first attempts only, so the
// upstream sees at most its normal load instead of (max_retries + 1) times it.

#include <mutex>

namespace cardsync {

struct RetryBudgetOptions {
  bool enabled = true;
  double capacity = 10.0;
  double retry_cost = 1.0;
  double success_credit = 0.2;

  friend bool operator==(const RetryBudgetOptions&, const RetryBudgetOptions&) = default;
};

class RetryBudget {
 public:
  explicit RetryBudget(RetryBudgetOptions options = {})
      : options_(options), tokens_(options.capacity) {}

  // True (and spends) when a retry may go ahead. Thread-safe.
  bool try_spend();
  void on_success();
  double tokens() const;

 private:
  const RetryBudgetOptions options_;
  mutable std::mutex mu_;
  double tokens_;
};

}  // namespace cardsync
