#pragma once
// A RandomSource whose jitter draw is always the same value, so a test knows every retry
// delay exactly. Its bits count up, so lease tokens drawn from it still differ.

#include <atomic>
#include <cstdint>

#include "resilience/random_source.hpp"

namespace cardsync::queue::testing {

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double unit) : unit_(unit) {}
  double uniform() override { return unit_; }
  std::uint64_t bits() override { return bits_.fetch_add(1) + 1; }

 private:
  double unit_;
  std::atomic<std::uint64_t> bits_{0};
};

}  // namespace cardsync::queue::testing
