#pragma once
// Jitter draws from an injected source so tests can replay a sequence and production gets
// independent streams per thread (no shared lock on the retry path).

#include <cstdint>
#include <mutex>
#include <random>

namespace cardsync {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Uniform in [0, 1). Thread-safe.
  virtual double uniform() = 0;
};

// One generator per thread, seeded from std::random_device.
class SystemRandom final : public RandomSource {
 public:
  double uniform() override;
  static SystemRandom& instance();
};

// Reproducible sequence for tests and simulations; serialised by a mutex.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  double uniform() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace cardsync
